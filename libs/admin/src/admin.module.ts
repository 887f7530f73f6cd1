import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AdminTokenStrategy } from './admin-token.strategy';
import { ClientsController } from './clients.controller';
import { InstancesController } from './instances.controller';
import { UsersController } from './users.controller';

/** The hosting provider's API, served on the admin listener only. */
@Module({
  imports: [PassportModule],
  controllers: [InstancesController, ClientsController, UsersController],
  providers: [AdminTokenStrategy],
})
export class AdminModule {}
