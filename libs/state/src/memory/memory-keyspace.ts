import type { AdapterPayload } from 'oidc-provider';
import { ExpiringTable } from './expiring-table';

/** What one key of the in-process store holds (mirrors the Redis key types). */
export type MemoryValue =
  | { readonly kind: 'record'; readonly payload: AdapterPayload }
  | { readonly kind: 'index'; readonly id: string }
  /** A grant or account index: the record keys issued under it. */
  | { readonly kind: 'set'; readonly members: Set<string> }
  | { readonly kind: 'counter'; readonly count: number }
  | { readonly kind: 'flag' };

export type InstanceTable = ExpiringTable<MemoryValue>;

/**
 * One table per instance, so purging or counting an instance never walks other instances'
 * keys, and an instance with nothing stored costs nothing.
 */
export class MemoryKeyspace {
  private readonly tables = new Map<string, InstanceTable>();

  /** The instance's table if it has one (reads never create a table). */
  existing(instance: string): InstanceTable | undefined {
    return this.tables.get(instance);
  }

  /** The instance's table, created on first write. */
  forWrite(instance: string): InstanceTable {
    let table = this.tables.get(instance);
    if (table === undefined) {
      table = new ExpiringTable<MemoryValue>();
      this.tables.set(instance, table);
    }
    return table;
  }

  count(instance: string, now: number): number {
    return this.tables.get(instance)?.sweep(now) ?? 0;
  }

  /** Removes the instance's table; returns the number of live keys it held. */
  drop(instance: string, now: number): number {
    const removed = this.count(instance, now);
    this.tables.delete(instance);
    return removed;
  }

  sweep(now: number): void {
    for (const [instance, table] of this.tables) {
      if (table.sweep(now) === 0) this.tables.delete(instance);
    }
  }
}
