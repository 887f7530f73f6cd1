import { generateSigningKey, SIGNING_ALGORITHMS } from '@erp-id/keys';
import { compactVerify, importJWK } from 'jose';
import { KeyObjectSigningKey } from './key-object-signing-key';

const encoder = new TextEncoder();
const b64url = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');

describe('KeyObjectSigningKey', () => {
  it.each(SIGNING_ALGORITHMS)(
    'makes %s signatures any JOSE library verifies with the published key',
    async (alg) => {
      const generated = await generateSigningKey(alg);
      const key = new KeyObjectSigningKey(generated.privateJwk);
      expect(key.kid).toBe(generated.kid);
      expect(key.alg).toBe(alg);
      expect(key.use).toBe('sig');

      const header = b64url(JSON.stringify({ alg, kid: generated.kid }));
      const payload = b64url(JSON.stringify({ sub: 'client-1' }));
      const signature = await key.sign(encoder.encode(`${header}.${payload}`));
      const jws = `${header}.${payload}.${b64url(signature)}`;

      const verified = await compactVerify(jws, await importJWK(generated.publicJwk, alg));
      expect(JSON.parse(Buffer.from(verified.payload).toString())).toEqual({ sub: 'client-1' });
      // A signature over other bytes does not verify.
      const forged = `${header}.${b64url(JSON.stringify({ sub: 'client-2' }))}.${b64url(signature)}`;
      await expect(compactVerify(forged, await importJWK(generated.publicJwk, alg))).rejects.toThrow();
    },
  );

  it('exposes only the public half', async () => {
    const generated = await generateSigningKey('RS256');
    const key = new KeyObjectSigningKey(generated.privateJwk);
    expect(key.keyObject().type).toBe('public');
    expect({ kty: key.kty, n: key.n, e: key.e }).toEqual({
      kty: 'RSA',
      n: generated.publicJwk.n,
      e: generated.publicJwk.e,
    });
    expect(JSON.stringify(key.keyObject().export({ format: 'jwk' }))).not.toContain('"d"');
  });

  it('refuses a key without a supported algorithm', async () => {
    const { privateJwk } = await generateSigningKey('RS256');
    expect(() => new KeyObjectSigningKey({ ...privateJwk, alg: 'HS256' })).toThrow(
      /unsupported algorithm HS256/,
    );
  });
});
