import { Inject, Injectable, Logger } from '@nestjs/common';
import { InstanceEntity, SigningKeyEntity, type SigningKeyState } from '@erp-id/persistence';
import { InstanceVersions } from '@erp-id/tenancy';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import { InstanceKeysService, type SealedSigningKey } from './instance-keys.service';
import { keyPolicyOf, type KeyPolicy } from './key-policy';
import { KeyedSerializer } from './keyed-serializer';
import { expiredRetiredKeys } from './rotation-schedule';
import type { SigningAlgorithm } from './signing-algorithms';
import { toSigningKeyView, type SigningKeyView } from './signing-key-view';
import { activeSince, compareForSigning } from './signing-order';

/** The instance whose keys change: its id for the rows, its name for the change announcement. */
export interface InstanceRef {
  id: string;
  name: string;
}

export class UnknownInstance extends Error {
  override readonly name = 'UnknownInstance';
}

/** An instance's keys read under its row lock, inside the changing transaction. */
interface LockedKeys {
  manager: EntityManager;
  keys: SigningKeyEntity[];
  policy: KeyPolicy;
  now: Date;
}

interface KeyChange<T> {
  result: T;
  /** Whether rows changed: then the instance version is bumped and every replica rebuilds its issuer. */
  changed: boolean;
}

/**
 * Rotation of an instance's signing keys. Every change happens in one transaction under the instance
 * row's lock, bumps the instance version and is announced after commit, so every replica rebuilds
 * its issuer with the new key set within a second.
 *
 * Life of a key: `next` (published in the JWKS, never signs) → `active` (the only key that signs)
 * → `retired` (still published, so tokens it signed keep verifying) → removed once every token it
 * could have signed has expired.
 */
