import { Module } from '@nestjs/common';
import { AccountsModule } from '@erp-id/accounts';
import { AdminModule } from '@erp-id/admin';
import { AuditModule, AuditRetentionModule } from '@erp-id/audit';
import { GatewayConfigModule } from '@erp-id/config';
import { DiscoveryModule } from '@erp-id/discovery';
import { InstancesModule } from '@erp-id/instances';
import { InteractionsModule } from '@erp-id/interactions';
import { IssuerModule } from '@erp-id/issuer';
import { KeyRotationModule, KeysModule } from '@erp-id/keys';
import { MfaModule } from '@erp-id/mfa';
import { ObservabilityModule } from '@erp-id/observability';
import { PersistenceModule } from '@erp-id/persistence';
import { RateLimitsModule } from '@erp-id/rate-limits';
import { StateModule } from '@erp-id/state';
import { TenancyModule } from '@erp-id/tenancy';
import { DemoInstance } from './demo-instance';

@Module({
  imports: [
    GatewayConfigModule,
    ObservabilityModule,
    PersistenceModule,
    AuditModule,
    AuditRetentionModule,
    StateModule,
    KeysModule,
    KeyRotationModule,
    TenancyModule,
    AccountsModule,
    RateLimitsModule,
    MfaModule,
    InstancesModule,
    IssuerModule,
    InteractionsModule,
    DiscoveryModule,
    AdminModule,
  ],
  providers: [DemoInstance],
})
export class GatewayModule {}
