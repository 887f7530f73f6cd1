import { Injectable, type OnModuleInit } from '@nestjs/common';
import { IssuerPool } from '@erp-id/issuer';
import { watchIssuerPoolSize } from './gateway-metrics';

/**
 * Points the pool size gauge at the pool. A provider of its own: the pool depends on the issuer
 * observer, so the observer cannot depend on the pool.
 */
@Injectable()
export class IssuerPoolGauge implements OnModuleInit {
  constructor(private readonly pool: IssuerPool) {}

  onModuleInit(): void {
    watchIssuerPoolSize(() => this.pool.snapshot().size);
  }
}
