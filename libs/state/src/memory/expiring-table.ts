interface Slot<V> {
  value: V;
  /** Epoch milliseconds; `Infinity` = never expires. */
  expiresAt: number;
}

/**
 * A Map whose entries expire. Expired entries are invisible at once (checked on read) and
 * reclaimed by `sweep`. No size cap: evicting a live entry would silently end a live session.
 */
export class ExpiringTable<V> {
  private readonly slots = new Map<string, Slot<V>>();

  get(key: string, now: number): V | undefined {
    return this.slot(key, now)?.value;
  }

  /** The live entry with its expiry, for callers that extend a lifetime. */
  slot(key: string, now: number): Readonly<Slot<V>> | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt <= now) {
      this.slots.delete(key);
      return undefined;
    }
    return slot;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.slots.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.slots.delete(key);
  }

  /** Drops expired entries; returns how many live ones remain. */
  sweep(now: number): number {
    for (const [key, slot] of this.slots) {
      if (slot.expiresAt <= now) this.slots.delete(key);
    }
    return this.slots.size;
  }
}
