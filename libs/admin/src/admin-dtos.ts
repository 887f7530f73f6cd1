import { GRANT_TYPES, MAX_SECRET_GRACE_SECONDS, RESPONSE_TYPES } from '@erp-id/accounts';
import { MAX_CUSTOM_DOMAINS } from '@erp-id/instances';
import { z } from 'zod';

const uri = z.string().min(1).max(2000);

/** Sites resolve `/…` against the host a request came to; anything else must be a full http(s) URL. */
function isSiteUrl(value: string): boolean {
  if (value.startsWith('/')) return !value.startsWith('//');
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const siteSchema = z.strictObject({
  type: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'letters, digits and . _ - only, starting with a letter')
    // The gateway lists the identity server itself, at the host of each request.
    .refine((type) => type.toUpperCase() !== 'ID', 'the ID site is always listed; it cannot be registered'),
  url: z.string().max(2000).refine(isSiteUrl, 'must be an absolute http(s) URL or a path starting with "/"'),
  status: z.string().trim().min(1).max(32).optional(),
  additionalProperties: z
    .record(z.string().min(1).max(100), z.string().max(2000))
    .refine((props) => Object.keys(props).length <= 20, 'at most 20 properties')
    .optional(),
});

const sitesSchema = z.array(siteSchema).max(20);

// Checked in full (DNS syntax, not under the base domain) by the instances service, which the CLI uses too.
const customDomainsSchema = z.array(z.string().max(253)).max(MAX_CUSTOM_DOMAINS);

/** A partial policy document; its fields are validated by the policy schema (422 naming the field). */
const policiesSchema = z.record(z.string(), z.unknown());

const displayName = z.string().trim().min(1).max(200);

// https and the rest are checked by the instances service (the CLI goes through it too).
const apiIdentifier = z.strictObject({ identifier: z.string().min(1).max(2000) });
const apisSchema = z.strictObject({ domain: apiIdentifier.optional(), table: apiIdentifier.optional() });

export const createInstanceSchema = z.strictObject({
  name: z.string().min(1).max(63),
  displayName: displayName.optional(),
  sites: sitesSchema.optional(),
  customDomains: customDomainsSchema.optional(),
  policies: policiesSchema.optional(),
  apis: apisSchema.optional(),
});
export type CreateInstanceDto = z.infer<typeof createInstanceSchema>;

export const updateInstanceSchema = z
  .strictObject({
    // null clears the display name; null sites go back to the default sites.
    displayName: displayName.nullable().optional(),
    sites: sitesSchema.nullable().optional(),
    customDomains: customDomainsSchema.optional(),
    policies: policiesSchema.optional(),
    status: z.enum(['active', 'suspended']).optional(),
    // null goes back to the default identifiers.
    apis: apisSchema.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field to change is required');
export type UpdateInstanceDto = z.infer<typeof updateInstanceSchema>;

/** The largest page the instance list returns. */
export const MAX_INSTANCES_PAGE = 200;
const DEFAULT_INSTANCES_PAGE = 50;

/** A query parameter holding a whole number (query values arrive as strings; a repeated one as an array). */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

export const listInstancesQuerySchema = z.strictObject({
  limit: wholeNumber(1, MAX_INSTANCES_PAGE, DEFAULT_INSTANCES_PAGE),
  offset: wholeNumber(0, 1_000_000_000, 0),
  status: z.enum(['active', 'suspended']).optional(),
});
export type ListInstancesQuery = z.infer<typeof listInstancesQuerySchema>;

const clientName = z.string().trim().min(1).max(200);
const grantTypes = z.array(z.enum(GRANT_TYPES)).min(1).max(4);
const scopes = z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'not a valid scope token')).max(50);
const uris = z.array(uri).max(50);
const responseTypes = z.array(z.enum(RESPONSE_TYPES)).max(4);
const tokenEndpointAuthMethod = z.enum(['client_secret_basic', 'client_secret_post', 'none']);

export const createClientSchema = z.strictObject({
  clientId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._~:-]+$/, 'letters, digits and . _ ~ : - only'),
  clientSecret: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  clientName: clientName.optional(),
  grantTypes,
  scopes: scopes.default([]),
  redirectUris: uris.default([]),
  postLogoutRedirectUris: uris.default([]),
  responseTypes: responseTypes.optional(),
  backchannelLogoutUri: uri.optional(),
  frontchannelLogoutUri: uri.optional(),
  requireConsent: z.boolean().optional(),
  introspection: z.boolean().optional(),
  tokenEndpointAuthMethod: tokenEndpointAuthMethod.default('client_secret_basic'),
});
export type CreateClientDto = z.infer<typeof createClientSchema>;

/** Any mutable field of a client; `null` clears an optional one. The client id and secret are not here. */
export const updateClientSchema = z
  .strictObject({
    clientName: clientName.nullable().optional(),
    grantTypes: grantTypes.optional(),
    responseTypes: responseTypes.optional(),
    scopes: scopes.optional(),
    redirectUris: uris.optional(),
    postLogoutRedirectUris: uris.optional(),
    backchannelLogoutUri: uri.nullable().optional(),
    frontchannelLogoutUri: uri.nullable().optional(),
    requireConsent: z.boolean().optional(),
    introspection: z.boolean().optional(),
    tokenEndpointAuthMethod: tokenEndpointAuthMethod.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field to change is required');
export type UpdateClientDto = z.infer<typeof updateClientSchema>;

/** A secret rotation: how long the replaced secret keeps working (default 0: it stops at once). */
export const rotateSecretSchema = z.strictObject({
  gracePeriodSeconds: z.number().int().min(0).max(MAX_SECRET_GRACE_SECONDS).default(0),
});
export type RotateSecretDto = z.infer<typeof rotateSecretSchema>;
