import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuditRecorder, SYSTEM_ACTOR } from '@erp-id/audit';
import { DataSource, In, MoreThan } from 'typeorm';
import {
  type AdvisoryLockKey,
  InstanceEntity,
  SigningKeyEntity,
  withAdvisoryLock,
} from '@erp-id/persistence';
import { keyPolicyOf } from './key-policy';
import { KeyRotationService } from './key-rotation.service';
import { type ScheduledKey, scheduledWork } from './rotation-schedule';
import type { SigningKeyView } from './signing-key-view';

/** What one run of the schedule did, by instance name. */
export interface KeyRotationReport {
  /** False when another replica held the lock (it does the work of this run). */
  ran: boolean;
  rotated: string[];
  prepared: string[];
  pruned: string[];
  failed: string[];
}

/** How often the schedule is checked: keys rotate after days, so minutes late is on time. */
export const KEY_ROTATION_CHECK_INTERVAL_MS = 5 * 60_000;
/** A replica that was down when a rotation was due catches up soon after it starts. */
const FIRST_RUN_DELAY_MS = 3_000;
/** 'idgw' and 1: the advisory lock every replica's run competes for (per database). */
export const KEY_SCHEDULE_LOCK: AdvisoryLockKey = [0x69646777, 1];
const BATCH_SIZE = 500;

interface InstanceKeys {
  instance: Pick<InstanceEntity, 'id' | 'name' | 'policies'>;
  keys: ScheduledKey[];
}

const emptyReport = (ran: boolean): KeyRotationReport => ({
  ran,
  rotated: [],
  prepared: [],
  pruned: [],
  failed: [],
});

/**
 * Rotates keys on each instance's schedule (`keyRotation` policy): publishes the next key ahead of
 * time, rotates when the active key reaches its age, removes retired keys whose tokens have all
 * expired. With many replicas, a Postgres advisory lock makes one of them do each run; the row lock
 * taken by every key change keeps it correct against admin calls made at the same time.
 */
@Injectable()
export class KeyRotationJob implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('KeyRotationJob');
  private firstRun: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  /** Runs never overlap in one process: each starts after the previous one settled. */
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private stopped = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly rotation: KeyRotationService,
    private readonly audit: AuditRecorder,
  ) {}

  onModuleInit(): void {
    // unref: the schedule never keeps a process alive on its own.
    this.firstRun = setTimeout(() => this.tick(), FIRST_RUN_DELAY_MS).unref();
    this.interval = setInterval(() => this.tick(), KEY_ROTATION_CHECK_INTERVAL_MS).unref();
  }

  /** Stops the timers and waits for a run in progress, before the database connection closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.firstRun);
    clearInterval(this.interval);
    await this.chain;
  }

  /** One run of the schedule over every instance (the timer calls this; tests may too). */
  runOnce(): Promise<KeyRotationReport> {
    this.pending += 1;
    const run = this.chain.then(() => this.run()).finally(() => (this.pending -= 1));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private tick(): void {
    if (this.stopped || this.pending > 0) return;
    this.runOnce().then(
      (report) => {
        const { rotated, prepared, pruned, failed } = report;
        if (rotated.length + prepared.length + pruned.length + failed.length === 0) return;
        this.logger.log(
          `key schedule: ${rotated.length} rotated, ${prepared.length} next keys published, ` +
            `${pruned.length} pruned, ${failed.length} failed`,
        );
      },
      (err: Error) => this.logger.error(`key schedule run failed: ${err.message}`),
    );
  }

  private async run(): Promise<KeyRotationReport> {
    const locked = await withAdvisoryLock(this.dataSource, KEY_SCHEDULE_LOCK, () => this.sweep());
    return locked.acquired ? locked.result : emptyReport(false);
  }

  private async sweep(): Promise<KeyRotationReport> {
    const report = emptyReport(true);
    for await (const batch of this.batches()) {
      for (const entry of batch) {
        if (this.stopped) return report;
        try {
          await this.apply(entry, report);
        } catch (err) {
          // One broken instance must not stop the schedule of all the others.
          report.failed.push(entry.instance.name);
          this.logger.error(
            `instance ${entry.instance.name}: key schedule failed: ${(err as Error).message}`,
          );
        }
      }
    }
    return report;
  }

  private async apply({ instance, keys }: InstanceKeys, report: KeyRotationReport): Promise<void> {
    const policy = keyPolicyOf(instance.policies);
    const now = new Date();
    const work = scheduledWork(keys, policy, now);
    const ref = { id: instance.id, name: instance.name };
    if (work.rotate) {
      // A rotation also removes expired retired keys.
      const cutoff = new Date(+now - policy.rotateAfterMs);
      const rotated = await this.rotation.rotateIfDue(ref, cutoff);
      if (rotated) {
        report.rotated.push(instance.name);
        await this.recordKeyChange(instance.id, 'keys.rotated', rotated);
      }
      return;
    }
    if (work.prepareNext) {
      const next = await this.rotation.prepareNext(ref, policy.signingAlgorithm);
      report.prepared.push(instance.name);
      await this.recordKeyChange(instance.id, 'keys.next_published', next);
    }
    if (work.prune && (await this.rotation.prune(ref)) > 0) report.pruned.push(instance.name);
  }

  private recordKeyChange(instanceId: string, action: string, key: SigningKeyView): Promise<void> {
    return this.audit.record(
      {
        instanceId,
        actor: SYSTEM_ACTOR,
        action,
        target: { type: 'signing_key', id: key.kid },
        details: { algorithm: key.alg, schedule: true },
      },
      'system',
    );
  }

  /** Instances with their keys' dates (never key material), a batch at a time in id order. */
  private async *batches(): AsyncGenerator<InstanceKeys[]> {
    let after: string | undefined;
    for (;;) {
      const instances = await this.dataSource.getRepository(InstanceEntity).find({
        select: { id: true, name: true, policies: true },
        where: after === undefined ? {} : { id: MoreThan(after) },
        order: { id: 'ASC' },
        take: BATCH_SIZE,
      });
      if (!instances.length) return;
      const keys = await this.dataSource.getRepository(SigningKeyEntity).find({
        select: {
          instanceId: true,
          alg: true,
          state: true,
          createdAt: true,
          activatedAt: true,
          retiredAt: true,
        },
        where: { instanceId: In(instances.map((i) => i.id)) },
      });
      const byInstance = new Map<string, ScheduledKey[]>();
      for (const key of keys)
        byInstance.set(key.instanceId, [...(byInstance.get(key.instanceId) ?? []), key]);
      yield instances.map((instance) => ({ instance, keys: byInstance.get(instance.id) ?? [] }));
      if (instances.length < BATCH_SIZE) return;
      after = instances[instances.length - 1]!.id;
    }
  }
}
