import {
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USER_KINDS,
  USER_STATUSES,
} from '@erp-id/accounts';
import { z } from 'zod';

/** The largest page the list returns; a bigger page would hold a request (and Postgres) too long. */
export const MAX_USERS_PAGE = 200;
const DEFAULT_USERS_PAGE = 50;

const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
const email = z.email().max(EMAIL_MAX_LENGTH);
const displayName = z.string().trim().min(1).max(DISPLAY_NAME_MAX_LENGTH);
const kind = z.enum(USER_KINDS);

export const createUserSchema = z.strictObject({
  username: z.string().trim().min(1).max(USERNAME_MAX_LENGTH),
  password,
  kind,
  email: email.optional(),
  name: displayName.optional(),
});
export type CreateUserDto = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .strictObject({
    password: password.optional(),
    kind: kind.optional(),
    status: z.enum(USER_STATUSES).optional(),
    // null clears the value.
    email: email.nullable().optional(),
    name: displayName.nullable().optional(),
    unlock: z.literal(true).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field to change is required');
export type UpdateUserDto = z.infer<typeof updateUserSchema>;

/** A query parameter holding a whole number (query values arrive as strings; a repeated one as an array). */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

export const listUsersQuerySchema = z.strictObject({
  limit: wholeNumber(1, MAX_USERS_PAGE, DEFAULT_USERS_PAGE),
  offset: wholeNumber(0, 1_000_000_000, 0),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;
