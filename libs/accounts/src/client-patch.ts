import type { ClientEntity } from '@erp-id/persistence';
import {
  type ClientRegistration,
  type GrantType,
  type ResponseTypeName,
  ClientRuleViolation,
} from './client-rules';

/**
 * A change to a client; absent fields stay as they are, `null` clears an optional one. The secret
 * changes only through rotation, and a client stays confidential or public for its whole life
 * (a public client has no secret to start from, a confidential one's tokens assume one).
 */
export interface ClientPatch {
  clientName?: string | null;
  grantTypes?: GrantType[];
  responseTypes?: ResponseTypeName[];
  scopes?: string[];
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string | null;
  frontchannelLogoutUri?: string | null;
  requireConsent?: boolean;
  introspection?: boolean;
  tokenEndpointAuthMethod?: ClientEntity['tokenEndpointAuthMethod'];
}

const interactiveGrants: ReadonlySet<string> = new Set(['authorization_code', 'implicit']);

/**
 * Response types when only the grant types change: the stored ones while the client stays
 * interactive, `["code"]` for a client that becomes a code-flow client, none when it stops being
 * interactive. An explicit `responseTypes` always wins.
 */
function patchedResponseTypes(row: ClientEntity, patch: ClientPatch): ResponseTypeName[] {
  if (patch.responseTypes) return patch.responseTypes;
  const stored = row.responseTypes as ResponseTypeName[];
  if (!patch.grantTypes) return stored;
  if (!patch.grantTypes.some((g) => interactiveGrants.has(g))) return [];
  if (stored.length) return stored;
  return patch.grantTypes.includes('authorization_code') ? ['code'] : [];
}

/** The whole registration a patch leads to, to be checked by the same rules as a new client. */
export function patchedRegistration(row: ClientEntity, patch: ClientPatch): ClientRegistration {
  const method = patch.tokenEndpointAuthMethod ?? row.tokenEndpointAuthMethod;
  if ((method === 'none') !== (row.tokenEndpointAuthMethod === 'none')) {
    throw new ClientRuleViolation(
      'tokenEndpointAuthMethod',
      row.tokenEndpointAuthMethod === 'none'
        ? 'a public client cannot become confidential; register a new client'
        : 'a confidential client cannot become public; register a new client',
    );
  }
  const optional = <T>(value: T | null | undefined, stored: T | null): T | undefined =>
    value === undefined ? (stored ?? undefined) : (value ?? undefined);
  return {
    clientId: row.clientId,
    clientName: optional(patch.clientName, row.clientName),
    grantTypes: patch.grantTypes ?? (row.grantTypes as GrantType[]),
    responseTypes: patchedResponseTypes(row, patch),
    scopes: patch.scopes ?? row.scopes,
    redirectUris: patch.redirectUris ?? row.redirectUris,
    postLogoutRedirectUris: patch.postLogoutRedirectUris ?? row.postLogoutRedirectUris,
    backchannelLogoutUri: optional(patch.backchannelLogoutUri, row.backchannelLogoutUri),
    frontchannelLogoutUri: optional(patch.frontchannelLogoutUri, row.frontchannelLogoutUri),
    requireConsent: patch.requireConsent ?? row.requireConsent,
    introspection: patch.introspection ?? row.introspection,
    tokenEndpointAuthMethod: method,
  };
}
