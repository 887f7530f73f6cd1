import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ReferenceTokenEntity } from '@erp-id/persistence';
import { DataSource } from 'typeorm';

/** How stale `lastUsedAt` may get: one write per token and process per interval at most. */
export const LAST_USE_INTERVAL_MS = 60_000;

/**
 * Keeps reference tokens' `lastUsedAt` without a write per request. The first use of a token in
 * this process is written at once (off the request path); later uses within the interval are only
 * remembered and written by the next periodic flush. So each process writes a token's row at most
 * once a minute, and a token in use is never more than a minute behind.
 */
@Injectable()
export class ReferenceTokenUsage implements OnApplicationShutdown {
  private readonly logger = new Logger(ReferenceTokenUsage.name);
  /** When this process last wrote each token's row. */
  private readonly written = new Map<string, number>();
  /** Uses not written yet, latest per token. */
  private readonly pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    // unref: the flush alone must never keep the process alive.
    this.timer = setInterval(() => void this.flush(), LAST_USE_INTERVAL_MS).unref();
  }

  used(tokenId: string, at = Date.now()): void {
    const last = this.written.get(tokenId);
    if (last !== undefined && at - last < LAST_USE_INTERVAL_MS) {
      this.pending.set(tokenId, at);
      return;
    }
    this.written.set(tokenId, at);
    void this.write(tokenId, at);
  }

  /** Writes every remembered use and forgets tokens not written for a whole interval. */
  async flush(now = Date.now()): Promise<void> {
    const due = [...this.pending];
    this.pending.clear();
    for (const [id] of due) this.written.set(id, now);
    for (const [id, last] of this.written) {
      if (now - last >= LAST_USE_INTERVAL_MS && !due.some(([d]) => d === id)) this.written.delete(id);
    }
    await Promise.all(due.map(([id, at]) => this.write(id, at)));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(tokenId: string, at: number): Promise<void> {
    try {
      // Never moves backwards: another replica may have written a later use.
      await this.dataSource
        .createQueryBuilder()
        .update(ReferenceTokenEntity)
        .set({ lastUsedAt: new Date(at) })
        .where('id = :id AND (last_used_at IS NULL OR last_used_at < :at)', { id: tokenId, at: new Date(at) })
        .execute();
    } catch (err) {
      this.logger.warn(
        `could not record the last use of reference token ${tokenId}: ${(err as Error).message}`,
      );
    }
  }
}
