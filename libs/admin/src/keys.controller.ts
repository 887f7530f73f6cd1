import { Body, Get, Param, Post } from '@nestjs/common';
import { InstancesService } from '@erp-id/instances';
import {
  KeyRotationService,
  UnknownInstance,
  type SigningAlgorithm,
  type SigningKeyView,
} from '@erp-id/keys';
import type { InstanceEntity } from '@erp-id/persistence';
import { AdminError } from './admin-error';
import { Audited } from './audited';
import { type KeyChangeDto, keyChangeSchema } from './key-dtos';
import { ZodBodyPipe } from './zod-body.pipe';
import { AdminController } from './admin-controller';
import { AdminErrors } from './admin-error-responses';
import { ZodBody } from './zod-openapi';

const keyChangeBody = new ZodBodyPipe(keyChangeSchema);

/** An instance's signing keys: list (never key material), rotation on demand, a next key ahead of time. */
@AdminController('instances/:name/keys', 'keys')
export class KeysController {
  constructor(
    private readonly rotation: KeyRotationService,
    private readonly instances: InstancesService,
  ) {}

  @Get()
  @AdminErrors(404)
  async list(@Param('name') name: string): Promise<{ items: SigningKeyView[] }> {
    const instance = await this.instanceOr404(name);
    return { items: await this.rotation.list(instance.id) };
  }

  /**
   * 201 with the new active key (the published next key of that algorithm, if any); the previous one
   * stays published until every token it signed has expired.
   */
  @Post('rotate')
  @Audited('keys.rotated', { target: 'signing_key', targetId: { response: 'kid' } })
  @ZodBody(keyChangeSchema, { optional: true })
  @AdminErrors(404)
  rotate(@Param('name') name: string, @Body() body: unknown): Promise<SigningKeyView> {
    return this.change(name, body, (instance, alg) => this.rotation.rotate(instance, alg));
  }

  /**
   * 201 with the next key: published in the JWKS now, signing from the next rotation on, so relying
   * parties that cache the JWKS know it before they meet a token it signed.
   */
  @Post('next')
  @Audited('keys.next_published', { target: 'signing_key', targetId: { response: 'kid' } })
  @ZodBody(keyChangeSchema, { optional: true })
  @AdminErrors(404)
  prepareNext(@Param('name') name: string, @Body() body: unknown): Promise<SigningKeyView> {
    return this.change(name, body, (instance, alg) => this.rotation.prepareNext(instance, alg));
  }

  private async change(
    name: string,
    body: unknown,
    work: (instance: InstanceEntity, alg: SigningAlgorithm | undefined) => Promise<SigningKeyView>,
  ): Promise<SigningKeyView> {
    // No body at all means the policy's algorithm; a body must be valid (the admin body parser leaves it unset).
    const dto: KeyChangeDto = body === undefined ? {} : keyChangeBody.transform(body);
    const instance = await this.instanceOr404(name);
    try {
      return await work(instance, dto.algorithm);
    } catch (err) {
      // Deleted between the lookup and the change.
      if (err instanceof UnknownInstance) throw AdminError.notFound(`instance ${name} does not exist`);
      throw err;
    }
  }

  private async instanceOr404(name: string): Promise<InstanceEntity> {
    const row = await this.instances.findRow(name);
    if (!row) throw AdminError.notFound(`instance ${name} does not exist`);
    return row;
  }
}
