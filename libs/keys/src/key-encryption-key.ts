import { Logger } from '@nestjs/common';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';

export interface KeyEncryptionKeySource {
  configured: string | undefined;
  /** Earlier keys (base64), kept only to open data not yet re-sealed under the current one. */
  previous?: readonly string[];
  dataDir: string;
  production: boolean;
}

export interface KeyEncryptionKeys {
  current: Buffer;
  previous: Buffer[];
}

/**
 * The deployment supplies the key-encryption key, and during a rotation the keys it replaces.
 * Development without one gets a generated key kept in the data folder, with a loud warning: losing
 * that file makes every private key unreadable.
 */
export function loadKeyEncryptionKeys(
  source: KeyEncryptionKeySource,
  logger = new Logger('Keys'),
): KeyEncryptionKeys {
  const previous = (source.previous ?? []).map((k) => Buffer.from(k, 'base64'));
  return { current: currentKey(source, logger), previous };
}

function currentKey(source: KeyEncryptionKeySource, logger: Logger): Buffer {
  if (source.configured) return Buffer.from(source.configured, 'base64');
  if (source.production) throw new Error('KEY_ENCRYPTION_KEY is required in production');
  const file = resolve(source.dataDir, 'key-encryption-key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  logger.warn(
    `KEY_ENCRYPTION_KEY is not set: using the development key in ${file}. ` +
      'Private keys are only as safe as that file. Set KEY_ENCRYPTION_KEY (32 random bytes, base64) in any real deployment.',
  );
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}
