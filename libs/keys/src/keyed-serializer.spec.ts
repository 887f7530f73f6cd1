import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedSerializer } from './keyed-serializer';

describe('KeyedSerializer', () => {
  it('runs work for one key one after another, other keys alongside', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await sleep(ms);
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      serializer.run('a', job('a1', 30)),
      serializer.run('a', job('a2', 1)),
      serializer.run('b', job('b1', 1)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 end')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('keeps going after a failure, which only its caller sees', async () => {
    const serializer = new KeyedSerializer();
    const failed = serializer.run('a', () => Promise.reject(new Error('boom')));
    const next = serializer.run('a', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
