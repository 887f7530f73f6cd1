import { adminTokenDigest, type AdminTokenHash, PLAIN_ADMIN_TOKEN_NAME } from '@erp-id/config';
import { timingSafeEqual } from 'node:crypto';

interface AcceptedToken {
  name: string;
  digest: Buffer;
}

/**
 * The admin tokens the gateway accepts, as SHA-256 digests. A presented token is digested and
 * compared with every accepted digest in constant time, without stopping at a match, so neither
 * the time taken nor the token's length tells which token (or how much of one) was right.
 */
export class AdminTokenSet {
  private readonly accepted: readonly AcceptedToken[];

  constructor(hashes: readonly AdminTokenHash[], plainToken?: string) {
    this.accepted = [
      ...hashes.map((h) => ({ name: h.name, digest: Buffer.from(h.sha256, 'hex') })),
      ...(plainToken ? [{ name: PLAIN_ADMIN_TOKEN_NAME, digest: adminTokenDigest(plainToken) }] : []),
    ];
  }

  get size(): number {
    return this.accepted.length;
  }

  /** The name of the token presented, or null when it is none of them. */
  match(presented: string): string | null {
    const digest = adminTokenDigest(presented);
    let matched: string | null = null;
    for (const token of this.accepted) {
      // Every digest is compared; the assignment keeps the first match without an early exit.
      const equal = timingSafeEqual(token.digest, digest);
      matched = equal && matched === null ? token.name : matched;
    }
    return matched;
  }
}
