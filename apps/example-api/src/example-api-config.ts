import type { LogLevel } from '@nestjs/common';

/** What the example API reads from its environment, checked once at start. */
export interface ExampleApiConfig {
  port: number;
  host: string;
  issuer: string;
  audience: string;
  introspection: { clientId: string; clientSecret: string } | undefined;
  cacheTtlMs: number | undefined;
  jwksRefreshCooldownMs: number | undefined;
  clockToleranceSec: number | undefined;
  /** Development only: the issuer may be `http:`. */
  allowHttp: boolean;
  /** Development only: every issuer host name resolves to 127.0.0.1 (as `curl --resolve` would). */
  resolveIssuerToLoopback: boolean;
  logLevels: LogLevel[];
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function optionalInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

const flag = (env: NodeJS.ProcessEnv, name: string): boolean => env[name] === 'true';

export function readExampleApiConfig(env: NodeJS.ProcessEnv): ExampleApiConfig {
  const clientId = env.INTROSPECTION_CLIENT_ID;
  const clientSecret = env.INTROSPECTION_CLIENT_SECRET;
  if (Boolean(clientId) !== Boolean(clientSecret)) {
    throw new Error('INTROSPECTION_CLIENT_ID and INTROSPECTION_CLIENT_SECRET go together');
  }
  const logLevel = (env.LOG_LEVEL ?? 'log') as LogLevel;
  if (!LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  return {
    port: optionalInteger(env, 'PORT', 0, 65_535) ?? 3100,
    host: env.HOST || '127.0.0.1',
    issuer: required(env, 'ISSUER'),
    audience: required(env, 'AUDIENCE'),
    introspection: clientId && clientSecret ? { clientId, clientSecret } : undefined,
    cacheTtlMs: optionalInteger(env, 'INTROSPECTION_CACHE_TTL_MS', 0, 60_000),
    jwksRefreshCooldownMs: optionalInteger(env, 'JWKS_REFRESH_COOLDOWN_MS', 0, 3_600_000),
    clockToleranceSec: optionalInteger(env, 'CLOCK_TOLERANCE_SEC', 0, 300),
    allowHttp: flag(env, 'ALLOW_HTTP_ISSUER'),
    resolveIssuerToLoopback: flag(env, 'RESOLVE_ISSUER_TO_LOOPBACK'),
    // Everything from the chosen level up: `debug` also shows why each token was refused.
    logLevels: LEVELS.slice(0, LEVELS.indexOf(logLevel) + 1),
  };
}
