import { Inject, Injectable, Logger } from '@nestjs/common';
import { InstanceEntity, SigningKeyEntity } from '@erp-id/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { UnknownInstance } from './key-rotation.service';
import { cookieKeysAad, signingKeyAad } from './sealing-contexts';
import { SecretBox, SecretBoxError } from './secret-box';

export type SealedValueKind = 'signing-key' | 'cookie-keys';

/** A value left as it was: which one, and why (never key material). */
export interface ReencryptionFailure {
  instance: string;
  kind: SealedValueKind;
  /** The signing key's kid; absent for cookie keys. */
  kid?: string;
  reason: string;
}

export interface ReencryptionReport {
  /** The key-encryption key everything is now sealed under. */
  keyId: string;
  instances: number;
  resealed: number;
  alreadyCurrent: number;
  failed: number;
  failures: ReencryptionFailure[];
}

type Outcome = 'resealed' | 'current' | ReencryptionFailure;

interface SealedValue {
  kind: SealedValueKind;
  kid?: string;
  envelope: string;
  context: string;
  /** Writes the new envelope only if the row still holds the old one; resolves whether it did. */
  replace: (manager: EntityManager, next: string) => Promise<boolean>;
}

/**
 * Re-seals every instance's private signing keys and cookie keys under the current key-encryption
 * key, so a previous key can be dropped. Safe while gateways run: each instance is done in its own
 * short transaction under its row lock (the lock key rotation and instance changes take), and every
 * write is conditional on the row still holding what was read. The plaintext does not change, so no
 * instance version is bumped and no replica rebuilds its issuer. Running it again finds nothing to do.
 */
@Injectable()
export class KeyReencryptionService {
  private readonly logger = new Logger('KeyReencryption');

  constructor(
    private readonly box: SecretBox,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  /** Every instance, or only the one named. */
  async reencrypt(options: { instance?: string } = {}): Promise<ReencryptionReport> {
    const targets = await this.dataSource.getRepository(InstanceEntity).find({
      select: { id: true, name: true },
      where: options.instance === undefined ? {} : { name: options.instance },
      order: { name: 'ASC' },
    });
    if (options.instance !== undefined && !targets.length) {
      throw new UnknownInstance(`instance ${options.instance} does not exist`);
    }
    const report: ReencryptionReport = {
      keyId: this.box.currentKeyId,
      instances: targets.length,
      resealed: 0,
      alreadyCurrent: 0,
      failed: 0,
      failures: [],
    };
    for (const target of targets) {
      for (const outcome of await this.reencryptInstance(target)) {
        if (outcome === 'resealed') report.resealed += 1;
        else if (outcome === 'current') report.alreadyCurrent += 1;
        else {
          report.failed += 1;
          report.failures.push(outcome);
          this.logger.warn(
            `instance ${outcome.instance}: ${outcome.kind}${outcome.kid ? ` ${outcome.kid}` : ''} not re-sealed: ${outcome.reason}`,
          );
        }
      }
    }
    if (report.resealed || report.failed) {
      this.logger.log(
        `re-sealed ${report.resealed} value(s) under key-encryption key ${report.keyId}; ` +
          `${report.alreadyCurrent} already current, ${report.failed} failed`,
      );
    }
    return report;
  }

  private reencryptInstance(target: Pick<InstanceEntity, 'id' | 'name'>): Promise<Outcome[]> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(InstanceEntity).findOne({
        select: { id: true, name: true, cookieKeys: true },
        where: { id: target.id },
        lock: { mode: 'pessimistic_write' },
      });
      // Deleted since the list was read: nothing left to protect.
      if (!row) return [];
      const keys = await manager.getRepository(SigningKeyEntity).find({
        select: { id: true, kid: true, privateJwk: true },
        where: { instanceId: row.id },
        order: { kid: 'ASC' },
      });
      const values: SealedValue[] = [
        {
          kind: 'cookie-keys',
          envelope: row.cookieKeys,
          context: cookieKeysAad(row.id),
          replace: async (m, next) =>
            affected(
              await m
                .createQueryBuilder()
                .update(InstanceEntity)
                .set({ cookieKeys: next })
                .where('id = :id AND cookie_keys = :old', { id: row.id, old: row.cookieKeys })
                .execute(),
            ),
        },
        ...keys.map((key): SealedValue => ({
          kind: 'signing-key',
          kid: key.kid,
          envelope: key.privateJwk,
          context: signingKeyAad(row.id, key.kid),
          replace: async (m, next) =>
            affected(
              await m
                .createQueryBuilder()
                .update(SigningKeyEntity)
                .set({ privateJwk: next })
                .where('id = :id AND private_jwk = :old', { id: key.id, old: key.privateJwk })
                .execute(),
            ),
        })),
      ];
      const outcomes: Outcome[] = [];
      for (const value of values) outcomes.push(await this.reseal(manager, row.name, value));
      return outcomes;
    });
  }

  private async reseal(manager: EntityManager, instance: string, value: SealedValue): Promise<Outcome> {
    const failure = (reason: string): ReencryptionFailure => ({
      instance,
      kind: value.kind,
      ...(value.kid === undefined ? {} : { kid: value.kid }),
      reason,
    });
    let next: string | null;
    try {
      next = this.box.reseal(value.envelope, value.context);
    } catch (err) {
      if (err instanceof SecretBoxError) return failure(err.message);
      throw err;
    }
    if (next === null) return 'current';
    if (!(await value.replace(manager, next)))
      return failure('the row changed while it was re-sealed; run again');
    return 'resealed';
  }
}

function affected(result: { affected?: number | null }): boolean {
  // A driver that does not report counts is trusted: the row lock already orders every writer.
  return result.affected === undefined || result.affected === null || result.affected > 0;
}
