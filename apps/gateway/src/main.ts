import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createAdminOpenApiDocument } from '@erp-id/admin';
import { GatewayConfig } from '@erp-id/config';
import { IssuerRequestHandler, ISSUER_MOUNT } from '@erp-id/issuer';
import { RequestObserver, ShutdownState, StructuredLogger } from '@erp-id/observability';
import { MigrationRunner } from '@erp-id/persistence';
import { TenantMiddleware } from '@erp-id/tenancy';
import express from 'express';
import { createServer, type Server } from 'node:http';
import { ConnectionDrain } from './connection-drain';
import { DEMO_INSTANCE, DemoInstance } from './demo-instance';
import { developmentSecret } from './dev-secrets';
import { GatewayModule } from './gateway.module';
import { GatewayRequest } from './gateway-request';
import { listenerGate, listenerOf, markListener, type Listener } from './listeners';
import { adminBodyParser } from './admin-body-parser';
import { adminDocs } from './admin-docs';
import { jsonErrorHandler } from './json-error-handler';
import { shutDownGracefullyOnSignals } from './graceful-shutdown';
import { isIssuerRequest, issuerFastPath, mountAt } from './issuer-fast-path';

function listen(server: Server, port: number, host?: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen());
  });
}

async function bootstrap(): Promise<void> {
  const logger = new Logger('Gateway');
  const production = process.env.NODE_ENV === 'production';
  // Before the application is created: configuration validation reads it.
  const devToken =
    !process.env.ADMIN_API_TOKEN && !process.env.ADMIN_API_TOKEN_HASHES && !production
      ? developmentSecret(process.env.DATA_DIR ?? './.data', 'admin-api-token')
      : undefined;
  if (devToken) process.env.ADMIN_API_TOKEN = devToken.value;

  // Logs written while the application is created wait for the structured logger (JSON lines).
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(StructuredLogger));
  // Nest flushes the buffer in app.listen(), which the gateway does not use (it runs its own servers).
  app.flushLogs();
  if (devToken) {
    logger.warn(
      `no admin token is configured: the admin API accepts the development token in ${devToken.file}`,
    );
  }
  const config = app.get(GatewayConfig);
  if (config.production && (await app.get(MigrationRunner).pending())) {
    throw new Error(
      'the database schema is not current: run the `migrate` command (the Helm hook does) first',
    );
  }
  const tenants = app.get(TenantMiddleware);
  const issuer = app.get(IssuerRequestHandler);

  const drain = new ConnectionDrain();
  const observe = app.get(RequestObserver).middleware(listenerOf);
  app.disable('x-powered-by');
  // Before the gate and the issuer mount, so every request of both listeners is logged and counted.
  app.use(observe);
  app.use(app.get(RequestObserver).requestLogger());
  app.use(listenerGate);
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
    listenerOf(req) === 'public' ? tenants.handle(req, res, next) : next(),
  );
  app.use(ISSUER_MOUNT, issuer.handle);
  app.use('/admin', adminBodyParser);
  app.use(adminDocs(createAdminOpenApiDocument(app)));
  // No app.enableShutdownHooks(): Nest would close Redis and Postgres on SIGTERM while requests are
  // still in flight; the graceful shutdown below closes the application after the drain.
  await app.init();
  app.use(jsonErrorHandler);

  const handler = app.getHttpAdapter().getInstance() as express.Express;
  const issuerRequest = issuerFastPath([observe, tenants.handle, mountAt(issuer.handle)], (req, res) =>
    handler(req, res),
  );
  const serve = (listener: Listener): Server =>
    createServer({ IncomingMessage: GatewayRequest, ServerResponse: drain.Response }, (req, res) => {
      markListener(req, listener);
      if (listener === 'public' && isIssuerRequest(req.url)) issuerRequest(req, res);
      else handler(req, res);
    });
  const publicServer = serve('public');
  const adminServer = serve('admin');
  // Keep-alive longer than typical load balancer idle timeouts, so they close first.
  publicServer.keepAliveTimeout = 65_000;
  await listen(publicServer, config.port);
  await listen(adminServer, config.adminPort, config.adminHost);

  const demo = await app.get(DemoInstance).ensure();
  const base = `http://${DEMO_INSTANCE}.localhost:${config.port}`;
  logger.log(`public listener on :${config.port}, admin listener on ${config.adminHost}:${config.adminPort}`);
  if (demo) {
    logger.log(`demo instance discovery: ${base}/id/.well-known/openid-configuration`);
    logger.log(
      `client-credentials token: curl -s -u ${demo.clientId}:$(node -p "require('${config.dataDir}/demo-credentials.json').clientSecret") ` +
        `-d grant_type=client_credentials -d scope=update ${base}/id/connect/token`,
    );
  }

  const shutdownState = app.get(ShutdownState);
  shutDownGracefullyOnSignals({
    app,
    servers: [publicServer, adminServer],
    drain,
    markShuttingDown: () => shutdownState.begin(),
    logger,
  });
}

bootstrap().catch((err: Error) => {
  // Configuration errors already say what is wrong; anything else gets its name too.
  process.stderr.write(`gateway failed to start: ${err.message}\n`);
  process.exit(1);
});
