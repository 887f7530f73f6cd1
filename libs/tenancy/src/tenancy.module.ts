import { Global, Module } from '@nestjs/common';
import { ChangeChannel } from './change-channel';
import { CustomDomainRegistry } from './custom-domain-registry';
import { InstanceRegistry } from './instance-registry';
import { InstanceVersions } from './instance-versions';
import { TenantMiddleware } from './tenant-middleware';
import { TenantResolver } from './tenant-resolver';

@Global()
@Module({
  providers: [
    ChangeChannel,
    InstanceRegistry,
    CustomDomainRegistry,
    InstanceVersions,
    TenantResolver,
    TenantMiddleware,
  ],
  exports: [
    ChangeChannel,
    InstanceRegistry,
    CustomDomainRegistry,
    InstanceVersions,
    TenantResolver,
    TenantMiddleware,
  ],
})
export class TenancyModule {}
