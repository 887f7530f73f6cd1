import { Controller, Get, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { SignInService, UsersService } from '@erp-id/accounts';
import {
  describeIssuerBuildFailure,
  ISSUER_RETRY_AFTER_SECONDS,
  IssuerPool,
  prepareIssuerRequest,
  REQUIRE_CONSENT,
} from '@erp-id/issuer';
import { type ResolvedTenant, tenantOf } from '@erp-id/tenancy';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import { csrfToken, csrfValid } from './csrf';
import { readForm } from './form-body';
import { grantRequested } from './grant-builder';
import type { InteractionDetails } from './interaction-details';
import { pageSecurity } from './page-headers';
import { consentPage } from './pages/consent.page';
import { loginPage } from './pages/login.page';
import { messagePage } from './pages/message.page';

const INVALID_CREDENTIALS = 'The username or password is incorrect.';
const LOCKED = 'Too many failed sign-ins. Try again later.';

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
  ) {}

  @Get(':uid')
  async show(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const ctx = await this.load(uid, req, res);
    if (!ctx) return;
    const { details, provider } = ctx;
    if (details.prompt.name === 'login') {
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
    if (!ctx) return;
    if (!form || !csrfValid(ctx.csrfKey, uid, form.csrf)) {
      return this.fail(res, ctx.tenant, 400, 'The form expired. Go back to the app and sign in again.');
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
    // Granting here (first-party apps need no consent page) saves the round trip through the consent prompt.
    const client = await ctx.provider.Client.find(String(ctx.details.params.client_id));
    const consent =
      client && client.metadata()[REQUIRE_CONSENT] !== true
        ? { consent: { grantId: await grantRequested(ctx.provider, ctx.details, user.id, user.kind) } }
        : {};
    await ctx.provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id, amr: ['pwd'], remember: true }, ...consent },
      { mergeWithLastSubmission: false },
    );
  }

  @Post(':uid/consent')
  async consent(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const form = await readForm(req, res);
    const ctx = await this.load(uid, req, res);
    if (!ctx) return;
    if (!form || !csrfValid(ctx.csrfKey, uid, form.csrf)) {
      return this.fail(res, ctx.tenant, 400, 'The form expired. Go back to the app and sign in again.');
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
      return this.fail(res, ctx.tenant, 400, 'The form expired. Go back to the app and sign in again.');
    }
    await ctx.provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user denied the request' },
      { mergeWithLastSubmission: false },
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

  private fail(res: Response, tenant: ResolvedTenant, status: number, message: string): void {
    const security = pageSecurity();
    res
      .status(status)
      .set(security.headers)
      .send(
        messagePage({
          instanceName: tenant.instance.displayName ?? tenant.instance.name,
          nonce: security.nonce,
          title: 'Sign-in could not continue',
          message,
        }),
      );
  }
}
