export { GatewayConfigModule, validateConfig, ConfigurationError } from './config.module';
export { GatewayConfig } from './gateway-config';
export { configSchema } from './config.schema';
export type { RawGatewayConfig } from './config.schema';
export {
  ADMIN_TOKEN_NAME,
  ADMIN_TOKEN_PREFIX,
  PLAIN_ADMIN_TOKEN_NAME,
  adminTokenDigest,
  adminTokenHashEntry,
  generateAdminToken,
  parseAdminTokenHashes,
} from './admin-token-hashes';
export type { AdminTokenHash, ParsedTokenHashes } from './admin-token-hashes';
