// First, before anything that imports @erp-id/policies: policies imports SIGNING_ALGORITHMS from here
// at load time, and key rotation reads policies, so this export must exist when that cycle closes.
export { SIGNING_ALGORITHMS, isSigningAlgorithm } from './signing-algorithms';
export type { SigningAlgorithm } from './signing-algorithms';
export { KeysModule } from './keys.module';
export { KeyRotationModule } from './key-rotation.module';
export { InstanceKeysService, NoActiveSigningKey, UnreadableKeyMaterial } from './instance-keys.service';
export type { IssuerKeyMaterial, SealedSigningKey } from './instance-keys.service';
export { KeyRotationService, UnknownInstance } from './key-rotation.service';
export type { InstanceRef } from './key-rotation.service';
export { KeyRotationJob, KEY_ROTATION_CHECK_INTERVAL_MS, KEY_SCHEDULE_LOCK } from './key-rotation.job';
export type { KeyRotationReport } from './key-rotation.job';
export { keyPolicyOf, CLOCK_TOLERANCE_SECONDS } from './key-policy';
export type { KeyPolicy } from './key-policy';
export { toSigningKeyView } from './signing-key-view';
export type { SigningKeyView } from './signing-key-view';
export { SecretBox, SecretBoxError, keyIdOf } from './secret-box';
export type { SecretBoxFailure } from './secret-box';
export { loadKeyEncryptionKeys } from './key-encryption-key';
export type { KeyEncryptionKeys, KeyEncryptionKeySource } from './key-encryption-key';
export { KeyReencryptionService } from './key-reencryption.service';
export type { ReencryptionReport, ReencryptionFailure, SealedValueKind } from './key-reencryption.service';
export { generateSigningKey } from './signing-key-generator';
export { publicPart } from './jwk';
export type { Jwk } from './jwk';
export { SigningKeyPool, POOL_SIZE } from './signing-key-pool';
