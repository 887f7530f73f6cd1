import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Envelope forms. `v2.<keyId>.<iv>.<tag>.<ciphertext>` names the key-encryption key that sealed it.
 * `v1.<iv>.<tag>.<ciphertext>` is what gateways wrote before keys could rotate: it still opens (by
 * trying each configured key; GCM's tag makes a wrong key fail, never mis-decrypt) and always counts
 * as needing a re-seal, so `keys reencrypt` moves every such value to the current form.
 */
const LEGACY = 'v1';
const CURRENT = 'v2';

const KEY_ID_LABEL = 'erp-id key-encryption key id';
const KEY_ID_BYTES = 6;

export type SecretBoxFailure = 'malformed' | 'unknown-key' | 'unreadable';

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';

  constructor(
    message: string,
    readonly reason: SecretBoxFailure = 'unreadable',
  ) {
    super(message);
  }
}

/**
 * A short public name for a key-encryption key: an HMAC of a fixed label under the key, truncated.
 * It tells keys apart in envelopes and logs and reveals nothing usable about the key.
 */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key)
    .update(KEY_ID_LABEL)
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString('base64url');
}

interface ParsedEnvelope {
  /** Null for the legacy form, which does not say which key sealed it. */
  keyId: string | null;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  /** Bound into the associated data, so the stated key id cannot be swapped. */
  header: string | null;
}

/**
 * AES-256-GCM envelope for secrets at rest. The associated data binds a ciphertext to where it
 * belongs (e.g. instance id and kid), so a row copied to another instance does not decrypt.
 *
 * It seals under the current key-encryption key and opens under the current or any previous one,
 * so a deployment can move to a new key while data sealed under the old one is re-sealed.
 */
export class SecretBox {
  readonly currentKeyId: string;
  readonly previousKeyIds: readonly string[];
  private readonly current: Buffer;
  /** Every key that may open, current first: the order a legacy envelope is tried in. */
  private readonly openers: ReadonlyMap<string, Buffer>;

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    const keys = [current, ...previous];
    if (keys.some((k) => k.length !== 32)) throw new SecretBoxError('key-encryption key must be 32 bytes');
    const openers = new Map<string, Buffer>();
    for (const key of keys) {
      const id = keyIdOf(key);
      if (openers.has(id)) throw new SecretBoxError('the same key-encryption key is configured twice');
      openers.set(id, Buffer.from(key));
    }
    this.current = Buffer.from(current);
    this.currentKeyId = keyIdOf(current);
    this.previousKeyIds = previous.map(keyIdOf);
    this.openers = openers;
  }

  seal(plaintext: string, associatedData: string): string {
    const header = `${CURRENT}.${this.currentKeyId}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    cipher.setAAD(aad(header, associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      header,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  open(envelope: string, associatedData: string): string {
    const parsed = parse(envelope);
    if (parsed.keyId === null) {
      for (const key of this.openers.values()) {
        const plaintext = decrypt(key, parsed, associatedData);
        if (plaintext !== null) return plaintext;
      }
      throw new SecretBoxError(
        'cannot decrypt (legacy envelope without key id): none of the configured key-encryption keys opens it, or the data was tampered with',
      );
    }
    const key = this.openers.get(parsed.keyId);
    if (!key) {
      throw new SecretBoxError(
        `sealed under key-encryption key ${parsed.keyId}, which is not configured ` +
          `(current ${this.currentKeyId}${this.previousKeyIds.length ? `, previous ${this.previousKeyIds.join(', ')}` : ''})`,
        'unknown-key',
      );
    }
    const plaintext = decrypt(key, parsed, associatedData);
    if (plaintext === null) {
      // The key is the one named, so only the data (or its binding to this row) can be wrong.
      throw new SecretBoxError(
        `cannot decrypt under key-encryption key ${parsed.keyId}: tampered data or sealed for another row`,
      );
    }
    return plaintext;
  }

  /** The id of the key that sealed an envelope; null for the legacy form, which does not record it. */
  sealedUnder(envelope: string): string | null {
    return parse(envelope).keyId;
  }

  /** Whether an envelope is already in the current form under the current key. */
  isCurrent(envelope: string): boolean {
    return this.sealedUnder(envelope) === this.currentKeyId;
  }

  /**
   * The envelope re-sealed under the current key, or null when it already is. Throws SecretBoxError
   * when no configured key opens it.
   */
  reseal(envelope: string, associatedData: string): string | null {
    if (this.isCurrent(envelope)) return null;
    return this.seal(this.open(envelope, associatedData), associatedData);
  }
}

function aad(header: string | null, associatedData: string): Buffer {
  return Buffer.from(header === null ? associatedData : `${header}\n${associatedData}`, 'utf8');
}

function parse(envelope: string): ParsedEnvelope {
  const parts = envelope.split('.');
  const malformed = () => new SecretBoxError('unrecognised envelope', 'malformed');
  let keyId: string | null;
  let rest: string[];
  if (parts[0] === CURRENT && parts.length === 5) {
    keyId = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === LEGACY && parts.length === 4) {
    keyId = null;
    rest = parts.slice(1);
  } else {
    throw malformed();
  }
  const [iv, tag, ciphertext] = rest as [string, string, string];
  const parsed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    header: keyId === null ? null : `${CURRENT}.${keyId}`,
  };
  // A full-length tag only: GCM would otherwise accept a truncated (forgeable) one.
  if (parsed.iv.length !== 12 || parsed.tag.length !== 16 || keyId === '') throw malformed();
  return parsed;
}

/** The plaintext, or null when the key or the data is wrong (never the cause: it may carry key material). */
function decrypt(key: Buffer, envelope: ParsedEnvelope, associatedData: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, envelope.iv);
    decipher.setAAD(aad(envelope.header, associatedData));
    decipher.setAuthTag(envelope.tag);
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
