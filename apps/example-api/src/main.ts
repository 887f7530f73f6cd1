import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readExampleApiConfig } from './example-api-config';
import { ExampleApiModule } from './example-api.module';
import { loopbackFetch } from './loopback-fetch';

/** An ERP API for one instance, protected by the resource-server library; configured by environment. */
async function bootstrap(): Promise<void> {
  const config = readExampleApiConfig(process.env);
  const app = await NestFactory.create<NestExpressApplication>(
    ExampleApiModule.register({
      issuer: config.issuer,
      audience: config.audience,
      introspection: config.introspection,
      cacheTtlMs: config.cacheTtlMs,
      jwksRefreshCooldownMs: config.jwksRefreshCooldownMs,
      clockToleranceSec: config.clockToleranceSec,
      allowHttp: config.allowHttp,
      ...(config.resolveIssuerToLoopback ? { fetch: await loopbackFetch() } : {}),
    }),
    { logger: config.logLevels },
  );
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  new Logger('ExampleApi').log(
    `serving ${config.audience} for issuer ${config.issuer} on ${config.host}:${config.port}`,
  );
}

bootstrap().catch((err: Error) => {
  new Logger('ExampleApi').fatal(`start failed: ${err.message}`);
  process.exit(1);
});
