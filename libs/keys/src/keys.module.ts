import { Global, Module } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { InstanceKeysService } from './instance-keys.service';
import { loadKeyEncryptionKey } from './key-encryption-key';
import { KeyRotationService } from './key-rotation.service';
import { SecretBox } from './secret-box';

/** Key material and rotation, shared by the gateway and the CLI (the schedule is KeyRotationModule). */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) =>
        new SecretBox(
          loadKeyEncryptionKey({
            configured: config.keyEncryptionKey,
            dataDir: config.dataDir,
            production: config.production,
          }),
        ),
    },
    InstanceKeysService,
    KeyRotationService,
  ],
  exports: [SecretBox, InstanceKeysService, KeyRotationService],
})
export class KeysModule {}
