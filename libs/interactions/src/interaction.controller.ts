import { Controller, Get, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { SignInAddressRule, SignInService, UsersService } from '@erp-id/accounts';
import {
  describeIssuerBuildFailure,
  ISSUER_RETRY_AFTER_SECONDS,
  IssuerPool,
  prepareIssuerRequest,
  REQUIRE_CONSENT,
} from '@erp-id/issuer';
import {
  ACR_MFA,
  ACR_PASSWORD,
  AMR_PASSWORD,
  AMR_PASSWORD_AND_OTP,
  FactorsService,
  newTotpSecret,
  policyRequiresSecondFactor,
  secondFactorRequested,
  totpUri,
} from '@erp-id/mfa';
import type { UserEntity } from '@erp-id/persistence';
import { instancePolicies } from '@erp-id/policies';
import { type ResolvedTenant, tenantOf } from '@erp-id/tenancy';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import { csrfToken, csrfValid } from './csrf';
import { readForm } from './form-body';
import { grantRequested } from './grant-builder';
import type { InteractionDetails } from './interaction-details';
import { pageSecurity } from './page-headers';
import { consentPage } from './pages/consent.page';
import { enrollPage } from './pages/enroll.page';
import { loginPage } from './pages/login.page';
import { messagePage } from './pages/message.page';
import { recoveryCodesPage } from './pages/recovery-codes.page';
import { secondFactorPage } from './pages/second-factor.page';
import { type PendingSignIn, PendingSignIns } from './pending-sign-ins';
import { qrCodeDataUrl } from './qr-code';
import { SignInLimit } from './sign-in-limit';

const INVALID_CREDENTIALS = 'The username or password is incorrect.';
const LOCKED = 'Too many failed sign-ins. Try again later.';
const INVALID_CODE = 'That code is not valid. Codes can be used only once.';
const FORM_EXPIRED = 'The form expired. Go back to the app and sign in again.';
const TOO_MANY_POSTS = 'Too many sign-in attempts from your network. Wait a moment and try again.';
/** Longest the second-factor step of one sign-in is remembered (bounded by the interaction's own lifetime). */
const PENDING_MAX_SECONDS = 30 * 60;

interface InteractionContext {
  tenant: ResolvedTenant;
  provider: Provider;
  details: InteractionDetails;
  csrfKey: string;
  base: string;
}

/** The sign-in pages of every instance, under its issuer's `/id/interaction/<uid>`. */
@Controller('id/interaction')
export class InteractionController {
  private readonly logger = new Logger(InteractionController.name);

  constructor(
    private readonly pool: IssuerPool,
    private readonly signIn: SignInService,
    private readonly users: UsersService,
    private readonly factors: FactorsService,
    private readonly pending: PendingSignIns,
    private readonly signInLimit: SignInLimit,
    private readonly addressRule: SignInAddressRule,
  ) {}

  @Get(':uid')
  async show(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const ctx = await this.load(uid, req, res);
    if (!ctx) return;
    const { details, provider } = ctx;
    if (details.prompt.name === 'login') {
      const pending = await this.pending.find(ctx.tenant.instance.name, uid);
      if (pending) return this.renderSecondFactor(res, ctx, pending, 200);
      this.renderLogin(res, ctx, 200, { username: this.loginHint(details) });
      return;
    }
    if (details.prompt.name === 'consent') {
      const accountId = details.session?.accountId;
      const client = await provider.Client.find(String(details.params.client_id));
      if (!accountId || !client)
        return this.fail(res, ctx.tenant, 400, 'This sign-in request is no longer valid.');
      if (client.metadata()[REQUIRE_CONSENT] === true) {
        this.renderConsent(res, ctx, client.clientName ?? client.clientId);
        return;
      }
      await this.finishConsent(req, res, ctx, accountId);
      return;
    }
    this.fail(res, ctx.tenant, 400, 'This sign-in step is not supported.');
  }

  @Post(':uid/login')
  async login(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = await readForm(req, res);
    const ctx = await this.load(uid, req, res);
    if (!ctx || (await this.overSignInLimit(res, ctx))) return;
    if (!form || !csrfValid(ctx.csrfKey, uid, form.csrf)) {
      return this.fail(res, ctx.tenant, 400, FORM_EXPIRED);
    }
    if (ctx.details.prompt.name !== 'login')
      return this.fail(res, ctx.tenant, 400, 'This sign-in step is already done.');
    const username = (form.username ?? '').slice(0, 200);
    const password = (form.password ?? '').slice(0, 1024);
    if (!username || !password) {
      this.renderLogin(res, ctx, 400, { username, error: 'Enter your username and password.' });
      return;
    }
    const result = await this.signIn.attempt(
      ctx.tenant.instance,
      username,
      password,
      ctx.tenant.origin.clientIp,
    );
    if (result.outcome === 'locked') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      this.renderLogin(res, ctx, 429, { username, error: LOCKED });
      return;
    }
    // SignInService also refuses external users where the policy keeps them out (and audits it).
    if (result.outcome !== 'success') {
      this.renderLogin(res, ctx, 401, { username, error: INVALID_CREDENTIALS });
      return;
    }
    const { user } = result;
    const stage = await this.secondFactorStage(ctx, user);
    if (stage === null) {
      await this.pending.forget(ctx.tenant.instance.name, uid);
      return this.finishLogin(req, res, ctx, user, AMR_PASSWORD, ACR_PASSWORD);
    }
    const pending: PendingSignIn = { userId: user.id, stage };
    if (stage === 'enroll') {
      pending.sealedSecret = this.factors.sealPendingSecret(
        ctx.tenant.instance,
        user.id,
        uid,
        newTotpSecret(),
      );
    }
    await this.savePending(ctx, pending);
    // Post/redirect/get: reloading the next page does not post the password again.
    res.redirect(303, ctx.base);
  }

  @Post(':uid/enroll')
  async enroll(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const step = await this.secondFactorStep(uid, req, res, 'enroll');
    if (!step) return;
    const { ctx, pending, code } = step;
    const instance = ctx.tenant.instance;
    if (!pending.sealedSecret) return this.fail(res, ctx.tenant, 400, FORM_EXPIRED);
    if (!(await this.checkUnlocked(res, ctx, pending))) return;
    const secret = this.factors.openPendingSecret(instance, pending.userId, uid, pending.sealedSecret);
    const result = await this.factors.enroll(instance, pending.userId, secret, code);
    if (result.outcome === 'invalid') return this.codeFailed(res, ctx, pending);
    if (result.outcome === 'exists') {
      // Enrolled meanwhile in another window: this sign-in proves the factor like any other.
      await this.savePending(ctx, { userId: pending.userId, stage: 'verify' });
      res.redirect(303, ctx.base);
      return;
    }
    await this.signIn.secondFactorPassed(instance.name, pending.userId);
    await this.savePending(ctx, { userId: pending.userId, stage: 'recovery-codes' });
    this.renderRecoveryCodes(res, ctx, result.recoveryCodes);
  }

  @Post(':uid/verify')
  async verify(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const step = await this.secondFactorStep(uid, req, res, 'verify');
    if (!step) return;
    const { ctx, pending, code } = step;
    if (!(await this.checkUnlocked(res, ctx, pending))) return;
    const result = await this.factors.verify(ctx.tenant.instance, pending.userId, code);
    if (result.outcome !== 'accepted') return this.codeFailed(res, ctx, pending);
    await this.signIn.secondFactorPassed(ctx.tenant.instance.name, pending.userId);
    await this.finishSecondFactor(req, res, ctx, pending);
  }

  /** After the recovery codes were shown: the enrollment's code already proved the factor. */
  @Post(':uid/continue')
  async continue(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const step = await this.secondFactorStep(uid, req, res, 'recovery-codes');
    if (!step) return;
    await this.finishSecondFactor(req, res, step.ctx, step.pending);
  }

  @Post(':uid/consent')
  async consent(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = await readForm(req, res);
    const ctx = await this.load(uid, req, res);
    if (!ctx) return;
    if (!form || !csrfValid(ctx.csrfKey, uid, form.csrf)) {
      return this.fail(res, ctx.tenant, 400, FORM_EXPIRED);
    }
    const accountId = ctx.details.session?.accountId;
    if (ctx.details.prompt.name !== 'consent' || !accountId) {
      return this.fail(res, ctx.tenant, 400, 'This sign-in step is already done.');
    }
    await this.finishConsent(req, res, ctx, accountId);
  }

  @Post(':uid/abort')
  async abort(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = await readForm(req, res);
    const ctx = await this.load(uid, req, res);
    if (!ctx) return;
    if (!form || !csrfValid(ctx.csrfKey, uid, form.csrf)) {
      return this.fail(res, ctx.tenant, 400, FORM_EXPIRED);
    }
    await ctx.provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user denied the request' },
      { mergeWithLastSubmission: false },
    );
  }

  /**
   * What comes after a correct password: a code when the user has a factor; enrollment when the
   * policy or the client (`acr_values`) asks for a second factor and the user has none; else nothing.
   */
  private async secondFactorStage(
    ctx: InteractionContext,
    user: UserEntity,
  ): Promise<'enroll' | 'verify' | null> {
    if (await this.factors.hasFactor(ctx.tenant.instance.id, user.id)) return 'verify';
    const required =
      policyRequiresSecondFactor(instancePolicies(ctx.tenant.instance.policies), user.kind) ||
      secondFactorRequested(ctx.details.params.acr_values);
    return required ? 'enroll' : null;
  }

  /** The form, the interaction and the pending sign-in of a second-factor post, in the stage expected. */
  private async secondFactorStep(
    uid: string,
    req: Request,
    res: Response,
    stage: PendingSignIn['stage'],
  ): Promise<{ ctx: InteractionContext; pending: PendingSignIn; code: string } | null> {
    const form = await readForm(req, res);
    const ctx = await this.load(uid, req, res);
    if (!ctx || (await this.overSignInLimit(res, ctx))) return null;
    if (!form || !csrfValid(ctx.csrfKey, uid, form.csrf)) {
      this.fail(res, ctx.tenant, 400, FORM_EXPIRED);
      return null;
    }
    const pending =
      ctx.details.prompt.name === 'login' ? await this.pending.find(ctx.tenant.instance.name, uid) : null;
    if (!pending || pending.stage !== stage) {
      this.fail(
        res,
        ctx.tenant,
        400,
        'This sign-in step is not the current one. Go back to the app and sign in again.',
      );
      return null;
    }
    return { ctx, pending, code: (form.code ?? '').trim().slice(0, 40) };
  }

  /** Counts a sign-in post against the instance's per-address limit; answers 429 and true when over it. */
  private async overSignInLimit(res: Response, ctx: InteractionContext): Promise<boolean> {
    const wait = await this.signInLimit.refusedFor(ctx.tenant);
    if (wait === 0) return false;
    res.setHeader('Retry-After', String(wait));
    this.fail(res, ctx.tenant, 429, TOO_MANY_POSTS);
    return true;
  }

  /** Refuses the step while the account or the address is locked; true when it may go on. */
  private async checkUnlocked(
    res: Response,
    ctx: InteractionContext,
    pending: PendingSignIn,
  ): Promise<boolean> {
    const locked = await this.signIn.lockedFor(
      ctx.tenant.instance.name,
      pending.userId,
      ctx.tenant.origin.clientIp,
    );
    if (locked === 0) return true;
    res.setHeader('Retry-After', String(locked));
    await this.renderSecondFactor(res, ctx, pending, 429, LOCKED);
    return false;
  }

  /** A wrong, reused or malformed code: counted toward the lockout like a wrong password. */
  private async codeFailed(res: Response, ctx: InteractionContext, pending: PendingSignIn): Promise<void> {
    const result = await this.signIn.secondFactorFailed(
      ctx.tenant.instance,
      pending.userId,
      ctx.tenant.origin.clientIp,
    );
    if (result.outcome === 'locked') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return this.renderSecondFactor(res, ctx, pending, 429, LOCKED);
    }
    await this.renderSecondFactor(res, ctx, pending, 401, INVALID_CODE);
  }

  private async finishSecondFactor(
    req: Request,
    res: Response,
    ctx: InteractionContext,
    pending: PendingSignIn,
  ): Promise<void> {
    // The account may have been disabled or deleted since its password was checked.
    const user = await this.users.findForIssuer(ctx.tenant.instance.id, pending.userId);
    await this.pending.forget(ctx.tenant.instance.name, ctx.details.uid);
    if (!user) return this.fail(res, ctx.tenant, 400, 'This account can no longer sign in.');
    await this.finishLogin(req, res, ctx, user, AMR_PASSWORD_AND_OTP, ACR_MFA);
  }

  private async finishLogin(
    req: Request,
    res: Response,
    ctx: InteractionContext,
    user: UserEntity,
    amr: readonly string[],
    acr: string,
  ): Promise<void> {
    // Granting here (first-party apps need no consent page) saves the round trip through the consent prompt.
    const client = await ctx.provider.Client.find(String(ctx.details.params.client_id));
    const consent =
      client && client.metadata()[REQUIRE_CONSENT] !== true
        ? { consent: { grantId: await grantRequested(ctx.provider, ctx.details, user.id, user.kind) } }
        : {};
    await ctx.provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id, amr: [...amr], acr, remember: true }, ...consent },
      { mergeWithLastSubmission: false },
    );
  }

  private savePending(ctx: InteractionContext, pending: PendingSignIn): Promise<void> {
    const left =
      typeof ctx.details.exp === 'number'
        ? ctx.details.exp - Math.floor(Date.now() / 1000)
        : PENDING_MAX_SECONDS;
    return this.pending.save(
      ctx.tenant.instance.name,
      ctx.details.uid,
      pending,
      Math.min(left, PENDING_MAX_SECONDS),
    );
  }

  private async finishConsent(
    req: Request,
    res: Response,
    ctx: InteractionContext,
    accountId: string,
  ): Promise<void> {
    const user = await this.users.findForIssuer(ctx.tenant.instance.id, accountId);
    if (!user) return this.fail(res, ctx.tenant, 400, 'This account can no longer sign in.');
    const grantId = await grantRequested(ctx.provider, ctx.details, accountId, user.kind);
    await ctx.provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  /** The tenant's issuer and the interaction this browser is in; answers the request itself when there is none. */
  private async load(uid: string, req: Request, res: Response): Promise<InteractionContext | null> {
    const tenant = tenantOf(req);
    if (!tenant) {
      res
        .status(404)
        .json({ error: 'unknown_instance', error_description: 'no instance is served at this host' });
      return null;
    }
    prepareIssuerRequest(req, tenant);
    let provider: Provider;
    try {
      ({ provider } = await this.pool.get(tenant.instance, tenant.origin.origin));
    } catch (err) {
      // The same answer as the issuer's own routes give: the instance exists but cannot be served now.
      this.logger.error(describeIssuerBuildFailure(tenant.instance.name, err));
      res.set('Retry-After', String(ISSUER_RETRY_AFTER_SECONDS));
      this.fail(res, tenant, 503, 'Sign-in is temporarily unavailable. Try again in a few minutes.');
      return null;
    }
    let details: InteractionDetails;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      this.fail(
        res,
        tenant,
        400,
        'This sign-in link has expired or was opened in another browser. Go back to the app and sign in again.',
      );
      return null;
    }
    if (details.uid !== uid) {
      this.fail(
        res,
        tenant,
        400,
        'This sign-in link does not match the sign-in in progress. Go back to the app and sign in again.',
      );
      return null;
    }
    // Every page and step of the sign-in, so one started inside the allowed ranges is not finished outside.
    const clientId = details.params.client_id;
    const address = await this.addressRule.check(tenant.instance, tenant.origin.clientIp, {
      clientId: typeof clientId === 'string' ? clientId : undefined,
    });
    if (!address.allowed) {
      this.refuseAddress(res, tenant, address.address);
      return null;
    }
    const csrfKey = (provider.keys as string[] | undefined)?.[0] ?? '';
    return { tenant, provider, details, csrfKey, base: `/id/interaction/${uid}` };
  }

  private loginHint(details: InteractionDetails): string | undefined {
    const hint = details.params.login_hint;
    return typeof hint === 'string' ? hint.slice(0, 200) : undefined;
  }

  private renderLogin(
    res: Response,
    ctx: InteractionContext,
    status: number,
    input: { username?: string; error?: string },
  ): void {
    const security = pageSecurity();
    res
      .status(status)
      .set(security.headers)
      .send(
        loginPage({
          instanceName: ctx.tenant.instance.displayName ?? ctx.tenant.instance.name,
          nonce: security.nonce,
          action: `${ctx.base}/login`,
          csrf: csrfToken(ctx.csrfKey, ctx.details.uid),
          ...input,
        }),
      );
  }

  private async renderSecondFactor(
    res: Response,
    ctx: InteractionContext,
    pending: PendingSignIn,
    status: number,
    error?: string,
  ): Promise<void> {
    const security = pageSecurity();
    const instance = ctx.tenant.instance;
    const common = {
      instanceName: instance.displayName ?? instance.name,
      nonce: security.nonce,
      csrf: csrfToken(ctx.csrfKey, ctx.details.uid),
      ...(error ? { error } : {}),
    };
    if (pending.stage === 'recovery-codes') {
      res
        .status(status)
        .set(security.headers)
        .send(recoveryCodesPage({ ...common, action: `${ctx.base}/continue`, codes: [] }));
      return;
    }
    if (pending.stage === 'verify') {
      res
        .status(status)
        .set(security.headers)
        .send(secondFactorPage({ ...common, action: `${ctx.base}/verify` }));
      return;
    }
    const user = await this.users.findForIssuer(instance.id, pending.userId);
    if (!user || !pending.sealedSecret)
      return this.fail(res, ctx.tenant, 400, 'This account can no longer sign in.');
    const secret = this.factors.openPendingSecret(instance, user.id, ctx.details.uid, pending.sealedSecret);
    const qrCode = await qrCodeDataUrl(totpUri(secret, common.instanceName, user.username));
    res
      .status(status)
      .set(security.headers)
      .send(enrollPage({ ...common, action: `${ctx.base}/enroll`, secret, qrCode }));
  }

  private renderRecoveryCodes(res: Response, ctx: InteractionContext, codes: readonly string[]): void {
    const security = pageSecurity();
    res
      .status(200)
      .set(security.headers)
      .send(
        recoveryCodesPage({
          instanceName: ctx.tenant.instance.displayName ?? ctx.tenant.instance.name,
          nonce: security.nonce,
          action: `${ctx.base}/continue`,
          csrf: csrfToken(ctx.csrfKey, ctx.details.uid),
          codes,
        }),
      );
  }

  private renderConsent(res: Response, ctx: InteractionContext, clientName: string): void {
    const security = pageSecurity();
    const scope = typeof ctx.details.params.scope === 'string' ? ctx.details.params.scope : '';
    res
      .status(200)
      .set(security.headers)
      .send(
        consentPage({
          instanceName: ctx.tenant.instance.displayName ?? ctx.tenant.instance.name,
          nonce: security.nonce,
          action: `${ctx.base}/consent`,
          abortAction: `${ctx.base}/abort`,
          csrf: csrfToken(ctx.csrfKey, ctx.details.uid),
          clientName,
          scopes: scope.split(' ').filter(Boolean),
        }),
      );
  }

  /** The address is shown so the person can tell their administrator what to allow. */
  private refuseAddress(res: Response, tenant: ResolvedTenant, address: string): void {
    const name = tenant.instance.displayName ?? tenant.instance.name;
    this.fail(
      res,
      tenant,
      403,
      `Sign-in to ${name} is not allowed from your network (address ${address}). ` +
        'Sign in from an allowed network, or ask your administrator to allow this one.',
      'Sign-in is not allowed from this network',
    );
  }

  private fail(
    res: Response,
    tenant: ResolvedTenant,
    status: number,
    message: string,
    title = 'Sign-in could not continue',
  ): void {
    const security = pageSecurity();
    res
      .status(status)
      .set(security.headers)
      .send(
        messagePage({
          instanceName: tenant.instance.displayName ?? tenant.instance.name,
          nonce: security.nonce,
          title,
          message,
        }),
      );
  }
}
