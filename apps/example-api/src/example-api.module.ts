import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ResourceServerModule, type ResourceServerOptions } from '@erp-id/resource-server';
import { ItemStore } from './item-store';
import { ItemsController } from './items.controller';
import { RequestLogMiddleware } from './request-log.middleware';

/** The whole example API: one resource server configuration, one controller. */
@Module({})
export class ExampleApiModule implements NestModule {
  static register(options: ResourceServerOptions) {
    return {
      module: ExampleApiModule,
      imports: [ResourceServerModule.forRoot(options)],
      controllers: [ItemsController],
      providers: [ItemStore],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('{*path}');
  }
}
