import type { UserEntity } from '@erp-id/persistence';

/** Injection token for the {@link UserLookup} sign-in uses (UsersService in the application). */
export const USER_LOOKUP = Symbol('USER_LOOKUP');

/** How sign-in finds an account; an interface so the lockout rules can be tested without a database. */
export interface UserLookup {
  /** The ACTIVE user whose normalized username matches; null for unknown and disabled users alike. */
  findActiveByUsername(instanceId: string, username: string): Promise<UserEntity | null>;
}
