import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientsService, ReferenceTokensService, UsersService } from '@erp-id/accounts';
import { GatewayConfig } from '@erp-id/config';
import { InstanceKeysService, SIGNING_ALGORITHMS } from '@erp-id/keys';
import { ACR_VALUES } from '@erp-id/mfa';
import { instancePolicies } from '@erp-id/policies';
import { AbuseSignals, ClientAuthThrottle, RateLimiter } from '@erp-id/rate-limits';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import type { InstanceRecord } from '@erp-id/tenancy';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { accountOf, toAccount } from './accounts';
import { API_SCOPES, apiResourcesFor } from './api-resources';
import { allowedApiScopes } from './api-scopes';
import { discoveryAdditions } from './discovery-additions';
import { createClientAdapter } from './client-adapter';
import { installClientCache } from './client-cache';
import {
  API_SCOPES_METADATA,
  INTROSPECTION_ALLOWED,
  OIDC_SCOPES,
  PREVIOUS_SECRET_EXPIRES_METADATA,
  PREVIOUS_SECRET_METADATA,
  REQUIRE_CONSENT,
} from './client-metadata';
import { FRONTCHANNEL_LOGOUT_URI, frontChannelTargets } from './front-channel-logout';
import { installHashedClientSecrets } from './hashed-client-secrets';
import { ISSUER_PAGES, type IssuerPages } from './issuer-pages';
import { INTERACTION_PREFIX, ISSUER_MOUNT, ISSUER_ROUTES } from './issuer-routes';
import { installIssuerHooks } from './issuer-hooks';
import { KeyObjectSigningKey } from './key-object-signing-key';
import { jsonNotFound } from './json-not-found';
import { installLegacyTokenResponse, TOKEN_AS_PROVIDER_TYPE } from './legacy-token-response';
import { introspectionFeature, introspectionHooks } from './introspection';
import { OFFLINE_ACCESS_PARAM, restoreOfflineAccess } from './offline-access';
import { requestLimits, requestLimitsClientGate, type RequestLimitsContext } from './request-limits';
import { interactionPolicyWithSecondFactor } from './second-factor-check';
import { issueRefreshToken, sessionTtl } from './token-policies';

const ASYMMETRIC_ALGS = [...SIGNING_ALGORITHMS];

/** Builds one instance's oidc-provider from its record: issuer, keys, clients, users, policies, state store. */
@Injectable()
export class ProviderFactory {
  private readonly logger = new Logger(ProviderFactory.name);

  constructor(
    private readonly keys: InstanceKeysService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly referenceTokens: ReferenceTokensService,
    @Inject(STATE_STORE) private readonly state: StateStore,
    @Inject(ISSUER_PAGES) private readonly pages: IssuerPages,
    private readonly config: GatewayConfig,
    private readonly limiter: RateLimiter,
    private readonly throttle: ClientAuthThrottle,
    private readonly signals: AbuseSignals,
  ) {}

