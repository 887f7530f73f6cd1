export { KeysModule } from './keys.module';
export { InstanceKeysService } from './instance-keys.service';
export type { IssuerKeyMaterial } from './instance-keys.service';
export { SecretBox, SecretBoxError } from './secret-box';
export { loadKeyEncryptionKey } from './key-encryption-key';
export { SIGNING_ALGORITHMS, isSigningAlgorithm } from './signing-algorithms';
export type { SigningAlgorithm } from './signing-algorithms';
export { generateSigningKey } from './signing-key-generator';
export type { Jwk } from './jwk';
