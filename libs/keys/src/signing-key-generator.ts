import { generateKeyPairFor, type SigningAlgorithm } from './signing-algorithms';
import { type Jwk, jwkThumbprint, toJwk } from './jwk';

export interface GeneratedSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: Jwk;
  privateJwk: Jwk;
}

export async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedSigningKey> {
  const { publicKey, privateKey } = await generateKeyPairFor(alg);
  const pub = toJwk(publicKey.export({ format: 'jwk' }));
  const kid = jwkThumbprint(pub);
  const meta = { kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    publicJwk: { ...pub, ...meta },
    privateJwk: { ...toJwk(privateKey.export({ format: 'jwk' })), ...meta },
  };
}
