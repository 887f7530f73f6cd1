import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';

/** Reads a development secret from the data folder, generating it on first use (mode 0600). */
export function developmentSecret(dataDir: string, fileName: string): { value: string; file: string } {
  const file = resolve(dataDir, fileName);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return { value: readFileSync(file, 'utf8').trim(), file };
}
