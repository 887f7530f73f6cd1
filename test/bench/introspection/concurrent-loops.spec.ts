import { concurrentLoops } from './concurrent-loops';

describe('concurrentLoops', () => {
  it('runs every loop until the deadline and counts what completed', async () => {
    const perLoop = [0, 0, 0];
    const run = await concurrentLoops(3, 0.2, (loop) => {
      perLoop[loop]!++;
      return Promise.resolve();
    });
    expect(perLoop.every((n) => n > 0)).toBe(true);
    expect(run.count).toBe(perLoop[0]! + perLoop[1]! + perLoop[2]!);
    expect(run.seconds).toBeGreaterThanOrEqual(0.19);
    expect(run.perSec).toBeCloseTo(run.count / run.seconds);
    expect(run.cpuUs).toBeGreaterThan(0);
  });

  it('stops every loop at the first failure and rethrows it', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      concurrentLoops(4, 5, () => {
        calls++;
        return calls === 100 ? Promise.reject(new Error('wrong subject')) : Promise.resolve();
      }),
    ).rejects.toThrow('wrong subject');
    // The other loops noticed at once rather than running out the 5 s.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBeLessThan(200);
  });

  it('lets timers run while the operations never wait for I/O', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await concurrentLoops(2, 0.3, () => Promise.resolve());
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5);
  });
});
