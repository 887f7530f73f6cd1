import { canonicalAddress } from './client-address';

describe('canonicalAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
  ])('writes %s as %s', (given, canonical) => {
    expect(canonicalAddress(given)).toBe(canonical);
  });

  it.each(['', 'localhost', '203.0.113.7:80', '[::1]', '256.1.1.1', 'ip:1.2.3.4'])('refuses %p', (given) => {
    expect(() => canonicalAddress(given)).toThrow(TypeError);
  });
});
