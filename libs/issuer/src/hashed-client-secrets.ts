import { verifySecret } from '@erp-id/accounts';
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';

/** Per-process salt: the fast digests below mean nothing outside this process's memory. */
const SALT = randomBytes(32).toString('base64url');
const digest = (secret: string): Buffer => hash('sha256', `${SALT}${secret}`, 'buffer');

interface SecretBearingClient {
  clientSecret?: string;
}

/**
 * Teaches one issuer to compare presented client secrets with the stored argon2id hash.
 * A verified secret is remembered (as a salted digest, per client object) so the slow hash runs once
 * per client and issuer build, not on every token request; a wrong secret always takes the slow path.
 */
export function installHashedClientSecrets(provider: Provider): void {
  const verified = new WeakMap<object, Buffer>();
  const prototype = provider.Client.prototype as unknown as {
    compareClientSecret(this: SecretBearingClient, actual: string): Promise<boolean>;
  };
  prototype.compareClientSecret = async function compareClientSecret(
    this: SecretBearingClient,
    actual: string,
  ) {
    if (typeof actual !== 'string' || !this.clientSecret || actual.length > 1024) return false;
    const presented = digest(actual);
    const known = verified.get(this);
    if (known && timingSafeEqual(known, presented)) return true;
    const ok = await verifySecret(this.clientSecret, actual);
    if (ok) verified.set(this, presented);
    return ok;
  };
}
