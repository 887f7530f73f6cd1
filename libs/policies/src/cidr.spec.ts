import { addressInRanges, isCidr } from './cidr';

describe('isCidr', () => {
  it.each(['0.0.0.0/0', '10.0.0.0/8', '203.0.113.7/32', '::/0', '2001:db8::/32', '::ffff:10.0.0.0/104'])(
    'accepts %s',
    (value) => expect(isCidr(value)).toBe(true),
  );

  it.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '10.0.0/8',
    '2001:db8::/129',
    'fe80::1%eth0/64',
    'example.com/8',
    '10.0.0.0/-1',
    '10.0.0.0/ 8',
    '',
  ])('refuses %p', (value) => expect(isCidr(value)).toBe(false));
});

describe('addressInRanges', () => {
  it('allows every address when no range is set', () => {
    expect(addressInRanges('198.51.100.1', [])).toBe(true);
  });

  it('matches IPv4 and IPv6 ranges', () => {
    const ranges = ['10.0.0.0/8', '2001:db8::/32'];
    expect(addressInRanges('10.20.30.40', ranges)).toBe(true);
    expect(addressInRanges('2001:db8:1::5', ranges)).toBe(true);
    expect(addressInRanges('11.0.0.1', ranges)).toBe(false);
    expect(addressInRanges('2001:db9::1', ranges)).toBe(false);
  });

  it('treats an IPv4-mapped IPv6 address (a dual-stack socket) as its IPv4 address', () => {
    expect(addressInRanges('::ffff:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
  });

  it('refuses anything that is not an address once ranges are set', () => {
    expect(addressInRanges('unknown', ['0.0.0.0/0'])).toBe(false);
  });
});
