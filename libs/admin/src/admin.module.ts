import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AdminTokenStrategy } from './admin-token.strategy';
import { ClientsController } from './clients.controller';
import { InstancesController } from './instances.controller';
import { KeysController } from './keys.controller';
import { PoliciesController } from './policies.controller';
import { UserFactorsController } from './user-factors.controller';
import { UsersController } from './users.controller';

/** The hosting provider's API, served on the admin listener only. */
@Module({
  imports: [PassportModule],
  controllers: [
    InstancesController,
    PoliciesController,
    ClientsController,
    UsersController,
    UserFactorsController,
    KeysController,
  ],
  providers: [AdminTokenStrategy],
})
export class AdminModule {}
