import { singleFlight } from './single-flight';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('singleFlight', () => {
  it('joins callers that arrive while a call runs, and starts anew afterwards', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const run = singleFlight(async () => {
      calls += 1;
      await new Promise<void>((r) => (release = r));
      return calls;
    });
    const first = run();
    const second = run();
    expect(second).toBe(first);
    await tick();
    release();
    await expect(first).resolves.toBe(1);
    const third = run();
    await tick();
    release();
    await expect(third).resolves.toBe(2);
  });

  it('shares a failure, then lets the next caller retry', async () => {
    let fail = true;
    const run = singleFlight(async () => {
      if (fail) throw new Error('down');
      return 'up';
    });
    await expect(Promise.all([run(), run()])).rejects.toThrow('down');
    fail = false;
    await expect(run()).resolves.toBe('up');
  });

  it('turns a synchronous throw into a rejection', async () => {
    const run = singleFlight((): Promise<void> => {
      throw new Error('sync');
    });
    await expect(run()).rejects.toThrow('sync');
  });
});
