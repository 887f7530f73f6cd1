import type Provider from 'oidc-provider';
import type { InteractionDetails } from './interaction-details';

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const API_SCOPES = new Set(['read', 'update']);

export type UserKind = 'internal' | 'external';

function requested(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}

function resources(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Grants what the authorization request asked for. Internal users get the API scopes they asked
 * for; for external users those scopes are recorded as refused, so no access token they obtain
 * ever carries them (and the provider does not ask again).
 */
export async function grantRequested(
  provider: Provider,
  details: InteractionDetails,
  accountId: string,
  kind: UserKind,
): Promise<string> {
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant =
    existing && existing.accountId === accountId ? existing : new provider.Grant({ accountId, clientId });
  const scopes = requested(details.params.scope);
  const oidc = scopes.filter((s) => OIDC_SCOPES.has(s));
  if (oidc.length) grant.addOIDCScope(oidc.join(' '));
  const api = scopes.filter((s) => API_SCOPES.has(s));
  for (const resource of resources(details.params.resource)) {
    if (!api.length) continue;
    if (kind === 'internal') grant.addResourceScope(resource, api.join(' '));
    else grant.rejectResourceScope(resource, api.join(' '));
  }
  return grant.save();
}
