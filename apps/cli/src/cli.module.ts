import { Module } from '@nestjs/common';
import { AccountsModule } from '@erp-id/accounts';
import { AuditModule } from '@erp-id/audit';
import { GatewayConfigModule } from '@erp-id/config';
import { InstancesModule } from '@erp-id/instances';
import { MfaModule } from '@erp-id/mfa';
import { KeysModule } from '@erp-id/keys';
import { PersistenceModule } from '@erp-id/persistence';
import { StateModule } from '@erp-id/state';
import { TenancyModule } from '@erp-id/tenancy';
import { ADMIN_TOKEN_COMMANDS } from './commands/admin-tokens.command';
import { CLIENT_COMMANDS } from './commands/clients.command';
import { INSTANCE_COMMANDS } from './commands/instances.command';
import { KEY_COMMANDS } from './commands/keys.command';
import { MigrateCommand } from './commands/migrate.command';
import { SERVICE_ACCOUNT_COMMANDS } from './commands/service-accounts.command';
import { REFERENCE_TOKEN_COMMANDS } from './commands/tokens.command';
import { USER_COMMANDS } from './commands/users.command';

/** The CLI runs the same services as the gateway's admin API, without the HTTP listeners. */
@Module({
  imports: [
    GatewayConfigModule,
    PersistenceModule,
    AuditModule,
    StateModule,
    KeysModule,
    TenancyModule,
    AccountsModule,
    MfaModule,
    InstancesModule,
  ],
  providers: [
    MigrateCommand,
    ...INSTANCE_COMMANDS,
    ...CLIENT_COMMANDS,
    ...USER_COMMANDS,
    ...SERVICE_ACCOUNT_COMMANDS,
    ...REFERENCE_TOKEN_COMMANDS,
    ...KEY_COMMANDS,
    // Listed here for the help text; main.ts runs them without this module's database connection.
    ...ADMIN_TOKEN_COMMANDS,
  ],
})
export class CliModule {}
