import { createHash } from 'node:crypto';
import { newReferenceToken, referenceTokenHash, referenceTokenKind } from './reference-token-format';

describe('reference token format', () => {
  it('makes prefixed tokens of 256 random bits, each different', () => {
    const pat = newReferenceToken('personal');
    const sat = newReferenceToken('service');
    expect(pat).toMatch(/^erp_pat_[A-Za-z0-9_-]{43}$/);
    expect(sat).toMatch(/^erp_sat_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(pat.slice(8), 'base64url')).toHaveLength(32);
    expect(new Set(Array.from({ length: 100 }, () => newReferenceToken('personal'))).size).toBe(100);
  });

  it('tells the kind of a well-formed token only', () => {
    expect(referenceTokenKind(newReferenceToken('personal'))).toBe('personal');
    expect(referenceTokenKind(newReferenceToken('service'))).toBe('service');
    for (const other of [
      '',
      'erp_pat_',
      `erp_pat_${'a'.repeat(42)}`,
      `erp_pat_${'a'.repeat(44)}`,
      `erp_xat_${'a'.repeat(43)}`,
      `erp_pat_${'a'.repeat(42)}=`,
      'eyJhbGciOi.x.y',
    ]) {
      expect(referenceTokenKind(other)).toBeUndefined();
    }
  });

  it('stores the hex SHA-256 of the whole token, prefix included', () => {
    const token = newReferenceToken('service');
    expect(referenceTokenHash(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(referenceTokenHash(token)).not.toBe(referenceTokenHash(token.replace('erp_sat_', 'erp_pat_')));
  });
});
