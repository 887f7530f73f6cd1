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
import { AdminTokensCommand, AdminTokensGenerateCommand } from './commands/admin-tokens.command';
import {
  ClientsCommand,
  ClientsCreateCommand,
  ClientsDeleteCommand,
  ClientsListCommand,
  ClientsRotateSecretCommand,
  ClientsShowCommand,
  ClientsUpdateCommand,
} from './commands/clients.command';
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
import {
  KeysCommand,
  KeysListCommand,
  KeysReencryptCommand,
  KeysRotateCommand,
} from './commands/keys.command';
import { MigrateCommand } from './commands/migrate.command';
import {
  ServiceAccountsCommand,
  ServiceAccountsCreateCommand,
  ServiceAccountsDeleteCommand,
  ServiceAccountsListCommand,
  ServiceAccountsRotateSecretCommand,
  ServiceAccountsShowCommand,
  ServiceAccountsUpdateCommand,
} from './commands/service-accounts.command';
import {
  TokensCommand,
  TokensIssueCommand,
  TokensListCommand,
  TokensRevokeCommand,
} from './commands/tokens.command';
import {
  UsersCommand,
  UsersCreateCommand,
  UsersDeleteCommand,
  UsersListCommand,
  UsersShowCommand,
  UsersUnlockCommand,
  UsersUpdateCommand,
} from './commands/users.command';
import { UsersResetFactorsCommand } from './commands/user-factors.command';

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
    ClientsListCommand,
    ClientsShowCommand,
    ClientsUpdateCommand,
    ClientsDeleteCommand,
    ClientsRotateSecretCommand,
    UsersCommand,
    UsersCreateCommand,
    UsersListCommand,
    UsersShowCommand,
    UsersUpdateCommand,
    UsersDeleteCommand,
    UsersUnlockCommand,
    ServiceAccountsCommand,
    ServiceAccountsCreateCommand,
    ServiceAccountsListCommand,
    ServiceAccountsShowCommand,
    ServiceAccountsUpdateCommand,
    ServiceAccountsDeleteCommand,
    ServiceAccountsRotateSecretCommand,
    TokensCommand,
    TokensIssueCommand,
    TokensListCommand,
    TokensRevokeCommand,
    KeysCommand,
    KeysListCommand,
    KeysRotateCommand,
    KeysReencryptCommand,
    // Listed here for the help text; main.ts runs them without this module's database connection.
    AdminTokensCommand,
    AdminTokensGenerateCommand,
    UsersResetFactorsCommand,
  ],
})
export class CliModule {}
