import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { GatewayConfig } from '@erp-id/config';
import { duplicateForSubscribe, REDIS_CLIENT } from '@erp-id/state';
import type Redis from 'ioredis';

export type InstanceChangeListener = (instanceName: string) => void;

/**
 * Tells every replica that an instance changed, so each drops its cached record and issuer.
 * Redis pub/sub across replicas; an in-process emitter in embedded mode. Listeners in the
 * publishing process run at once, without waiting for the round trip through Redis.
 */
@Injectable()
export class ChangeChannel implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeChannel.name);
  private readonly local = new EventEmitter();
  private readonly channel: string;
  private subscriber: Redis | null = null;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    config: GatewayConfig,
  ) {
    this.channel = `${config.redisKeyPrefix}:instance-changes`;
    this.local.setMaxListeners(50);
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = duplicateForSubscribe(this.redis);
    this.subscriber.on('message', (_channel: string, message: string) => this.local.emit('change', message));
    this.subscriber.on('error', (err: Error) => this.logger.warn(`change channel: ${err.message}`));
    await this.subscriber.subscribe(this.channel);
  }

  onChange(listener: InstanceChangeListener): () => void {
    this.local.on('change', listener);
    return () => this.local.off('change', listener);
  }

  /** Announces a change; failures to reach Redis are logged, the periodic version check covers them. */
  async publish(instanceName: string): Promise<void> {
    this.local.emit('change', instanceName);
    if (!this.redis) return;
    try {
      await this.redis.publish(this.channel, instanceName);
    } catch (err) {
      this.logger.warn(`could not publish change of ${instanceName}: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = null;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
