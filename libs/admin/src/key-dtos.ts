import { SIGNING_ALGORITHMS } from '@erp-id/keys';
import { z } from 'zod';

/** `POST …/keys/rotate` and `…/keys/next`: the body is optional; without an algorithm the policy's applies. */
export const keyChangeSchema = z.strictObject({
  algorithm: z.enum(SIGNING_ALGORITHMS).optional(),
});
export type KeyChangeDto = z.infer<typeof keyChangeSchema>;
