import { Injectable, Logger } from '@nestjs/common';
import type { IssuerBuild, IssuerObserver } from '@erp-id/issuer';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import {
  recordIssuerBuild,
  recordIssuerEviction,
  recordTokenError,
  recordTokenIssued,
} from './gateway-metrics';

/** Grant types and OAuth error codes are short protocol words; anything else is not used as a label. */
const PROTOCOL_WORD = /^[A-Za-z0-9_.:-]{1,80}$/;

function protocolWord(value: unknown, fallback: string): string {
  return typeof value === 'string' && PROTOCOL_WORD.test(value) ? value : fallback;
}

/**
 * Turns issuer pool events and each provider's token events into metrics. Listeners run inside
 * oidc-provider's request handling, so they swallow their own failures: a metric is never worth a
 * failed token request.
 */
@Injectable()
export class IssuerMetricsObserver implements IssuerObserver {
  private readonly logger = new Logger('Metrics');

  providerBuilt(provider: Provider, build: IssuerBuild): void {
    this.safely(() => recordIssuerBuild('success', build.durationMs / 1000));
    const instance = build.instanceName;
    // `grant.success` fires once per successful token response, whatever the grant.
    provider.on('grant.success', (ctx: KoaContextWithOIDC) =>
      this.safely(() => recordTokenIssued(instance, protocolWord(ctx.oidc.params?.grant_type, 'unknown'))),
    );
    provider.on('grant.error', (_ctx: KoaContextWithOIDC, err: Error) =>
      this.safely(() =>
        recordTokenError(instance, protocolWord((err as { error?: unknown }).error, 'server_error')),
      ),
    );
  }

  buildFailed(build: IssuerBuild): void {
    this.safely(() => recordIssuerBuild('failure', build.durationMs / 1000));
  }

  // Not per instance: evictions are about the pool's size and idle settings, not one instance.
  issuerEvicted(_instanceName: string): void {
    this.safely(() => recordIssuerEviction());
  }

  private safely(record: () => void): void {
    try {
      record();
    } catch (err) {
      this.logger.warn(`metric not recorded: ${(err as Error).message}`);
    }
  }
}
