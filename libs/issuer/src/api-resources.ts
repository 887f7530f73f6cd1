/** The instance's APIs that access tokens are issued for (resource indicators, RFC 8707). */
export interface ApiResource {
  /** Resource indicator and `aud` of its tokens. */
  identifier: string;
  scopes: readonly string[];
}

export const API_SCOPES = ['read', 'update'] as const;

/** Every instance serves the Domain API and the Table API under its own root. */
export function apiResourcesFor(origin: string): ApiResource[] {
  return [
    { identifier: `${origin}/api/domain`, scopes: API_SCOPES },
    { identifier: `${origin}/api/table`, scopes: API_SCOPES },
  ];
}
