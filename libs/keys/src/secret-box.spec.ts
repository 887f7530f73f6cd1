import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and never repeats a ciphertext', () => {
    const a = box.seal('private key material', 'signing-key:i1:k1');
    const b = box.seal('private key material', 'signing-key:i1:k1');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('private');
    expect(box.open(a, 'signing-key:i1:k1')).toBe('private key material');
  });

  it('refuses another context (a row moved to another instance)', () => {
    const sealed = box.seal('secret', 'signing-key:i1:k1');
    expect(() => box.open(sealed, 'signing-key:i2:k1')).toThrow(SecretBoxError);
  });

  it('refuses another key and tampered data', () => {
    const sealed = box.seal('secret', 'ctx');
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'ctx')).toThrow(SecretBoxError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'ctx')).toThrow(SecretBoxError);
    expect(() => box.open('garbage', 'ctx')).toThrow(SecretBoxError);
  });

  it('requires a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxError);
  });
});
