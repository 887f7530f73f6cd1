import {
  digestRecoveryCode,
  newRecoveryCode,
  normalizeRecoveryCode,
  recoveryCodeMatches,
} from './recovery-codes';

describe('recovery codes', () => {
  it('are 16 characters of Crockford base32 in four groups, and differ every time', () => {
    const codes = Array.from({ length: 50 }, newRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are stored as salted digests that never contain the code', () => {
    const code = newRecoveryCode();
    const a = digestRecoveryCode(code);
    const b = digestRecoveryCode(code);
    expect(a).not.toBe(b);
    expect(a).not.toContain(code.replace(/-/g, ''));
    expect(recoveryCodeMatches(a, code)).toBe(true);
    expect(recoveryCodeMatches(b, code)).toBe(true);
  });

  it('match however they are typed: case, spaces, dashes, and look-alike letters', () => {
    const code = '0123-4567-89AB-CDEF';
    const stored = digestRecoveryCode(code);
    for (const typed of [
      '0123456789abcdef',
      '0123 4567 89ab cdef',
      'O123-4567-89AB-CDEF',
      '0I23-4567-89AB-CDEF',
    ])
      expect(recoveryCodeMatches(stored, typed)).toBe(true);
  });

  it('refuse other codes and malformed input', () => {
    const stored = digestRecoveryCode(newRecoveryCode());
    expect(recoveryCodeMatches(stored, newRecoveryCode())).toBe(false);
    for (const bad of [
      '',
      '123456',
      '0123-4567-89AB-CDE',
      '0123-4567-89AB-CDEFG',
      '0123-4567-89AB-CDE!',
      'UUUU-UUUU-UUUU-UUUU',
    ])
      expect(recoveryCodeMatches(stored, bad)).toBe(false);
    expect(recoveryCodeMatches('garbage', '0123-4567-89AB-CDEF')).toBe(false);
    expect(normalizeRecoveryCode('uuuu-uuuu-uuuu-uuuu')).toBeNull();
    expect(() => digestRecoveryCode('short')).toThrow(TypeError);
  });
});
