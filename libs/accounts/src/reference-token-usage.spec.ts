import type { DataSource } from 'typeorm';
import { LAST_USE_INTERVAL_MS, ReferenceTokenUsage } from './reference-token-usage';

/** A DataSource whose update query builder records each write as [token id, time]. */
function recordingDataSource(writes: Array<[string, number]>): DataSource {
  const builder = {
    update: () => builder,
    set: () => builder,
    where: (_sql: string, params: { id: string; at: Date }) => {
      writes.push([params.id, params.at.getTime()]);
      return builder;
    },
    execute: async () => ({ affected: 1 }),
  };
  return { createQueryBuilder: () => builder } as unknown as DataSource;
}

describe('ReferenceTokenUsage', () => {
  let usage: ReferenceTokenUsage;
  let writes: Array<[string, number]>;

  beforeEach(() => {
    writes = [];
    usage = new ReferenceTokenUsage(recordingDataSource(writes));
  });

  afterEach(async () => {
    await usage.onApplicationShutdown();
  });

  it('writes the first use at once and later uses at most once per interval', async () => {
    const t0 = 1_000_000;
    usage.used('a', t0);
    expect(writes).toEqual([['a', t0]]);
    for (let i = 1; i <= 100; i++) usage.used('a', t0 + i * 100);
    expect(writes).toHaveLength(1);

    await usage.flush(t0 + 20_000);
    expect(writes).toEqual([
      ['a', t0],
      ['a', t0 + 10_000],
    ]);
    // Nothing new since: the next flush writes nothing.
    await usage.flush(t0 + 30_000);
    expect(writes).toHaveLength(2);
    // A use a whole interval after the last write is written at once again.
    usage.used('a', t0 + 20_000 + LAST_USE_INTERVAL_MS);
    expect(writes).toHaveLength(3);
  });

  it('keeps tokens apart', () => {
    usage.used('a', 1);
    usage.used('b', 2);
    usage.used('a', 3);
    expect(writes).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});
