/**
 * Child-process entry of the baseline: one bare oidc-provider on `http.createServer`, nothing else
 * on the request path. Runs in its own process so it gets a core of its own, like the gateway.
 * Env: BARE_PORT, BARE_CLIENT_ID, BARE_CLIENT_SECRET. Prints READY once it listens.
 */
import { createServer } from 'node:http';
import { createBareProvider } from './bare-provider-configuration';
import { generateRs256Jwk, randomCookieKeys } from './signing-key';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

function main(): void {
  const port = Number(requiredEnv('BARE_PORT'));
  const origin = `http://127.0.0.1:${port}`;
  const client = { clientId: requiredEnv('BARE_CLIENT_ID'), clientSecret: requiredEnv('BARE_CLIENT_SECRET') };
  const provider = createBareProvider(generateRs256Jwk(), randomCookieKeys(), client, origin);
  provider.on('server_error', (_ctx, err: Error) => process.stderr.write(`server_error: ${err.message}\n`));
  const server = createServer(provider.callback());
  // Same keep-alive as the gateway's public listener, so neither side closes connections mid-run.
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
