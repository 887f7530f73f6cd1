import {
  INSTANCE_API_SCOPES,
  SERVICE_ACCOUNT_DESCRIPTION_MAX_LENGTH,
  SERVICE_ACCOUNT_NAME,
  SERVICE_ACCOUNT_NAME_MAX_LENGTH,
  SERVICE_ACCOUNT_STATUSES,
} from '@erp-id/accounts';
import { z } from 'zod';

/** The largest page the list returns. */
export const MAX_SERVICE_ACCOUNTS_PAGE = 200;
const DEFAULT_SERVICE_ACCOUNTS_PAGE = 50;

const description = z.string().trim().max(SERVICE_ACCOUNT_DESCRIPTION_MAX_LENGTH);
const scopes = z
  .array(z.enum(INSTANCE_API_SCOPES))
  .min(1, 'at least one API scope is required')
  .max(INSTANCE_API_SCOPES.length * 2);

export const createServiceAccountSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(SERVICE_ACCOUNT_NAME_MAX_LENGTH)
    .regex(
      SERVICE_ACCOUNT_NAME,
      'lower-case letters, digits and . _ - only, starting with a letter or digit',
    ),
  description: description.optional(),
  scopes,
});
export type CreateServiceAccountDto = z.infer<typeof createServiceAccountSchema>;

export const updateServiceAccountSchema = z
  .strictObject({
    // null clears the description.
    description: description.nullable().optional(),
    scopes: scopes.optional(),
    status: z.enum(SERVICE_ACCOUNT_STATUSES).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field to change is required');
export type UpdateServiceAccountDto = z.infer<typeof updateServiceAccountSchema>;

/** A query parameter holding a whole number (query values arrive as strings; a repeated one as an array). */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

export const listServiceAccountsQuerySchema = z.strictObject({
  limit: wholeNumber(1, MAX_SERVICE_ACCOUNTS_PAGE, DEFAULT_SERVICE_ACCOUNTS_PAGE),
  offset: wholeNumber(0, 1_000_000_000, 0),
});
export type ListServiceAccountsQuery = z.infer<typeof listServiceAccountsQuerySchema>;
