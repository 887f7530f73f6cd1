import { Global, Module } from '@nestjs/common';
import { ChangeChannel } from './change-channel';
import { InstanceRegistry } from './instance-registry';
import { InstanceVersions } from './instance-versions';
import { TenantMiddleware } from './tenant-middleware';
import { TenantResolver } from './tenant-resolver';

@Global()
@Module({
  providers: [ChangeChannel, InstanceRegistry, InstanceVersions, TenantResolver, TenantMiddleware],
  exports: [ChangeChannel, InstanceRegistry, InstanceVersions, TenantResolver, TenantMiddleware],
})
export class TenancyModule {}
