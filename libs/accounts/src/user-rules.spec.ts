import {
  checkDisplayName,
  checkEmail,
  checkPassword,
  checkUsername,
  isUserId,
  normalizeUsername,
} from './user-rules';

describe('user rules', () => {
  it.each([
    ['Alice', 'alice'],
    ['  Bob  ', 'bob'],
    ['Ａｌｉｃｅ', 'alice'],
    ['ﬀ-Team', 'ff-team'],
    ['ÉLODIE', 'élodie'],
    ['E\u0301lodie', 'élodie'],
  ])('normalizes %p to %p', (given, normalized) => {
    expect(normalizeUsername(given)).toBe(normalized);
  });

  it('keeps the username as typed, trimmed, next to its normalized form', () => {
    expect(checkUsername('  Ａｌｉｃｅ ')).toEqual({ username: 'Ａｌｉｃｅ', normalized: 'alice' });
  });

  it.each(['', '   ', 'x'.repeat(201), 'tab\tinside', 'nul\u0000'])('refuses the username %p', (given) => {
    expect(() => checkUsername(given)).toThrow(expect.objectContaining({ field: 'username' }));
  });

  it('refuses a username that NFKC makes longer than the column', () => {
    // U+FDFA expands to 18 characters under NFKC.
    expect(() => checkUsername('\uFDFA'.repeat(12))).toThrow(expect.objectContaining({ field: 'username' }));
  });

  it('accepts passwords of 8 to 256 characters only', () => {
    expect(() => checkPassword('12345678')).not.toThrow();
    expect(() => checkPassword('x'.repeat(256))).not.toThrow();
    for (const bad of ['', '1234567', 'x'.repeat(257)]) {
      expect(() => checkPassword(bad)).toThrow(expect.objectContaining({ field: 'password' }));
    }
  });

  it('trims names and e-mail addresses and lets null clear them', () => {
    expect(checkDisplayName('  Alice A. ')).toBe('Alice A.');
    expect(checkDisplayName(null)).toBeNull();
    expect(() => checkDisplayName('  ')).toThrow(expect.objectContaining({ field: 'name' }));
    expect(checkEmail(' alice@example.com ')).toBe('alice@example.com');
    expect(checkEmail(null)).toBeNull();
    expect(() => checkEmail('not-an-address')).toThrow(expect.objectContaining({ field: 'email' }));
  });

  it('takes only uuids for user ids', () => {
    expect(isUserId('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    for (const bad of ['', '1', 'not-a-uuid', '0f8fad5bd9cb469fa16570867728950e', "' OR 1=1 --"]) {
      expect(isUserId(bad)).toBe(false);
    }
  });
});
