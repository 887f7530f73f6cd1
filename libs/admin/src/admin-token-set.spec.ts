import { adminTokenDigest, generateAdminToken } from '@erp-id/config';
import { timingSafeEqual } from 'node:crypto';
import { AdminTokenSet } from './admin-token-set';

// Counted, still the real comparison: the test checks how many digests a match looks at.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const hashOf = (name: string, token: string) => ({ name, sha256: adminTokenDigest(token).toString('hex') });

describe('AdminTokenSet', () => {
  const ops = generateAdminToken();
  const ci = generateAdminToken();
  const plain = 'plain-development-token-0123456789';

  it('names the token presented, whichever of several it is', () => {
    const tokens = new AdminTokenSet([hashOf('ops', ops), hashOf('ci', ci)], plain);
    expect(tokens.size).toBe(3);
    expect(tokens.match(ops)).toBe('ops');
    expect(tokens.match(ci)).toBe('ci');
    expect(tokens.match(plain)).toBe('default');
  });

  it('refuses anything else: another token, a prefix, the hash itself, nothing', () => {
    const tokens = new AdminTokenSet([hashOf('ops', ops)]);
    for (const wrong of [generateAdminToken(), ops.slice(0, -1), `${ops}x`, hashOf('ops', ops).sha256, '']) {
      expect(tokens.match(wrong)).toBeNull();
    }
    expect(new AdminTokenSet([]).match(ops)).toBeNull();
  });

  it('compares every configured digest, in constant time, whichever matches', () => {
    const compare = jest.mocked(timingSafeEqual);
    const tokens = new AdminTokenSet([hashOf('a', ops), hashOf('b', ci), hashOf('c', 'third-token')]);
    // The first, the last and none: each looks at all three digests.
    for (const presented of [ops, 'third-token', 'not-a-token']) {
      compare.mockClear();
      tokens.match(presented);
      expect(compare).toHaveBeenCalledTimes(3);
    }
  });
});
