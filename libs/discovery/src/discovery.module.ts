import { Module } from '@nestjs/common';
import { AutoDiscoveryController } from './auto-discovery.controller';

@Module({ controllers: [AutoDiscoveryController] })
export class DiscoveryModule {}
