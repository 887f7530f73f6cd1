import { Global, Module } from '@nestjs/common';
import { GatewayConfig } from '@erp-id/config';
import { InstanceKeysService } from './instance-keys.service';
import { loadKeyEncryptionKey } from './key-encryption-key';
import { SecretBox } from './secret-box';

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
  ],
  exports: [SecretBox, InstanceKeysService],
})
export class KeysModule {}
