import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { configSchema, describeConfigError } from './config.schema';
import { GatewayConfig } from './gateway-config';

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function validateConfig(env: Record<string, unknown>): Record<string, unknown> {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) throw new ConfigurationError(describeConfigError(parsed.error));
  return parsed.data;
}

/** Loads and validates the environment once at start; a bad value stops the process with a clear message. */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      ignoreEnvFile: true,
      cache: true,
      validate: validateConfig,
    }),
  ],
  providers: [GatewayConfig],
  exports: [GatewayConfig],
})
export class GatewayConfigModule {}