  async build(instance: InstanceRecord, origin: string): Promise<Provider> {
    const policies = instancePolicies(instance.policies);
    const material = await this.keys.loadIssuerKeys(instance.id, instance.sealedCookieKeys);
    // Everything is signed with the active key, in its own algorithm: a changed signingAlgorithm policy
    // takes effect at the next rotation. Next and retired keys are only published.
    const signingKey = material.signingKey;
    const apis = apiResourcesFor(origin, instance.apis);
    const stateAdapter = this.state.adapterFor(instance.name);
    const clientAdapter = createClientAdapter((clientId) =>
      this.clients.findForIssuer(instance.id, clientId),
    );
    const lifetimes = policies.tokenLifetimes;
    const pages = this.pages;

    const configuration: Configuration = {
      adapter: (model: string) => (model === 'Client' ? clientAdapter : stateAdapter(model)),
      jwks: { keys: material.jwks.keys.map((jwk) => new KeyObjectSigningKey(jwk)) },
      cookies: {
        keys: material.cookieKeys,
        long: { signed: true, httpOnly: true, sameSite: 'lax' },
        short: { signed: true, httpOnly: true, sameSite: 'lax' },
      },
      routes: ISSUER_ROUTES,
      scopes: [...OIDC_SCOPES],
      // `acr` and `amr` say how the user signed in (password, second factor); every ID token carries them.
      claims: {
        openid: ['sub', 'acr', 'amr'],
        profile: ['name', 'preferred_username', 'updated_at'],
        email: ['email'],
      },
      responseTypes: ['code', 'id_token', 'code id_token', TOKEN_AS_PROVIDER_TYPE],
      clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
      clientDefaults: {
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: signingKey.alg,
      },
      extraClientMetadata: {
        properties: [
          FRONTCHANNEL_LOGOUT_URI,
          REQUIRE_CONSENT,
          INTROSPECTION_ALLOWED,
          API_SCOPES_METADATA,
          PREVIOUS_SECRET_METADATA,
          PREVIOUS_SECRET_EXPIRES_METADATA,
        ],
      },
      enabledJWA: {
        idTokenSigningAlgValues: ASYMMETRIC_ALGS,
        userinfoSigningAlgValues: ASYMMETRIC_ALGS,
        introspectionSigningAlgValues: ASYMMETRIC_ALGS,
        authorizationSigningAlgValues: ASYMMETRIC_ALGS,
        requestObjectSigningAlgValues: ASYMMETRIC_ALGS,
        clientAuthSigningAlgValues: [],
      },
      extraParams: {
        [OFFLINE_ACCESS_PARAM]: (ctx: KoaContextWithOIDC) => restoreOfflineAccess(ctx),
      },
      issueRefreshToken,
      // Every use of a refresh token replaces it; presenting a used one revokes the whole grant.
      rotateRefreshToken: true,
      features: {
        devInteractions: { enabled: false },
        // Signing keys are KeyObjectSigningKey instances (see key-object-signing-key.ts). The ack pins
        // the experiment's version: a breaking change in an oidc-provider update fails the build's tests.
        externalSigningSupport: { enabled: true, ack: 'experimental-01' },
        pushedAuthorizationRequests: { enabled: false },
        clientCredentials: { enabled: true },
        introspection: introspectionFeature(),
        revocation: { enabled: true },
        userinfo: { enabled: true },
        backchannelLogout: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx, form) =>
            pages.logout(ctx, { form, frontChannel: await frontChannelTargets(ctx) }),
          postLogoutSuccessSource: async (ctx) => pages.loggedOut(ctx),
        },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => apis[0]!.identifier,
          // A code or refresh token names the API only if API scopes were granted with it; otherwise
          // its access token is for userinfo alone (external users never get API scopes).
          useGrantedResource: (ctx, model) =>
            ctx.oidc.entities.Grant?.getResourceScope(String(model.resource)) ? true : false,
          getResourceServerInfo: (ctx, indicator, client) => {
            const api = apis.find((a) => a.identifier === indicator);
            if (!api) throw new errors.InvalidTarget();
            if (accountOf(ctx)?.kind === 'external') {
              throw new errors.InvalidTarget('external users cannot obtain access tokens for instance APIs');
            }
            return {
              scope: allowedApiScopes(ctx, api.scopes, client),
              audience: api.identifier,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: signingKey.alg, kid: signingKey.kid } },
            };
          },
        },
      },
      findAccount: async (_ctx, sub) => {
        const user = await this.users.findForIssuer(instance.id, sub);
        return user ? toAccount(user) : undefined;
      },
      // `acr` in ID tokens says whether a second factor was used; see libs/mfa.
      acrValues: [...ACR_VALUES],
      interactions: {
        policy: interactionPolicyWithSecondFactor(policies),
        url: (_ctx, interaction) => `${ISSUER_MOUNT}${INTERACTION_PREFIX}${interaction.uid}`,
      },
      renderError: async (ctx, out, error) => pages.error(ctx, out, error),
      ttl: {
        AccessToken: lifetimes.accessToken,
        ClientCredentials: lifetimes.clientCredentials,
        IdToken: lifetimes.idToken,
        AuthorizationCode: lifetimes.authorizationCode,
        RefreshToken: lifetimes.refreshToken,
        Interaction: 3600,
        Session: sessionTtl(policies),
        Grant: policies.session.absoluteLifetime,
      },
      clockTolerance: 15,
      // oidc-provider refuses outgoing calls to private and loopback addresses (SSRF protection)
      // through its own dispatcher; a deployment whose apps live on the internal network opts out.
      ...(this.config.allowPrivateNetworkCallbacks
        ? {
            fetch: (input: string | URL | Request, init?: RequestInit) =>
              globalThis.fetch(input, { ...init, dispatcher: undefined } as RequestInit),
          }
        : {}),
    };

    const provider = new Provider(`${origin}${ISSUER_MOUNT}`, configuration);
    // Forwarded headers are rewritten by the gateway from the one trusted origin before the provider sees them.
    provider.proxy = true;
    const limits: RequestLimitsContext = {
      instance: { id: instance.id, name: instance.name },
      policies,
      limiter: this.limiter,
      throttle: this.throttle,
      signals: this.signals,
      pages,
    };
    installClientCache(provider);
    installHashedClientSecrets(provider, requestLimitsClientGate(limits));
    // In nesting order, outermost first: request limits refuse before anything else runs and see
    // every answer last (a failed client authentication, whoever answered it).
    installIssuerHooks(provider, [
      requestLimits(limits),
      ...introspectionHooks(provider, {
        instanceId: instance.id,
        signingKeys: material.jwks.keys,
        apis,
        referenceTokens: this.referenceTokens,
        users: this.users,
        onLookupError: (err) =>
          this.logger.error(`instance ${instance.name}: introspection lookup failed: ${err.message}`),
      }),
      jsonNotFound,
      discoveryAdditions(API_SCOPES),
      installLegacyTokenResponse(provider),
    ]);
    provider.on('server_error', (_ctx, err: Error) =>
      this.logger.error(`instance ${instance.name}: ${err.name}: ${err.message}`),
    );
    provider.on('authorization.error', (_ctx, err: Error & { error_detail?: string }) =>
      this.logger.debug(
        `instance ${instance.name}: authorization refused: ${err.message}${err.error_detail ? ` (${err.error_detail})` : ''}`,
      ),
    );
    provider.on('backchannel.error', (_ctx, err: Error, client: { clientId: string }) =>
      this.logger.warn(
        `instance ${instance.name}: back-channel logout to ${client.clientId} failed: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}`,
      ),
    );
    return provider;
  }
}
