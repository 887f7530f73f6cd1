export { InstanceEntity } from './instance.entity';
export type { InstanceStatus, InstanceSite, InstanceApiIdentifiers } from './instance.entity';
export { SigningKeyEntity } from './signing-key.entity';
export type { SigningKeyState, PublicJwk } from './signing-key.entity';
export { ClientEntity } from './client.entity';
export { UserEntity } from './user.entity';
export { CustomDomainEntity } from './custom-domain.entity';
export { AuditEventEntity } from './audit-event.entity';
export { ServiceAccountEntity } from './service-account.entity';
export type { ServiceAccountStatus } from './service-account.entity';
export type { UserKind, UserStatus } from './user.entity';
export { UserFactorEntity } from './user-factor.entity';
export type { FactorKind } from './user-factor.entity';
export { RecoveryCodeEntity } from './recovery-code.entity';
export type { TokenEndpointAuthMethod } from './client.entity';
export { ReferenceTokenEntity } from './reference-token.entity';
export type { ReferenceTokenApi, ReferenceTokenKind } from './reference-token.entity';

import { ClientEntity } from './client.entity';
import { AuditEventEntity } from './audit-event.entity';
import { CustomDomainEntity } from './custom-domain.entity';
import { InstanceEntity } from './instance.entity';
import { ReferenceTokenEntity } from './reference-token.entity';
import { ServiceAccountEntity } from './service-account.entity';
import { SigningKeyEntity } from './signing-key.entity';
import { RecoveryCodeEntity } from './recovery-code.entity';
import { UserFactorEntity } from './user-factor.entity';
import { UserEntity } from './user.entity';

export const entities = [
  InstanceEntity,
  SigningKeyEntity,
  ClientEntity,
  UserEntity,
  CustomDomainEntity,
  AuditEventEntity,
  ServiceAccountEntity,
  UserFactorEntity,
  RecoveryCodeEntity,
  ReferenceTokenEntity,
];
