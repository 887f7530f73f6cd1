import { Logger } from '@nestjs/common';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';

export interface KeyEncryptionKeySource {
  configured: string | undefined;
  dataDir: string;
  production: boolean;
}

/**
 * The deployment supplies the key-encryption key. Development without one gets a generated key
 * kept in the data folder, with a loud warning: losing that file makes every private key unreadable.
 */
export function loadKeyEncryptionKey(source: KeyEncryptionKeySource, logger = new Logger('Keys')): Buffer {
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
