import { matchTotp, newTotpSecret, totpCodeAt, totpUri } from './totp';

const STEP_MS = 30_000;
// A moment in the middle of a step, so ±1 step is unambiguous.
const NOW = 1_764_900_015_000;
const stepAt = (ms: number) => Math.floor(ms / STEP_MS);

describe('TOTP', () => {
  const secret = newTotpSecret();

  it('makes 160-bit base32 secrets and an otpauth URI naming issuer and user', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'Shop Ltd', 'alice'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Shop Ltd:alice');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Shop Ltd');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });

  it('accepts the current code and the neighbouring steps, and reports the step it matched', () => {
    for (const offset of [-1, 0, 1]) {
      const code = totpCodeAt(secret, NOW + offset * STEP_MS);
      expect(matchTotp(secret, code, NOW, null)).toEqual({ outcome: 'accepted', step: stepAt(NOW) + offset });
    }
  });

  it('refuses codes outside the window, of another secret, or of the wrong shape', () => {
    expect(matchTotp(secret, totpCodeAt(secret, NOW - 2 * STEP_MS), NOW, null)).toEqual({
      outcome: 'invalid',
    });
    expect(matchTotp(secret, totpCodeAt(secret, NOW + 2 * STEP_MS), NOW, null)).toEqual({
      outcome: 'invalid',
    });
    expect(matchTotp(secret, totpCodeAt(newTotpSecret(), NOW), NOW, null).outcome).not.toBe('accepted');
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 123456'])
      expect(matchTotp(secret, bad, NOW, null)).toEqual({ outcome: 'invalid' });
  });

  it('refuses a code of the last accepted step or an earlier one (no replay)', () => {
    const current = totpCodeAt(secret, NOW);
    const used = stepAt(NOW);
    expect(matchTotp(secret, current, NOW, used)).toEqual({ outcome: 'replayed' });
    expect(matchTotp(secret, totpCodeAt(secret, NOW - STEP_MS), NOW, used)).toEqual({ outcome: 'replayed' });
    // The next step's code is still good after the current one was used.
    expect(matchTotp(secret, totpCodeAt(secret, NOW + STEP_MS), NOW, used)).toEqual({
      outcome: 'accepted',
      step: used + 1,
    });
    expect(matchTotp(secret, current, NOW, used - 1)).toEqual({ outcome: 'accepted', step: used });
  });
});
