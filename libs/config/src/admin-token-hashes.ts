import { createHash, randomBytes } from 'node:crypto';

/**
 * Admin bearer tokens are configured as SHA-256 digests, never in plain text. An unsalted, fast hash
 * is enough here because every token is generated (`admin-tokens generate`): 256 random bits cannot
 * be guessed or found in a precomputed table, so a slow, salted hash (needed for human-chosen
 * passwords) would only add latency to every admin request without adding any protection.
 */
export const ADMIN_TOKEN_PREFIX = 'erp_adm_';

/** Name of the plain `ADMIN_API_TOKEN`, when one is set (development and tests). */
export const PLAIN_ADMIN_TOKEN_NAME = 'default';

/** A token's name: recorded as the actor of everything done with it. */
export const ADMIN_TOKEN_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface AdminTokenHash {
  name: string;
  /** SHA-256 of the token's UTF-8 bytes, lower-case hex. */
  sha256: string;
}

export function adminTokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A fresh token: the prefix (so secret scanners recognise a leaked one) and 256 random bits. */
export function generateAdminToken(): string {
  return `${ADMIN_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The `ADMIN_API_TOKEN_HASHES` entry of a token: `<name>=sha256:<hex>`. */
export function adminTokenHashEntry(name: string, token: string): string {
  return `${name}=sha256:${adminTokenDigest(token).toString('hex')}`;
}

export type ParsedTokenHashes = { ok: true; hashes: AdminTokenHash[] } | { ok: false; problems: string[] };

/**
 * Parses `ops=sha256:<hex>,ci=sha256:<hex>`. Every problem is named (by entry position and name,
 * never by repeating a value: a plain token pasted by mistake must not end up in a log).
 */
export function parseAdminTokenHashes(raw: string): ParsedTokenHashes {
  const problems: string[] = [];
  const hashes: AdminTokenHash[] = [];
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      problems.push(`${where}: must be <name>=sha256:<64 hex digits>`);
      return;
    }
    const name = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (!ADMIN_TOKEN_NAME.test(name)) {
      problems.push(
        `${where}: the name must be 1-63 lower-case letters, digits, - or _, starting with a letter or digit`,
      );
      return;
    }
    if (!value.startsWith('sha256:')) {
      problems.push(
        `${where} (${name}): only sha256:<hex> hashes are supported (make one with \`admin-tokens generate\`)`,
      );
      return;
    }
    const hex = value.slice('sha256:'.length).toLowerCase();
    if (!SHA256_HEX.test(hex)) {
      problems.push(`${where} (${name}): the hash must be 64 hex digits`);
      return;
    }
    if (hashes.some((h) => h.name === name)) problems.push(`${where}: the name ${name} is used twice`);
    else if (hashes.some((h) => h.sha256 === hex))
      problems.push(`${where} (${name}): the same hash is listed twice`);
    else hashes.push({ name, sha256: hex });
  });
  return problems.length ? { ok: false, problems } : { ok: true, hashes };
}
