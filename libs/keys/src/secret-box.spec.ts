import { createCipheriv, randomBytes } from 'node:crypto';
import { keyIdOf, SecretBox, SecretBoxError } from './secret-box';

/** What gateways wrote before key ids existed: `v1.<iv>.<tag>.<ciphertext>`, the context as AAD. */
function legacySeal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

const failureOf = (fn: () => unknown): SecretBoxError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SecretBoxError);
    return err as SecretBoxError;
  }
  throw new Error('did not throw');
};

describe('SecretBox', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const box = new SecretBox(keyA);

  it('round-trips and never repeats a ciphertext', () => {
    const a = box.seal('private key material', 'signing-key:i1:k1');
    const b = box.seal('private key material', 'signing-key:i1:k1');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('private');
    expect(box.open(a, 'signing-key:i1:k1')).toBe('private key material');
  });

  it('refuses another context (a row moved to another instance)', () => {
    const sealed = box.seal('secret', 'signing-key:i1:k1');
    expect(failureOf(() => box.open(sealed, 'signing-key:i2:k1')).reason).toBe('unreadable');
  });

  it('refuses tampered data and garbage', () => {
    const sealed = box.seal('secret', 'ctx');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'ctx')).toThrow(SecretBoxError);
    expect(failureOf(() => box.open('garbage', 'ctx')).reason).toBe('malformed');
    // A truncated tag would weaken GCM: refused as malformed, not tried.
    const short = sealed.split('.');
    short[3] = short[3]!.slice(0, 8);
    expect(failureOf(() => box.open(short.join('.'), 'ctx')).reason).toBe('malformed');
  });

  it('requires 32-byte keys, each configured once', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxError);
    expect(() => new SecretBox(keyA, [randomBytes(31)])).toThrow(SecretBoxError);
    expect(() => new SecretBox(keyA, [Buffer.from(keyA)])).toThrow(/configured twice/);
  });

  describe('key ids', () => {
    it('are short, stable, distinct per key and not the key', () => {
      expect(keyIdOf(keyA)).toMatch(/^[A-Za-z0-9_-]{8}$/);
      expect(keyIdOf(Buffer.from(keyA))).toBe(keyIdOf(keyA));
      expect(keyIdOf(keyB)).not.toBe(keyIdOf(keyA));
      expect(keyA.toString('base64url')).not.toContain(keyIdOf(keyA));
    });

    it('name the sealing key in the envelope, bound so it cannot be swapped', () => {
      const sealed = box.seal('secret', 'ctx');
      expect(sealed.startsWith(`v2.${keyIdOf(keyA)}.`)).toBe(true);
      expect(box.sealedUnder(sealed)).toBe(keyIdOf(keyA));
      expect(box.isCurrent(sealed)).toBe(true);
      // Relabelled as sealed by another configured key: that key does not open it.
      const both = new SecretBox(keyA, [keyB]);
      const relabelled = sealed.replace(keyIdOf(keyA), keyIdOf(keyB));
      expect(failureOf(() => both.open(relabelled, 'ctx')).reason).toBe('unreadable');
    });
  });

  describe('rotation', () => {
    const oldBox = new SecretBox(keyA);
    const rotated = new SecretBox(keyB, [keyA]);

    it('seals under the current key and opens what the previous key sealed', () => {
      const old = oldBox.seal('secret', 'ctx');
      expect(rotated.open(old, 'ctx')).toBe('secret');
      expect(rotated.isCurrent(old)).toBe(false);
      const fresh = rotated.seal('secret', 'ctx');
      expect(rotated.sealedUnder(fresh)).toBe(keyIdOf(keyB));
      expect(rotated.currentKeyId).toBe(keyIdOf(keyB));
      expect(rotated.previousKeyIds).toEqual([keyIdOf(keyA)]);
    });

    it('re-seals only what is not current, and the result opens under the new key alone', () => {
      const old = oldBox.seal('secret', 'ctx');
      const resealed = rotated.reseal(old, 'ctx');
      expect(resealed).not.toBeNull();
      expect(rotated.reseal(resealed!, 'ctx')).toBeNull();
      expect(new SecretBox(keyB).open(resealed!, 'ctx')).toBe('secret');
      // The context still binds the re-sealed value.
      expect(() => rotated.reseal(old, 'other')).toThrow(SecretBoxError);
    });

    it('says which key is missing when a value was sealed under a key no longer configured', () => {
      const old = oldBox.seal('secret', 'ctx');
      const error = failureOf(() => new SecretBox(keyB).open(old, 'ctx'));
      expect(error.reason).toBe('unknown-key');
      expect(error.message).toContain(keyIdOf(keyA));
      expect(error.message).toContain(keyIdOf(keyB));
      expect(error.message).not.toContain(keyA.toString('base64'));
      expect(error.message).not.toContain(keyB.toString('base64'));
    });
  });

  describe('legacy envelopes (sealed before key ids)', () => {
    it('open under the current or a previous key and always need a re-seal', () => {
      const underA = legacySeal(keyA, 'secret', 'ctx');
      expect(new SecretBox(keyA).open(underA, 'ctx')).toBe('secret');
      const rotated = new SecretBox(keyB, [keyA]);
      expect(rotated.open(underA, 'ctx')).toBe('secret');
      expect(rotated.sealedUnder(underA)).toBeNull();
      expect(new SecretBox(keyA).isCurrent(underA)).toBe(false);
      const resealed = rotated.reseal(underA, 'ctx')!;
      expect(rotated.sealedUnder(resealed)).toBe(keyIdOf(keyB));
      expect(new SecretBox(keyB).open(resealed, 'ctx')).toBe('secret');
    });

    it('fail clearly when no configured key opens them', () => {
      const underA = legacySeal(keyA, 'secret', 'ctx');
      const error = failureOf(() => new SecretBox(keyB).open(underA, 'ctx'));
      expect(error.reason).toBe('unreadable');
      expect(error.message).toMatch(/none of the configured key-encryption keys/);
      expect(() => new SecretBox(keyA).open(underA, 'other')).toThrow(SecretBoxError);
    });
  });
});