@Injectable()
export class KeyRotationService {
  private readonly logger = new Logger('KeyRotation');
  private readonly serializer = new KeyedSerializer();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly keys: InstanceKeysService,
    private readonly versions: InstanceVersions,
  ) {}

  /** The instance's keys in signing order, without key material. */
  async list(instanceId: string): Promise<SigningKeyView[]> {
    const rows = await this.dataSource.getRepository(SigningKeyEntity).find({
      select: { kid: true, alg: true, state: true, createdAt: true, activatedAt: true, retiredAt: true },
      where: { instanceId },
    });
    return rows.sort(compareForSigning).map(toSigningKeyView);
  }

  /**
   * Makes a key of `alg` (default: the policy's `signingAlgorithm`) active now: the published next key
   * of that algorithm if there is one (relying parties that cache the JWKS have seen it), a new one
   * otherwise. The previous active key is retired; retired keys past retention are removed.
   */
  async rotate(instance: InstanceRef, alg?: SigningAlgorithm): Promise<SigningKeyView> {
    const rotated = await this.rotateWhen(instance, alg, () => true);
    if (!rotated) throw new Error('unconditional rotation did not rotate');
    return rotated;
  }

  /**
   * The scheduled rotation: rotates only if the active key (if any) became active at or before `cutoff`,
   * checked under the row lock, so a rotation that happened meanwhile (an admin call, another replica)
   * is not repeated. Returns the new active key, or null when nothing was due any more.
   */
  rotateIfDue(instance: InstanceRef, cutoff: Date): Promise<SigningKeyView | null> {
    return this.rotateWhen(instance, undefined, (keys) => {
      const active = keys.filter((k) => k.state === 'active');
      return active.length === 0 || active.every((k) => +activeSince(k) <= +cutoff);
    });
  }

  /**
   * Publishes a next key of `alg` (default: the policy's) that signs nothing until a rotation promotes
   * it. Idempotent: an existing next key of that algorithm is kept; one of another algorithm is
   * replaced (it never signed anything, so nothing depends on it).
   */
  prepareNext(instance: InstanceRef, alg?: SigningAlgorithm): Promise<SigningKeyView> {
    return this.serializer.run(instance.id, async () => {
      const target = alg ?? (await this.policyOf(instance)).signingAlgorithm;
      const existing = await this.findNext(instance.id, target);
      const candidate = existing ? null : await this.keys.generateSealed(instance.id, target);
      return this.change(instance, async ({ manager, keys, now }) => {
        const repo = manager.getRepository(SigningKeyEntity);
        const kept = keys.find((k) => k.state === 'next' && k.alg === target);
        if (kept) return { result: toSigningKeyView(kept), changed: false };
        await this.remove(
          repo,
          keys.filter((k) => k.state === 'next'),
        );
        const sealed = candidate ?? (await this.keys.generateSealed(instance.id, target));
        const created = await this.insert(repo, instance.id, sealed, 'next', now);
        this.logger.log(
          `instance ${instance.name}: next signing key ${created.kid} (${created.alg}) published`,
        );
        return { result: toSigningKeyView(created), changed: true };
      });
    });
  }

  /** Removes retired keys whose every token has expired; returns how many. */
  prune(instance: InstanceRef, now = new Date()): Promise<number> {
    return this.serializer.run(instance.id, () =>
      this.change(instance, async ({ manager, keys, policy }) => {
        const expired = expiredRetiredKeys(keys, policy, now);
        if (!expired.length) return { result: 0, changed: false };
        await this.remove(manager.getRepository(SigningKeyEntity), expired);
        this.logger.log(`instance ${instance.name}: ${expired.length} retired signing key(s) removed`);
        return { result: expired.length, changed: true };
      }),
    );
  }

  private rotateWhen(
    instance: InstanceRef,
    alg: SigningAlgorithm | undefined,
    due: (keys: readonly SigningKeyEntity[]) => boolean,
  ): Promise<SigningKeyView | null> {
    return this.serializer.run(instance.id, async () => {
      const target = alg ?? (await this.policyOf(instance)).signingAlgorithm;
      // Generating a key (an RSA one takes tens of milliseconds) happens before the row lock is taken,
      // unless a published next key is going to be promoted.
      const candidate = (await this.findNext(instance.id, target))
        ? null
        : await this.keys.generateSealed(instance.id, target);
      return this.change(instance, async ({ manager, keys, policy, now }) => {
        if (!due(keys)) return { result: null, changed: false };
        const repo = manager.getRepository(SigningKeyEntity);
        // Sorted out before any row changes state: the promoted key must not count as a previous one.
        const promoted = keys.find((k) => k.state === 'next' && k.alg === target);
        const previous = keys.filter((k) => k.state === 'active');
        const stale = keys.filter((k) => k.state === 'next' && k !== promoted);
        const expired = expiredRetiredKeys(keys, policy, now);
        const activated = promoted
          ? await repo.save(Object.assign(promoted, { state: 'active', activatedAt: now }))
          : await this.insert(
              repo,
              instance.id,
              candidate ?? (await this.keys.generateSealed(instance.id, target)),
              'active',
              now,
            );
        // Retired only after the new key is active: a reader that sees the rows mid-change (the
        // embedded database has one session for everything) still finds an active key.
        for (const old of previous) await repo.save(Object.assign(old, { state: 'retired', retiredAt: now }));
        await this.remove(repo, [...stale, ...expired]);
        this.logger.log(
          `instance ${instance.name}: signing key ${activated.kid} (${activated.alg}) active` +
            `${promoted ? ' (was next)' : ''}; ${previous.length} retired, ${expired.length} expired removed`,
        );
        return { result: toSigningKeyView(activated), changed: true };
      });
    });
  }

  /** One transaction under the instance row lock; a change bumps the version and is announced after commit. */
  private async change<T>(
    instance: InstanceRef,
    work: (locked: LockedKeys) => Promise<KeyChange<T>>,
  ): Promise<T> {
    const { result, changed } = await this.dataSource.transaction(async (manager) => {
      // The row lock orders concurrent key changes of one instance across replicas.
      const row = await manager.getRepository(InstanceEntity).findOne({
        select: { id: true, policies: true },
        where: { id: instance.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) throw new UnknownInstance(`instance ${instance.name} does not exist`);
      const keys = await manager.getRepository(SigningKeyEntity).find({ where: { instanceId: instance.id } });
      const out = await work({ manager, keys, policy: keyPolicyOf(row.policies), now: new Date() });
      if (out.changed) await this.versions.bump(manager, instance.id);
      return out;
    });
    if (changed) await this.versions.announce(instance.name);
    return result;
  }

  private async policyOf(instance: InstanceRef): Promise<KeyPolicy> {
    const row = await this.dataSource
      .getRepository(InstanceEntity)
      .findOne({ select: { id: true, policies: true }, where: { id: instance.id } });
    if (!row) throw new UnknownInstance(`instance ${instance.name} does not exist`);
    return keyPolicyOf(row.policies);
  }

  private findNext(instanceId: string, alg: SigningAlgorithm): Promise<SigningKeyEntity | null> {
    return this.dataSource
      .getRepository(SigningKeyEntity)
      .findOne({ select: { id: true }, where: { instanceId, alg, state: 'next' } });
  }

  private insert(
    repo: Repository<SigningKeyEntity>,
    instanceId: string,
    key: SealedSigningKey,
    state: Extract<SigningKeyState, 'active' | 'next'>,
    now: Date,
  ): Promise<SigningKeyEntity> {
    return repo.save(
      repo.create({
        instanceId,
        kid: key.kid,
        alg: key.alg,
        state,
        publicJwk: key.publicJwk,
        privateJwk: key.sealedPrivateJwk,
        activatedAt: state === 'active' ? now : null,
        retiredAt: null,
      }),
    );
  }

  private async remove(repo: Repository<SigningKeyEntity>, rows: readonly SigningKeyEntity[]): Promise<void> {
    if (rows.length) await repo.delete({ id: In(rows.map((r) => r.id)) });
  }
}
