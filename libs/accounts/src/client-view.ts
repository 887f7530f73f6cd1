import type { ClientEntity } from '@erp-id/persistence';

/** A client as the admin API shows it: never its secret or the secret's hash. */
export interface ClientView {
  id: string;
  clientId: string;
  clientName: string | null;
  tokenEndpointAuthMethod: ClientEntity['tokenEndpointAuthMethod'];
  grantTypes: string[];
  responseTypes: string[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  frontchannelLogoutUri: string | null;
  requireConsent: boolean;
  /** May call the introspection endpoint. */
  introspection: boolean;
  /** Until when the secret replaced by the last rotation still authenticates; null when it does not. */
  previousSecretExpiresAt: string | null;
  /** The service account this client is the credential of; it is managed through that account. */
  serviceAccountId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreatedClient {
  client: ClientView;
  /** Shown once, in the creation response; only its hash is stored. */
  clientSecret: string | null;
}

/** A client after a secret rotation, with the new secret (shown once). */
export interface RotatedClient {
  client: ClientView;
  clientSecret: string;
}

export function toClientView(row: ClientEntity, now = new Date()): ClientView {
  const graceLeft = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now;
  return {
    id: row.id,
    clientId: row.clientId,
    clientName: row.clientName,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    grantTypes: row.grantTypes,
    responseTypes: row.responseTypes,
    scopes: row.scopes,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    backchannelLogoutUri: row.backchannelLogoutUri,
    frontchannelLogoutUri: row.frontchannelLogoutUri,
    requireConsent: row.requireConsent,
    introspection: row.introspection,
    previousSecretExpiresAt: graceLeft ? row.previousSecretExpiresAt!.toISOString() : null,
    serviceAccountId: row.serviceAccountId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
