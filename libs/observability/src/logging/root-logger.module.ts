import { Module } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import type { Logger } from 'pino';
import { createRootLogger } from './root-logger';

/** Injection token of the process's root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Provides the root logger at the configured `LOG_LEVEL`, for Nest's logger and the request log alike. */
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig): Logger => createRootLogger(config.logLevel),
    },
  ],
  exports: [ROOT_LOGGER],
})
export class RootLoggerModule {}
