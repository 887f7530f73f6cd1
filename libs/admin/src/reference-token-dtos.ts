import {
  INSTANCE_API_SCOPES,
  REFERENCE_TOKEN_APIS,
  REFERENCE_TOKEN_DESCRIPTION_MAX_LENGTH,
  REFERENCE_TOKEN_KINDS,
} from '@erp-id/accounts';
import { z } from 'zod';

export const MAX_REFERENCE_TOKENS_PAGE = 200;
const DEFAULT_REFERENCE_TOKENS_PAGE = 50;

export const issueReferenceTokenSchema = z.strictObject({
  kind: z.enum(REFERENCE_TOKEN_KINDS),
  subject: z.uuid('must be a user or service account id'),
  scopes: z
    .array(z.enum(INSTANCE_API_SCOPES))
    .min(1, 'at least one API scope is required')
    .max(INSTANCE_API_SCOPES.length * 2),
  apis: z
    .array(z.enum(REFERENCE_TOKEN_APIS as [string, ...string[]]))
    .min(1, 'at least one API is required')
    .max(REFERENCE_TOKEN_APIS.length * 2)
    .optional(),
  expiresAt: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), 'must be in the future')
    .optional(),
  description: z.string().trim().max(REFERENCE_TOKEN_DESCRIPTION_MAX_LENGTH).optional(),
});
export type IssueReferenceTokenDto = z.infer<typeof issueReferenceTokenSchema>;

const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

export const listReferenceTokensQuerySchema = z.strictObject({
  limit: wholeNumber(1, MAX_REFERENCE_TOKENS_PAGE, DEFAULT_REFERENCE_TOKENS_PAGE),
  offset: wholeNumber(0, 1_000_000_000, 0),
  subject: z.uuid('must be a user or service account id').optional(),
  kind: z.enum(REFERENCE_TOKEN_KINDS).optional(),
});
export type ListReferenceTokensQuery = z.infer<typeof listReferenceTokensQuerySchema>;
