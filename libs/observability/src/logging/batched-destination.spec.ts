import { setTimeout as sleep } from 'node:timers/promises';
import { BatchedDestination, type ChunkTarget } from './batched-destination';

function recorder(): ChunkTarget & { chunks: string[]; syncFlushes: number } {
  return {
    chunks: [],
    syncFlushes: 0,
    write(chunk: string) {
      this.chunks.push(chunk);
    },
    flushSync() {
      this.syncFlushes += 1;
    },
  };
}

describe('BatchedDestination', () => {
  const open: BatchedDestination[] = [];
  const destination = (target: ChunkTarget, maxChars: number, maxAgeMs = 60_000): BatchedDestination => {
    const d = new BatchedDestination(target, { maxChars, maxAgeMs });
    open.push(d);
    return d;
  };
  afterEach(() => open.splice(0).forEach((d) => d.end()));

  it('holds lines until a batch is full, then writes them in order in one chunk', () => {
    const target = recorder();
    const out = destination(target, 10);
    out.write('a1\n');
    out.write('b2\n');
    out.write('c3\n');
    expect(target.chunks).toEqual([]);
    out.write('d4\n');
    expect(target.chunks).toEqual(['a1\nb2\nc3\nd4\n']);
    out.write('e5\n');
    expect(target.chunks).toHaveLength(1);
  });

  it('writes a line longer than a batch at once', () => {
    const target = recorder();
    destination(target, 10).write(`${'x'.repeat(50)}\n`);
    expect(target.chunks).toEqual([`${'x'.repeat(50)}\n`]);
  });

  it('never holds a line longer than the batch age', async () => {
    const target = recorder();
    destination(target, 1_000_000, 20).write('quiet\n');
    expect(target.chunks).toEqual([]);
    await sleep(80);
    expect(target.chunks).toEqual(['quiet\n']);
  });

  it('writes what is pending, and asks the target to do the same, on flushSync and end', () => {
    const target = recorder();
    const out = destination(target, 1_000_000);
    out.write('one\n');
    out.flushSync();
    expect(target.chunks).toEqual(['one\n']);
    expect(target.syncFlushes).toBe(1);
    out.write('two\n');
    out.end();
    expect(target.chunks).toEqual(['one\n', 'two\n']);
  });

  it('writes nothing when nothing is pending', () => {
    const target = recorder();
    destination(target, 10).flush();
    expect(target.chunks).toEqual([]);
  });
});
