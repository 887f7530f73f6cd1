import type { UserEntity, UserKind, UserStatus } from '@erp-id/persistence';

/** A user as the admin API shows it: never the password or its hash. */
export interface UserView {
  id: string;
  username: string;
  name: string | null;
  email: string | null;
  kind: UserKind;
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
}

/** One user with the state of its sign-in lock (a lookup in the state store, so not in lists). */
export interface UserDetails extends UserView {
  locked: boolean;
}

export interface UserPage {
  items: UserView[];
  total: number;
}

export function toUserView(row: UserEntity): UserView {
  return {
    id: row.id,
    username: row.username,
    name: row.displayName,
    email: row.email,
    kind: row.kind,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
