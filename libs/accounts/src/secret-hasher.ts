import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane) for every stored secret that a
 * person or an app presents: client secrets and passwords.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashSecret(secret: string): Promise<string> {
  return hash(secret, OPTIONS);
}

export async function verifySecret(stored: string, presented: string): Promise<boolean> {
  if (!stored.startsWith('$argon2id$')) return false;
  try {
    return await verify(stored, presented);
  } catch {
    return false;
  }
}
