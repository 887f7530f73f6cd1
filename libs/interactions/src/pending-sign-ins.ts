import { Inject, Injectable } from '@nestjs/common';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import type { Adapter } from 'oidc-provider';

/** Where a sign-in stands after a correct password, while the second factor is still to come. */
export type SecondFactorStage = 'enroll' | 'verify' | 'recovery-codes';

export interface PendingSignIn {
  /** The user whose password was verified. */
  userId: string;
  stage: SecondFactorStage;
  /** The secret being enrolled, sealed for this user and interaction (stage `enroll`). */
  sealedSecret?: string;
}

const MODEL = 'SecondFactorStep';

/**
 * The password step of a sign-in, remembered server-side under the interaction's uid (in the
 * instance's state store, shared by every replica), never in the page: a form cannot claim a
 * password it did not pass. The interaction cookie is needed to reach it, and it expires with the
 * interaction.
 */
@Injectable()
export class PendingSignIns {
  constructor(@Inject(STATE_STORE) private readonly state: StateStore) {}

  async find(instance: string, interactionUid: string): Promise<PendingSignIn | null> {
    const payload = await this.adapter(instance).find(interactionUid);
    if (!payload || typeof payload.userId !== 'string' || !isStage(payload.stage)) return null;
    return {
      userId: payload.userId,
      stage: payload.stage,
      ...(typeof payload.sealedSecret === 'string' ? { sealedSecret: payload.sealedSecret } : {}),
    };
  }

  async save(
    instance: string,
    interactionUid: string,
    pending: PendingSignIn,
    ttlSeconds: number,
  ): Promise<void> {
    await this.adapter(instance).upsert(interactionUid, { ...pending }, Math.max(1, Math.ceil(ttlSeconds)));
  }

  async forget(instance: string, interactionUid: string): Promise<void> {
    await this.adapter(instance).destroy(interactionUid);
  }

  private adapter(instance: string): Adapter {
    return this.state.adapterFor(instance)(MODEL);
  }
}

function isStage(value: unknown): value is SecondFactorStage {
  return value === 'enroll' || value === 'verify' || value === 'recovery-codes';
}
