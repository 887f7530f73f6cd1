import { BoundedMemo } from './bounded-memo';

describe('BoundedMemo', () => {
  it('computes each key once while it is remembered, undefined and null answers included', () => {
    const calls: string[] = [];
    const memo = new BoundedMemo<string | null | undefined>(10, (key) => {
      calls.push(key);
      return key === 'none' ? null : key === 'unset' ? undefined : key.toUpperCase();
    });
    expect([memo.get('a'), memo.get('a'), memo.get('none'), memo.get('none')]).toEqual([
      'A',
      'A',
      null,
      null,
    ]);
    expect([memo.get('unset'), memo.get('unset')]).toEqual([undefined, undefined]);
    expect(calls).toEqual(['a', 'none', 'unset']);
  });

  it('never holds more than its cap: a flood of new keys starts it over', () => {
    let computed = 0;
    const memo = new BoundedMemo<number>(3, () => ++computed);
    for (const key of ['a', 'b', 'c']) memo.get(key);
    expect(memo.get('a')).toBe(1);
    memo.get('d'); // the fourth key empties the memo before it is kept
    expect(computed).toBe(4);
    expect(memo.get('a')).toBe(5);
  });
});
