/**
 * Answers of a pure function of a short string, remembered on the request path where an LRU's
 * bookkeeping would cost more than the answer: a plain Map, emptied when it reaches its cap, so a
 * flood of made-up keys costs at most `max` entries and recomputation, never unbounded memory.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly max: number,
    private readonly compute: (key: string) => V,
  ) {}

  get(key: string): V {
    const hit = this.entries.get(key);
    if (hit !== undefined || this.entries.has(key)) return hit as V;
    const value = this.compute(key);
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
