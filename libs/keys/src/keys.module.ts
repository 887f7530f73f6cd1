import { Global, Logger, Module } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { SigningKeyPool } from './signing-key-pool';
import { InstanceKeysService } from './instance-keys.service';
import { loadKeyEncryptionKeys } from './key-encryption-key';
import { KeyReencryptionService } from './key-reencryption.service';
import { KeyRotationService } from './key-rotation.service';
import { SecretBox } from './secret-box';

/** Key material and rotation, shared by the gateway and the CLI (the schedule is KeyRotationModule). */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => {
        const logger = new Logger('Keys');
        const keys = loadKeyEncryptionKeys(
          {
            configured: config.keyEncryptionKey,
            previous: config.keyEncryptionKeyPrevious,
            dataDir: config.dataDir,
            production: config.production,
          },
          logger,
        );
        const box = new SecretBox(keys.current, keys.previous);
        // Key ids are public names (see keyIdOf): they let an operator check which keys a process holds.
        logger.log(
          `key-encryption key ${box.currentKeyId} seals` +
            (box.previousKeyIds.length ? `; previous key(s) ${box.previousKeyIds.join(', ')} only open` : ''),
        );
        return box;
      },
    },
    SigningKeyPool,
    InstanceKeysService,
    KeyRotationService,
    KeyReencryptionService,
  ],
  exports: [SecretBox, InstanceKeysService, KeyRotationService, KeyReencryptionService],
})
export class KeysModule {}
