import { type AuditCursor, decodeAuditCursor } from '@erp-id/audit';
import { z } from 'zod';

export const MAX_AUDIT_PAGE = 200;
const DEFAULT_AUDIT_PAGE = 50;

export const listAuditQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_AUDIT_PAGE))
    .default(DEFAULT_AUDIT_PAGE),
  /** The `next` of the previous page. */
  before: z
    .string()
    .transform((text, ctx): AuditCursor => {
      const cursor = decodeAuditCursor(text);
      if (cursor) return cursor;
      ctx.addIssue({ code: 'custom', message: 'must be the next cursor of an earlier page' });
      return z.NEVER;
    })
    .optional(),
  /** Actions starting with this: `client.`, `sign_in.failed`. */
  action: z
    .string()
    .regex(/^[a-z0-9_.]{1,100}$/, 'must be an action or its beginning (lower-case letters, digits, _ and .)')
    .optional(),
});
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;
