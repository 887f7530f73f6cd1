import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AdminCaller } from './admin-caller';
import { AdminTokenStrategy } from './admin-token.strategy';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { ClientsController } from './clients.controller';
import { InstancesController } from './instances.controller';
import { KeyEncryptionController } from './key-encryption.controller';
import { KeysController } from './keys.controller';
import { PoliciesController } from './policies.controller';
import { ReferenceTokensController } from './reference-tokens.controller';
import { ServiceAccountsController } from './service-accounts.controller';
import { UserFactorsController } from './user-factors.controller';
import { UsersController } from './users.controller';

/** The hosting provider's API, served on the admin listener only. */
@Module({
  imports: [PassportModule],
  controllers: [
    InstancesController,
    PoliciesController,
    ClientsController,
    ServiceAccountsController,
    ReferenceTokensController,
    UsersController,
    UserFactorsController,
    KeysController,
    KeyEncryptionController,
    AuditController,
  ],
  providers: [
    AdminTokenStrategy,
    AdminCaller,
    // For the whole application, so an admin route added anywhere is audited without asking for it.
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
})
export class AdminModule {}
