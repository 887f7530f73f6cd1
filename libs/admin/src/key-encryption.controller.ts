import { Body, HttpCode, Post } from '@nestjs/common';
import { KeyReencryptionService, UnknownInstance, type ReencryptionReport } from '@erp-id/keys';
import { AdminError } from './admin-error';
import { reencryptSchema, type ReencryptDto } from './key-dtos';
import { ZodBodyPipe } from './zod-body.pipe';
import { AdminController } from './admin-controller';
import { AdminErrors } from './admin-error-responses';
import { ZodBody } from './zod-openapi';

const reencryptBody = new ZodBodyPipe(reencryptSchema);

/** Deployment-wide sealing of key material under the key-encryption key. */
@AdminController('keys', 'key-encryption')
export class KeyEncryptionController {
  constructor(private readonly reencryption: KeyReencryptionService) {}

  /**
   * 200 with counts: every private signing key and cookie-key set (of one instance, or all) sealed
   * under the current key-encryption key. Values no configured key opens are listed under `failures`
   * and left as they were; running it again is harmless.
   */
  @Post('reencrypt')
  @HttpCode(200)
  @ZodBody(reencryptSchema, { optional: true })
  @AdminErrors([404, 'the instance named does not exist'])
  async reencrypt(@Body() body: unknown): Promise<ReencryptionReport> {
    // No body at all means every instance; a body must be valid (the admin body parser leaves it unset).
    const dto: ReencryptDto = body === undefined ? {} : reencryptBody.transform(body);
    try {
      return await this.reencryption.reencrypt({ instance: dto.instance });
    } catch (err) {
      if (err instanceof UnknownInstance) throw AdminError.notFound(err.message);
      throw err;
    }
  }
}
