import { InitialSchema1764300000000 } from './1764300000000-initial-schema';
import { UsersAndInteractiveClients1764400000000 } from './1764400000000-users-and-interactive-clients';
import { CustomDomains1764500000000 } from './1764500000000-custom-domains';
import { ClientAdministration1764700000000 } from './1764700000000-client-administration';
import { AuditEvents1764800000000 } from './1764800000000-audit-events';
import { UserFactors1764900000000 } from './1764900000000-user-factors';
import { ReferenceTokens1765000000000 } from './1765000000000-reference-tokens';

/** Every migration, in order. The schema changes only through these; `synchronize` stays off. */
export const migrations = [
  InitialSchema1764300000000,
  UsersAndInteractiveClients1764400000000,
  CustomDomains1764500000000,
  ClientAdministration1764700000000,
  AuditEvents1764800000000,
  UserFactors1764900000000,
  ReferenceTokens1765000000000,
];
