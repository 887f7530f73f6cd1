import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, UsersService } from '@erp-id/accounts';
import { SecretBox } from '@erp-id/keys';
import { RecoveryCodeEntity, UserFactorEntity } from '@erp-id/persistence';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import { DataSource, IsNull } from 'typeorm';
import { FactorSecrets } from './factor-secrets';
import { type FactorResetSource, MfaEvents, type MfaSubject } from './mfa-events';
import {
  digestRecoveryCode,
  newRecoveryCode,
  RECOVERY_CODE_COUNT,
  recoveryCodeMatches,
} from './recovery-codes';
import { looksLikeTotpCode, matchTotp } from './totp';

/** The instance a factor belongs to: its id keys the rows, its name the state store and the logs. */
export interface FactorInstance {
  id: string;
  name: string;
}

export type EnrollmentResult =
  | { outcome: 'enrolled'; recoveryCodes: string[] }
  | { outcome: 'invalid' }
  /** The user confirmed a factor meanwhile (another tab): nothing was changed. */
  | { outcome: 'exists' };

export type SecondFactorCheck =
  | { outcome: 'accepted'; method: 'totp' | 'recovery'; recoveryCodesLeft?: number }
  | { outcome: 'invalid' }
  | { outcome: 'replayed' };

/** The second factors of users: enrollment, verification without replay, recovery codes, reset. */
@Injectable()
export class FactorsService {
  private readonly secrets: FactorSecrets;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(STATE_STORE) private readonly state: StateStore,
    private readonly users: UsersService,
    private readonly events: MfaEvents,
    box: SecretBox,
  ) {
    this.secrets = new FactorSecrets(box);
  }

  async hasFactor(instanceId: string, userId: string): Promise<boolean> {
    return (await this.dataSource.getRepository(UserFactorEntity).countBy({ instanceId, userId })) > 0;
  }

  /** Seals a secret being enrolled for the one sign-in (interaction) that shows it. */
  sealPendingSecret(
    instance: FactorInstance,
    userId: string,
    interactionUid: string,
    secret: string,
  ): string {
    return this.secrets.sealPending(instance.id, userId, interactionUid, secret);
  }

  openPendingSecret(
    instance: FactorInstance,
    userId: string,
    interactionUid: string,
    sealed: string,
  ): string {
    return this.secrets.openPending(instance.id, userId, interactionUid, sealed);
  }

  /**
   * Confirms a new TOTP factor with a first code and replaces any earlier recovery codes. The
   * confirming code's step counts as used, so it cannot sign in again. The recovery codes are
   * returned once, in plain text; only their digests are kept.
   */
  async enroll(
    instance: FactorInstance,
    userId: string,
    secret: string,
    code: string,
    nowMs = Date.now(),
  ): Promise<EnrollmentResult> {
    const match = matchTotp(secret, code, nowMs, null);
    if (match.outcome !== 'accepted') return { outcome: 'invalid' };
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(UserFactorEntity).save(
          manager.getRepository(UserFactorEntity).create({
            instanceId: instance.id,
            userId,
            kind: 'totp',
            sealedSecret: this.secrets.seal(instance.id, userId, secret),
            lastUsedStep: String(match.step),
          }),
        );
        const codes = manager.getRepository(RecoveryCodeEntity);
        await codes.delete({ instanceId: instance.id, userId });
        await codes.save(
          recoveryCodes.map((c) =>
            codes.create({
              instanceId: instance.id,
              userId,
              codeDigest: digestRecoveryCode(c),
              usedAt: null,
            }),
          ),
        );
      });
    } catch (err) {
      if (isUniqueViolation(err)) return { outcome: 'exists' };
      throw err;
    }
    this.events.enrolled(this.subject(instance, userId));
    return { outcome: 'enrolled', recoveryCodes };
  }

  /** A TOTP code (six digits) or a recovery code; each is accepted once. */
  async verify(
    instance: FactorInstance,
    userId: string,
    presented: string,
    nowMs = Date.now(),
  ): Promise<SecondFactorCheck> {
    const code = presented.replace(/\s/g, '');
    const result = looksLikeTotpCode(code)
      ? await this.verifyTotp(instance, userId, code, nowMs)
      : await this.useRecoveryCode(instance, userId, code);
    if (result.outcome !== 'accepted')
      this.events.codeRefused(this.subject(instance, userId), result.outcome);
    return result;
  }

  /**
   * Removes the user's factors and recovery codes and ends its sessions (the usual reason is a lost
   * or stolen device): the next sign-in enrolls again where the policy asks for a factor.
   * Null when the instance has no such user.
   */
  async reset(
    instance: FactorInstance,
    userId: string,
    source: FactorResetSource,
  ): Promise<{ factorsRemoved: number } | null> {
    if ((await this.users.get(instance.id, userId)) === null) return null;
    const factorsRemoved = await this.dataSource.transaction(async (manager) => {
      const removed = await manager
        .getRepository(UserFactorEntity)
        .delete({ instanceId: instance.id, userId });
      await manager.getRepository(RecoveryCodeEntity).delete({ instanceId: instance.id, userId });
      return removed.affected ?? 0;
    });
    await this.state.revokeAccount(instance.name, userId);
    this.events.reset(this.subject(instance, userId), source, factorsRemoved);
    return { factorsRemoved };
  }

  private async verifyTotp(
    instance: FactorInstance,
    userId: string,
    code: string,
    nowMs: number,
  ): Promise<SecondFactorCheck> {
    const factor = await this.dataSource
      .getRepository(UserFactorEntity)
      .findOneBy({ instanceId: instance.id, userId, kind: 'totp' });
    if (factor === null) return { outcome: 'invalid' };
    const secret = this.secrets.open(instance.id, userId, factor.sealedSecret);
    const lastUsed = factor.lastUsedStep === null ? null : Number(factor.lastUsedStep);
    const match = matchTotp(secret, code, nowMs, lastUsed);
    if (match.outcome !== 'accepted') return match;
    // Compare-and-set: of two requests presenting the same code at once (any replica), one wins.
    const claimed = await this.dataSource
      .createQueryBuilder()
      .update(UserFactorEntity)
      .set({ lastUsedStep: String(match.step) })
      .where('id = :id AND (last_used_step IS NULL OR last_used_step < :step)', {
        id: factor.id,
        step: String(match.step),
      })
      .returning(['id'])
      .execute();
    return rowsOf(claimed.raw) === 1 ? { outcome: 'accepted', method: 'totp' } : { outcome: 'replayed' };
  }

  private async useRecoveryCode(
    instance: FactorInstance,
    userId: string,
    code: string,
  ): Promise<SecondFactorCheck> {
    const unused = await this.dataSource
      .getRepository(RecoveryCodeEntity)
      .findBy({ instanceId: instance.id, userId, usedAt: IsNull() });
    const match = unused.find((row) => recoveryCodeMatches(row.codeDigest, code));
    if (!match) return { outcome: 'invalid' };
    const spent = await this.dataSource
      .createQueryBuilder()
      .update(RecoveryCodeEntity)
      .set({ usedAt: () => 'now()' })
      .where('id = :id AND used_at IS NULL', { id: match.id })
      .returning(['id'])
      .execute();
    if (rowsOf(spent.raw) !== 1) return { outcome: 'replayed' };
    const recoveryCodesLeft = unused.length - 1;
    this.events.recoveryCodeUsed(this.subject(instance, userId), recoveryCodesLeft);
    return { outcome: 'accepted', method: 'recovery', recoveryCodesLeft };
  }

  private subject(instance: FactorInstance, userId: string): MfaSubject {
    return { instanceId: instance.id, instance: instance.name, userId };
  }
}

function rowsOf(raw: unknown): number {
  return Array.isArray(raw) ? raw.length : 0;
}
