import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GatewayConfig } from '@erp-id/config';
import { InstanceKeysService } from '@erp-id/keys';
import { InstanceEntity } from '@erp-id/persistence';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import { instanceNameProblem, InstanceVersions } from '@erp-id/tenancy';
import { DataSource, QueryFailedError } from 'typeorm';
import { type InstanceView, toInstanceView } from './instance-view';

export class InstanceNameRejected extends Error {
  override readonly name = 'InstanceNameRejected';
}

export class InstanceConflict extends Error {
  override readonly name = 'InstanceConflict';
}

export interface CreateInstanceInput {
  name: string;
  displayName?: string;
}

/** Onboarding and removal of instances: the record, its keys, and everything it left in the state store. */
@Injectable()
export class InstancesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly keys: InstanceKeysService,
    private readonly versions: InstanceVersions,
    @Inject(STATE_STORE) private readonly state: StateStore,
    private readonly config: GatewayConfig,
  ) {}

  /** Where an instance is served by default (its `<name>.<BASE_DOMAIN>` host). */
  readonly publicOrigin = (name: string): string =>
    this.config.baseDomain === 'localhost'
      ? `http://${name}.localhost${this.config.port === 80 ? '' : `:${this.config.port}`}`
      : `https://${name}.${this.config.baseDomain}`;

  async create(input: CreateInstanceInput): Promise<InstanceView> {
    const problem = instanceNameProblem(input.name);
    if (problem === 'invalid') {
      throw new InstanceNameRejected(
        'name must be a DNS label: lower-case letters, digits and inner hyphens, 1-63 characters',
      );
    }
    if (problem === 'reserved') throw new InstanceNameRejected(`${input.name} is a reserved name`);
    const id = randomUUID();
    try {
      const row = await this.dataSource.transaction(async (manager) => {
        const repo = manager.getRepository(InstanceEntity);
        const saved = await repo.save(
          repo.create({
            id,
            name: input.name,
            displayName: input.displayName ?? null,
            status: 'active',
            version: 1,
            sites: null,
            policies: {},
            cookieKeys: this.keys.sealNewCookieKeys(id),
          }),
        );
        await this.keys.createActiveSigningKey(manager, id);
        return saved;
      });
      // Replicas may hold a negative cache entry for this name: tell them it exists now.
      await this.versions.announce(row.name);
      return toInstanceView(row, this.publicOrigin);
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
        throw new InstanceConflict(`instance ${input.name} already exists`);
      }
      throw err;
    }
  }

  async get(name: string): Promise<InstanceView | null> {
    const row = await this.findRow(name);
    return row ? toInstanceView(row, this.publicOrigin) : null;
  }

  findRow(name: string): Promise<InstanceEntity | null> {
    if (instanceNameProblem(name) === 'invalid') return Promise.resolve(null);
    return this.dataSource.getRepository(InstanceEntity).findOneBy({ name });
  }

  /** Removes every row (keys and clients cascade) and every state-store key of the instance. */
  async delete(name: string): Promise<boolean> {
    const row = await this.findRow(name);
    if (!row) return false;
    await this.dataSource.getRepository(InstanceEntity).delete({ id: row.id });
    await this.versions.announce(name);
    await this.state.purgeInstance(name);
    return true;
  }
}
