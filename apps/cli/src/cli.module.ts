import { Module } from '@nestjs/common';
import { AccountsModule } from '@erp-id/accounts';
import { GatewayConfigModule } from '@erp-id/config';
import { InstancesModule } from '@erp-id/instances';
import { MfaModule } from '@erp-id/mfa';
import { KeysModule } from '@erp-id/keys';
import { PersistenceModule } from '@erp-id/persistence';
import { StateModule } from '@erp-id/state';
import { TenancyModule } from '@erp-id/tenancy';
import { ClientsCreateCommand, ClientsCommand } from './commands/clients.command';
import {
  InstancesCommand,
  InstancesCreateCommand,
  InstancesDeleteCommand,
  InstancesListCommand,
  InstancesPoliciesCommand,
  InstancesResumeCommand,
  InstancesShowCommand,
  InstancesSuspendCommand,
} from './commands/instances.command';
import { KeysCommand, KeysListCommand, KeysRotateCommand } from './commands/keys.command';
import { MigrateCommand } from './commands/migrate.command';
import { UsersResetFactorsCommand } from './commands/user-factors.command';
import { UsersCommand } from './commands/users.command';

/** The CLI runs the same services as the gateway's admin API, without the HTTP listeners. */
@Module({
  imports: [
    GatewayConfigModule,
    PersistenceModule,
    StateModule,
    KeysModule,
    TenancyModule,
    AccountsModule,
    MfaModule,
    InstancesModule,
  ],
  providers: [
    MigrateCommand,
    InstancesCommand,
    InstancesCreateCommand,
    InstancesShowCommand,
    InstancesDeleteCommand,
    InstancesListCommand,
    InstancesPoliciesCommand,
    InstancesSuspendCommand,
    InstancesResumeCommand,
    ClientsCommand,
    ClientsCreateCommand,
    KeysCommand,
    KeysListCommand,
    KeysRotateCommand,
    UsersCommand,
    UsersResetFactorsCommand,
  ],
})
export class CliModule {}
