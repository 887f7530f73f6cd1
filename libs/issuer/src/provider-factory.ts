import { Injectable, Logger } from '@nestjs/common';
import { ClientsService } from '@erp-id/accounts';
import { InstanceKeysService, SIGNING_ALGORITHMS } from '@erp-id/keys';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import type { InstanceRecord } from '@erp-id/tenancy';
import { Inject } from '@nestjs/common';
import Provider, { errors, type Configuration } from 'oidc-provider';
import { apiResourcesFor } from './api-resources';
import { createClientAdapter } from './client-adapter';
import { installHashedClientSecrets } from './hashed-client-secrets';
import { installJsonNotFound } from './json-not-found';
import { installJwtIntrospection } from './jwt-introspection';
import { issuerPolicies } from './instance-policies';
import { INTERACTION_PREFIX, ISSUER_MOUNT, ISSUER_ROUTES } from './issuer-routes';

const ASYMMETRIC_ALGS = [...SIGNING_ALGORITHMS];

/** Builds one instance's oidc-provider from its record: issuer, keys, clients, policies, state store. */
@Injectable()
export class ProviderFactory {
  private readonly logger = new Logger(ProviderFactory.name);

  constructor(
    private readonly keys: InstanceKeysService,
    private readonly clients: ClientsService,
    @Inject(STATE_STORE) private readonly state: StateStore,
  ) {}

  async build(instance: InstanceRecord, origin: string): Promise<Provider> {
    const policies = issuerPolicies(instance.policies);
    const material = await this.keys.loadIssuerKeys(instance.id, instance.sealedCookieKeys);
    const apis = apiResourcesFor(origin);
    const stateAdapter = this.state.adapterFor(instance.name);
    const clientAdapter = createClientAdapter((clientId) =>
      this.clients.findForIssuer(instance.id, clientId),
    );
    const lifetimes = policies.tokenLifetimes;

    const configuration: Configuration = {
      adapter: (model: string) => (model === 'Client' ? clientAdapter : stateAdapter(model)),
      jwks: material.jwks,
      cookies: {
        keys: material.cookieKeys,
        long: { signed: true, httpOnly: true, sameSite: 'lax' },
        short: { signed: true, httpOnly: true, sameSite: 'lax' },
      },
      routes: ISSUER_ROUTES,
      scopes: ['openid', 'profile', 'offline_access', 'read', 'update'],
      claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'updated_at'], email: ['email'] },
      responseTypes: ['code'],
      clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
      clientDefaults: {
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: policies.signingAlgorithm,
      },
      enabledJWA: {
        idTokenSigningAlgValues: ASYMMETRIC_ALGS,
        userinfoSigningAlgValues: ASYMMETRIC_ALGS,
        introspectionSigningAlgValues: ASYMMETRIC_ALGS,
        authorizationSigningAlgValues: ASYMMETRIC_ALGS,
        requestObjectSigningAlgValues: ASYMMETRIC_ALGS,
        clientAuthSigningAlgValues: [],
      },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        introspection: { enabled: true },
        revocation: { enabled: true },
        userinfo: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => apis[0]!.identifier,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, indicator) => {
            const api = apis.find((a) => a.identifier === indicator);
            if (!api) throw new errors.InvalidTarget();
            return {
              scope: api.scopes.join(' '),
              audience: api.identifier,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: policies.signingAlgorithm } },
            };
          },
        },
      },
      findAccount: async () => undefined,
      interactions: {
        url: (_ctx, interaction) => `${ISSUER_MOUNT}${INTERACTION_PREFIX}${interaction.uid}`,
      },
      ttl: {
        AccessToken: lifetimes.accessToken,
        ClientCredentials: lifetimes.clientCredentials,
        IdToken: lifetimes.idToken,
        AuthorizationCode: lifetimes.authorizationCode,
        RefreshToken: lifetimes.refreshToken,
        Interaction: 3600,
        Session: policies.session.absoluteLifetime,
        Grant: policies.session.absoluteLifetime,
      },
      clockTolerance: 15,
    };

    const provider = new Provider(`${origin}${ISSUER_MOUNT}`, configuration);
    // Forwarded headers are rewritten by the gateway from the one trusted origin before the provider sees them.
    provider.proxy = true;
    installHashedClientSecrets(provider);
    installJwtIntrospection(provider, material.jwks.keys);
    installJsonNotFound(provider);
    provider.on('server_error', (_ctx, err: Error) =>
      this.logger.error(`instance ${instance.name}: ${err.name}: ${err.message}`),
    );
    return provider;
  }
}
