import type { SecretBox } from '@erp-id/keys';

// The associated data ties a sealed secret to its instance and user: a row copied to another
// user or instance does not open.
const storedAad = (instanceId: string, userId: string): string => `totp:${instanceId}:${userId}`;
const pendingAad = (instanceId: string, userId: string, interactionUid: string): string =>
  `totp-pending:${instanceId}:${userId}:${interactionUid}`;

/** Seals TOTP secrets under the key-encryption key, like the instances' private keys. */
export class FactorSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(instanceId: string, userId: string, secret: string): string {
    return this.box.seal(secret, storedAad(instanceId, userId));
  }

  open(instanceId: string, userId: string, sealed: string): string {
    return this.box.open(sealed, storedAad(instanceId, userId));
  }

  /** A secret being enrolled, kept with one sign-in (one interaction) until the user confirms it. */
  sealPending(instanceId: string, userId: string, interactionUid: string, secret: string): string {
    return this.box.seal(secret, pendingAad(instanceId, userId, interactionUid));
  }

  openPending(instanceId: string, userId: string, interactionUid: string, sealed: string): string {
    return this.box.open(sealed, pendingAad(instanceId, userId, interactionUid));
  }
}
