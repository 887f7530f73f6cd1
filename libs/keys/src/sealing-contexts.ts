/**
 * Associated data of each sealed value: it binds a ciphertext to its row, so a value copied to another
 * instance (or another kid) does not open. Sealing, opening and re-sealing must all use these.
 */
export const signingKeyAad = (instanceId: string, kid: string): string => `signing-key:${instanceId}:${kid}`;
export const cookieKeysAad = (instanceId: string): string => `cookie-keys:${instanceId}`;
