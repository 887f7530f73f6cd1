export { GatewayConfigModule, validateConfig, ConfigurationError } from './config.module';
export { GatewayConfig } from './gateway-config';
export { configSchema } from './config.schema';
export type { RawGatewayConfig } from './config.schema';
