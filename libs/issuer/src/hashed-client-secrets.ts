import { verifySecret } from '@erp-id/accounts';
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import { PREVIOUS_SECRET_EXPIRES_METADATA, PREVIOUS_SECRET_METADATA } from './client-metadata';

/** Per-process salt: the fast digests below mean nothing outside this process's memory. */
const SALT = randomBytes(32).toString('base64url');
const digest = (secret: string): Buffer => hash('sha256', `${SALT}${secret}`, 'buffer');

/**
 * The request limits' say in client authentication: before a secret is checked the slow way (a
 * guess costs an argon2id verification, so a locked address is refused first), and once a secret
 * is accepted (per-client limits count only authenticated requests, so nobody can spend another
 * client's allowance by naming it). Either may throw an oidc-provider error to refuse the request.
 */
export interface ClientSecretGate {
  beforeSlowCheck(clientId: string): Promise<void>;
  accepted(clientId: string): Promise<void> | void;
}

interface SecretBearingClient {
  clientId: string;
  clientSecret?: string;
  metadata(): Record<string, unknown>;
}

/** A secret this client authenticated with; `expiresAt` (ms) when it was the previous secret. */
interface VerifiedSecret {
  digest: Buffer;
  expiresAt: number | null;
}

/** The replaced secret's hash while its grace period lasts, else null. */
function previousSecret(
  client: SecretBearingClient,
  now: number,
): { hash: string; expiresAt: number } | null {
  const metadata = client.metadata();
  const hash = metadata[PREVIOUS_SECRET_METADATA];
  const expires = metadata[PREVIOUS_SECRET_EXPIRES_METADATA];
  if (typeof hash !== 'string' || typeof expires !== 'number') return null;
  return expires > now ? { hash, expiresAt: expires } : null;
}

/**
 * Teaches one issuer to compare presented client secrets with the stored argon2id hashes: the
 * current secret, and during a rotation's grace period the replaced one (whose end is checked on
 * every request, since nothing rebuilds the issuer when it passes).
 * A verified secret is remembered (as a salted digest, per client object) so the slow hash runs once
 * per client and issuer build, not on every token request; a wrong secret always takes the slow path.
 */
export function installHashedClientSecrets(provider: Provider, gate?: ClientSecretGate): void {
  const verified = new WeakMap<object, VerifiedSecret[]>();
  const prototype = provider.Client.prototype as unknown as {
    compareClientSecret(this: SecretBearingClient, actual: string): Promise<boolean>;
  };
  prototype.compareClientSecret = async function compareClientSecret(
    this: SecretBearingClient,
    actual: string,
  ) {
    if (typeof actual !== 'string' || !this.clientSecret || actual.length > 1024) return false;
    const now = Date.now();
    const presented = digest(actual);
    const remembered = verified.get(this) ?? [];
    const live = (v: VerifiedSecret): boolean => v.expiresAt === null || v.expiresAt > now;
    // The token endpoint's path: checked in place, no list rebuilt and no callback made per request.
    for (const v of remembered) {
      if (live(v) && timingSafeEqual(v.digest, presented)) {
        const pending = gate?.accepted(this.clientId);
        if (pending) await pending;
        return true;
      }
    }
    if (gate) await gate.beforeSlowCheck(this.clientId);
    const known = remembered.filter(live);
    let match: VerifiedSecret | null = null;
    if (await verifySecret(this.clientSecret, actual)) {
      match = { digest: presented, expiresAt: null };
    } else {
      const previous = previousSecret(this, now);
      if (previous && (await verifySecret(previous.hash, actual))) {
        match = { digest: presented, expiresAt: previous.expiresAt };
      }
    }
    if (!match) return false;
    verified.set(this, [...known, match]);
    if (gate) await gate.accepted(this.clientId);
    return true;
  };
}
