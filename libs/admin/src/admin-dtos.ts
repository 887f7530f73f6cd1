import { GRANT_TYPES, RESPONSE_TYPES } from '@erp-id/accounts';
import { z } from 'zod';

const uri = z.string().min(1).max(2000);

export const createInstanceSchema = z.strictObject({
  name: z.string().min(1).max(63),
  displayName: z.string().trim().min(1).max(200).optional(),
});
export type CreateInstanceDto = z.infer<typeof createInstanceSchema>;

export const createClientSchema = z.strictObject({
  clientId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._~:-]+$/, 'letters, digits and . _ ~ : - only'),
  clientSecret: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  clientName: z.string().trim().min(1).max(200).optional(),
  grantTypes: z.array(z.enum(GRANT_TYPES)).min(1).max(4),
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'not a valid scope token'))
    .max(50)
    .default([]),
  redirectUris: z.array(uri).max(50).default([]),
  postLogoutRedirectUris: z.array(uri).max(50).default([]),
  responseTypes: z.array(z.enum(RESPONSE_TYPES)).max(4).optional(),
  backchannelLogoutUri: uri.optional(),
  frontchannelLogoutUri: uri.optional(),
  requireConsent: z.boolean().optional(),
  tokenEndpointAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post', 'none'])
    .default('client_secret_basic'),
});
export type CreateClientDto = z.infer<typeof createClientSchema>;
