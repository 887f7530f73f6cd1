/**
 * The scopes of the instance's APIs (Domain API, Table API), which client-credentials tokens carry.
 * The issuer serves these; service accounts may be given any of them.
 */
export const INSTANCE_API_SCOPES = ['read', 'update'] as const;
export type InstanceApiScope = (typeof INSTANCE_API_SCOPES)[number];
