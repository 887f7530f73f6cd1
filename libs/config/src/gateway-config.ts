import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AdminTokenHash } from './admin-token-hashes';
import type { RawGatewayConfig } from './config.schema';

/** Typed, read-only view of the validated configuration. */
@Injectable()
export class GatewayConfig {
  readonly port: number;
  readonly adminPort: number;
  readonly adminHost: string;
  readonly baseDomain: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly redisKeyPrefix: string;
  /** Plain admin token (development and tests); accepted under the name `default`. */
  readonly adminApiToken: string | undefined;
  /** Hashes of the admin tokens, each with the name recorded as the actor of what it does. */
  readonly adminApiTokenHashes: readonly AdminTokenHash[];
  readonly keyEncryptionKey: string | undefined;
  /** Earlier key-encryption keys, newest first: they open what is not yet re-sealed, never seal. */
  readonly keyEncryptionKeyPrevious: readonly string[];
  readonly trustedProxies: readonly string[];
  readonly dataDir: string;
  readonly logLevel: RawGatewayConfig['LOG_LEVEL'];
  readonly production: boolean;
  /** Whether to create the `testdb` demo instance on first start (embedded mode by default). */
  readonly demoInstance: boolean;
  /** Back-channel calls may reach private and loopback addresses (apps inside the hosting network). */
  readonly allowPrivateNetworkCallbacks: boolean;
  readonly issuerPoolMax: number;
  readonly issuerIdleMs: number;
  readonly auditRetentionDays: number;
  /** Admin API requests per client address and minute; 0 when unlimited. */
  readonly adminRateLimitPerMinute: number;

  constructor(config: ConfigService<RawGatewayConfig, true>) {
    const get = <K extends keyof RawGatewayConfig>(key: K): RawGatewayConfig[K] =>
      config.get(key, { infer: true });
    this.port = get('PORT');
    this.adminPort = get('ADMIN_PORT');
    this.adminHost = get('ADMIN_HOST');
    this.baseDomain = get('BASE_DOMAIN');
    this.databaseUrl = get('DATABASE_URL');
    this.redisUrl = get('REDIS_URL');
    this.redisKeyPrefix = get('REDIS_KEY_PREFIX');
    this.adminApiToken = get('ADMIN_API_TOKEN');
    this.adminApiTokenHashes = get('ADMIN_API_TOKEN_HASHES');
    this.keyEncryptionKey = get('KEY_ENCRYPTION_KEY');
    this.keyEncryptionKeyPrevious = get('KEY_ENCRYPTION_KEY_PREVIOUS');
    this.trustedProxies = get('TRUSTED_PROXIES');
    this.dataDir = get('DATA_DIR');
    this.logLevel = get('LOG_LEVEL');
    this.production = get('NODE_ENV') === 'production';
    this.demoInstance = get('DEMO_INSTANCE') ?? (!this.databaseUrl && !this.production);
    this.allowPrivateNetworkCallbacks = get('ALLOW_PRIVATE_NETWORK_CALLBACKS');
    this.issuerPoolMax = get('ISSUER_POOL_MAX');
    this.issuerIdleMs = get('ISSUER_IDLE_SECONDS') * 1000;
    this.auditRetentionDays = get('AUDIT_RETENTION_DAYS');
    this.adminRateLimitPerMinute = get('ADMIN_RATE_LIMIT_PER_MINUTE');
  }

  /** Embedded mode: PGlite and the in-process state store, one process only. */
  get embeddedDatabase(): boolean {
    return !this.databaseUrl;
  }

  get embeddedState(): boolean {
    return !this.redisUrl;
  }
}
