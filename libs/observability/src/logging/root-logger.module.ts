import { Module } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import type { Logger } from 'pino';
import { createRootLoggers, type RootLoggers } from './root-logger';

/** Injection token of the process's loggers (root and request lines). */
export const ROOT_LOGGERS = Symbol('ROOT_LOGGERS');
/** Injection token of the root pino logger, which Nest's logger writes to. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Provides the loggers at the configured `LOG_LEVEL`. */
@Module({
  providers: [
    {
      provide: ROOT_LOGGERS,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig): RootLoggers => createRootLoggers(config.logLevel),
    },
    {
      provide: ROOT_LOGGER,
      inject: [ROOT_LOGGERS],
      useFactory: (loggers: RootLoggers): Logger => loggers.root,
    },
  ],
  exports: [ROOT_LOGGERS, ROOT_LOGGER],
})
export class RootLoggerModule {}
