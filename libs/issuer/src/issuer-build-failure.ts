import { UnreadableKeyMaterial } from '@erp-id/keys';

/** Seconds a client is told to wait when an instance's issuer cannot be built. */
export const ISSUER_RETRY_AFTER_SECONDS = 5;

/**
 * The log line for an issuer that could not be built. Error messages of the key layer name the value
 * and key ids, never key material; unreadable key material gets the operator's way out.
 */
export function describeIssuerBuildFailure(instanceName: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof UnreadableKeyMaterial) {
    return (
      `instance ${instanceName} cannot be served: its ${message}. ` +
      'Configure the key-encryption key that sealed it (KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_PREVIOUS)'
    );
  }
  return `issuer build for ${instanceName} failed: ${message}`;
}
