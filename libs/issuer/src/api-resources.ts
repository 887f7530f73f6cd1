import { INSTANCE_API_SCOPES } from '@erp-id/accounts';
import type { InstanceApiIdentifiers, ReferenceTokenApi } from '@erp-id/persistence';

/** The instance's APIs that access tokens are issued for (resource indicators, RFC 8707). */
export interface ApiResource {
  /** `domain` or `table`: how reference tokens name the API. */
  name: ReferenceTokenApi;
  /** Resource indicator and `aud` of its tokens. */
  identifier: string;
  scopes: readonly string[];
}

// One list for the issuer and the service accounts that are given these scopes.
export const API_SCOPES = INSTANCE_API_SCOPES;

/**
 * Every instance serves the Domain API and the Table API; their identifiers derive from the root URL
 * the request came to unless the instance registered its own (`apis` on the instance).
 */
export function apiResourcesFor(
  origin: string,
  overrides: Readonly<InstanceApiIdentifiers> | null = null,
): ApiResource[] {
  return [
    {
      name: 'domain',
      identifier: overrides?.domain?.identifier ?? `${origin}/api/domain`,
      scopes: API_SCOPES,
    },
    { name: 'table', identifier: overrides?.table?.identifier ?? `${origin}/api/table`, scopes: API_SCOPES },
  ];
}
