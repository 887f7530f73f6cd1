import { isCustomDomainName, isUnderBaseDomain, normalizeDomain } from './custom-domain-name';

describe('custom domain names', () => {
  it('normalizes case, space and a trailing dot', () => {
    expect(normalizeDomain(' Login.ACME-Corp.test. ')).toBe('login.acme-corp.test');
  });

  it.each(['login.acme-corp.test', 'id.example.com', 'xn--bcher-kva.example', `${'a'.repeat(63)}.example`])(
    'accepts %s',
    (name) => expect(isCustomDomainName(name)).toBe(true),
  );

  it.each([
    'localhost',
    '10.0.0.1',
    'acme..test',
    '-acme.test',
    'acme-.test',
    'ac_me.test',
    'Acme.test',
    `${'a'.repeat(64)}.example`,
    `${'abcdefghi.'.repeat(26)}com`,
    '',
  ])('refuses %p', (name) => expect(isCustomDomainName(name)).toBe(false));

  it('knows which names belong to the base domain', () => {
    expect(isUnderBaseDomain('acme.my.erp.net', 'my.erp.net')).toBe(true);
    expect(isUnderBaseDomain('my.erp.net', 'my.erp.net')).toBe(true);
    expect(isUnderBaseDomain('notmy.erp.net', 'my.erp.net')).toBe(false);
  });
});
