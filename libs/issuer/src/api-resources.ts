import { INSTANCE_API_SCOPES } from '@erp-id/accounts';

/** The instance's APIs that access tokens are issued for (resource indicators, RFC 8707). */
export interface ApiResource {
  /** Resource indicator and `aud` of its tokens. */
  identifier: string;
  scopes: readonly string[];
}

// One list for the issuer and the service accounts that are given these scopes.
export const API_SCOPES = INSTANCE_API_SCOPES;

/** Every instance serves the Domain API and the Table API under its own root. */
export function apiResourcesFor(origin: string): ApiResource[] {
  return [
    { identifier: `${origin}/api/domain`, scopes: API_SCOPES },
    { identifier: `${origin}/api/table`, scopes: API_SCOPES },
  ];
}
