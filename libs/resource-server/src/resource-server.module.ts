import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { AccessTokenVerifier } from './access-token-verifier';
import { ErpAuthGuard } from './erp-auth.guard';
import { ErpBearerStrategy } from './erp-bearer.strategy';
import {
  RESOURCE_SERVER_OPTIONS,
  resolveResourceServerOptions,
  type ResourceServerOptions,
} from './resource-server-options';

export interface ResourceServerAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // Nest's own factory-provider shape: whatever the factory injects is typed by the caller.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => ResourceServerOptions | Promise<ResourceServerOptions>;
  inject?: NonNullable<Extract<Provider, { useFactory: unknown }>['inject']>;
}

const exported = [RESOURCE_SERVER_OPTIONS, AccessTokenVerifier, ErpBearerStrategy, ErpAuthGuard];

/**
 * Makes a NestJS app an ERP API of one instance: register once in the root module, then guard routes
 * with `@UseGuards(ErpAuthGuard)` and `@RequireScopes(...)`.
 */
@Module({})
export class ResourceServerModule {
  static forRoot(options: ResourceServerOptions): DynamicModule {
    return {
      module: ResourceServerModule,
      global: true,
      providers: [
        { provide: RESOURCE_SERVER_OPTIONS, useValue: resolveResourceServerOptions(options) },
        AccessTokenVerifier,
        ErpBearerStrategy,
        ErpAuthGuard,
      ],
      exports: exported,
    };
  }

  static forRootAsync(options: ResourceServerAsyncOptions): DynamicModule {
    return {
      module: ResourceServerModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: RESOURCE_SERVER_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) =>
            resolveResourceServerOptions(await options.useFactory(...args)),
        },
        AccessTokenVerifier,
        ErpBearerStrategy,
        ErpAuthGuard,
      ],
      exports: exported,
    };
  }
}
