import { SIGNING_ALGORITHMS } from '@erp-id/keys';
import { z } from 'zod';

/** `POST …/keys/rotate` and `…/keys/next`: the body is optional; without an algorithm the policy's applies. */
export const keyChangeSchema = z.strictObject({
  algorithm: z.enum(SIGNING_ALGORITHMS).optional(),
});
export type KeyChangeDto = z.infer<typeof keyChangeSchema>;

/** `POST /admin/v1/keys/reencrypt`: the body is optional; without an instance every instance is done. */
export const reencryptSchema = z.strictObject({
  instance: z.string().min(1).max(63).optional(),
});
export type ReencryptDto = z.infer<typeof reencryptSchema>;
