import { rateSubjectOf } from './rate-subject';

describe('rateSubjectOf', () => {
  it('counts an IPv4 address on its own, however it is spelled', () => {
    expect(rateSubjectOf('203.0.113.7')).toBe('203.0.113.7');
    expect(rateSubjectOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64 network', () => {
    expect(rateSubjectOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(rateSubjectOf('2001:DB8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(rateSubjectOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateSubjectOf('::1')).toBe('0:0:0:0::/64');
  });

  it('gives every address of one /64 the same subject and a neighbouring /64 another', () => {
    expect(rateSubjectOf('2001:db8:a:b::1')).toBe(rateSubjectOf('2001:db8:a:b:ffff:ffff:ffff:ffff'));
    expect(rateSubjectOf('2001:db8:a:c::1')).not.toBe(rateSubjectOf('2001:db8:a:b::1'));
  });

  it('counts what a proxy forwards that is not an address under a key of its own', () => {
    expect(rateSubjectOf('unknown')).toBe('other:unknown');
    expect(rateSubjectOf('')).toBe('other:');
    expect(rateSubjectOf('a b{c}*')).toBe('other:a_b_c__');
  });
});
