import { Global, Module } from '@nestjs/common';
import { InstancesService } from './instances.service';

@Global()
@Module({ providers: [InstancesService], exports: [InstancesService] })
export class InstancesModule {}
