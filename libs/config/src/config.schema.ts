import { isIP } from 'node:net';
import { z } from 'zod';
import { type AdminTokenHash, parseAdminTokenHashes, PLAIN_ADMIN_TOKEN_NAME } from './admin-token-hashes';

const port = z.coerce.number().int().min(0).max(65535);

const cidr = z.string().refine(
  (value) => {
    const [address, bits, ...rest] = value.split('/');
    if (rest.length > 0 || !address) return false;
    const family = isIP(address);
    if (family === 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
  },
  { message: 'must be an IP address or CIDR range' },
);

/** Standard or URL-safe base64 (padding optional) that decodes to exactly 32 bytes. */
const isBase64Key32 = (value: string): boolean =>
  /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;

const KEY_FORMAT = 'must be 32 bytes, base64-encoded (openssl rand -base64 32)';

/** A comma-separated list of keys; blanks around commas and an empty value are tolerated. */
const keyList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string()).superRefine((keys, ctx) => {
      keys.forEach((key, i) => {
        if (!isBase64Key32(key)) ctx.addIssue({ code: 'custom', message: `key ${i + 1}: ${KEY_FORMAT}` });
      });
    }),
  );

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const settings = z.object({
  PORT: port.default(3000),
  ADMIN_PORT: port.default(3001),
  ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
  BASE_DOMAIN: z
    .string()
    .toLowerCase()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be a DNS name')
    .default('localhost'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dot, dash and underscore only')
    .default('idgw'),
  ADMIN_API_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Named SHA-256 hashes of the admin tokens: `ops=sha256:<hex>,ci=sha256:<hex>`. */
  ADMIN_API_TOKEN_HASHES: z
    .string()
    .default('')
    .transform((raw, ctx): AdminTokenHash[] => {
      const parsed = parseAdminTokenHashes(raw);
      if (parsed.ok) return parsed.hashes;
      for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }),
  KEY_ENCRYPTION_KEY: z.string().refine(isBase64Key32, KEY_FORMAT).optional(),
  /** Keys sealed data may still be under during a key-encryption key rotation; they only ever open. */
  KEY_ENCRYPTION_KEY_PREVIOUS: keyList,
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(cidr)),
  DATA_DIR: z.string().min(1).default('./.data'),
  LOG_LEVEL: logLevel.default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DEMO_INSTANCE: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Let the issuer call apps on private or loopback addresses (back-channel logout); off by default (SSRF). */
  ALLOW_PRIVATE_NETWORK_CALLBACKS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  ISSUER_POOL_MAX: z.coerce.number().int().min(1).default(5000),
  ISSUER_IDLE_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Audit events older than this are pruned. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Admin API requests per client address and minute, across replicas; 0 turns the limit off. */
  ADMIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(3000),
});

/** Every setting the gateway reads from its environment; defaults are the embedded development setup. */
export const configSchema = settings.superRefine((config, ctx) => {
  if (
    config.ADMIN_API_TOKEN &&
    config.ADMIN_API_TOKEN_HASHES.some((h) => h.name === PLAIN_ADMIN_TOKEN_NAME)
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_API_TOKEN_HASHES'],
      message: `the name ${PLAIN_ADMIN_TOKEN_NAME} is taken by ADMIN_API_TOKEN`,
    });
  }
  // Compared as bytes: the same key may be written in standard and URL-safe base64.
  const bytes = (key: string): string => Buffer.from(key, 'base64').toString('hex');
  const seen = new Set(config.KEY_ENCRYPTION_KEY ? [bytes(config.KEY_ENCRYPTION_KEY)] : []);
  config.KEY_ENCRYPTION_KEY_PREVIOUS.forEach((key, i) => {
    const b = bytes(key);
    if (seen.has(b)) {
      ctx.addIssue({
        code: 'custom',
        path: ['KEY_ENCRYPTION_KEY_PREVIOUS'],
        message: `key ${i + 1} repeats KEY_ENCRYPTION_KEY or an earlier previous key`,
      });
    }
    seen.add(b);
  });
});

export type RawGatewayConfig = z.infer<typeof configSchema>;

/** Turns zod issues into one readable message naming every bad variable. */
export function describeConfigError(error: z.ZodError): string {
  const lines = error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return `Invalid configuration:\n${lines.join('\n')}`;
}
