import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GatewayConfig } from '@erp-id/config';
import { InstanceKeysService } from '@erp-id/keys';
import { InstanceEntity } from '@erp-id/persistence';
import { type InstancePolicies, instancePolicies, validatePolicyPatch } from '@erp-id/policies';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import { instanceNameProblem, InstanceVersions } from '@erp-id/tenancy';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { domainsByInstance, replaceDomains } from './custom-domain-rows';
import { checkedApiIdentifiers } from './api-identifiers';
import { checkedDomains } from './domain-input';
import { InstanceConflict, InstanceNameRejected, InstancePolicyRejected } from './instance-errors';
import type { CreateInstanceInput, InstanceListQuery, InstancePatch } from './instance-input';
import { type InstanceView, toInstanceView } from './instance-view';

export interface InstancePage {
  items: InstanceView[];
  total: number;
}

/** The stored form of a policy patch, or the problems that refuse it. */
function storedPolicies(current: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const result = validatePolicyPatch(current, patch);
  if (!result.ok) throw new InstancePolicyRejected(result.problems);
  return result.stored;
}

const isUniqueViolation = (err: unknown): boolean =>
  err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505';

/**
 * Onboarding, configuration and removal of instances. Every change bumps the instance's version
 * inside its transaction and is announced after commit, so every replica drops what it cached.
 */
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
    // Everything is checked before the transaction: a refused request leaves nothing behind.
    const domains = checkedDomains(input.customDomains ?? [], this.config.baseDomain);
    const policies = storedPolicies({}, input.policies ?? {});
    const id = randomUUID();
    // Made before the transaction, which then holds its locks only for the inserts. The first key
    // uses the instance's own algorithm (later keys follow the policy at each rotation).
    const signingKey = await this.keys.generateSealed(id, instancePolicies(policies).signingAlgorithm);
    await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(InstanceEntity);
      try {
        await repo.save(
          repo.create({
            id,
            name: input.name,
            displayName: input.displayName ?? null,
            status: 'active',
            version: 1,
            sites: input.sites ?? null,
            apis: input.apis ? checkedApiIdentifiers(input.apis) : null,
            policies,
            cookieKeys: this.keys.sealNewCookieKeys(id),
          }),
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw new InstanceConflict(`instance ${input.name} already exists`);
        throw err;
      }
      await this.keys.storeActiveSigningKey(manager, id, signingKey);
      await replaceDomains(manager, id, domains);
    });
    // Replicas may hold a negative cache entry for this name or its domains: tell them it exists now.
    await this.versions.announce(input.name);
    return this.viewOrFail(input.name);
  }

  async get(name: string): Promise<InstanceView | null> {
    const row = await this.findRow(name);
    return row ? this.view(this.dataSource.manager, row) : null;
  }

  findRow(name: string): Promise<InstanceEntity | null> {
    if (instanceNameProblem(name) === 'invalid') return Promise.resolve(null);
    return this.dataSource.getRepository(InstanceEntity).findOneBy({ name });
  }

  /** One page of instances by name, optionally of one status, with the total that match. */
  async list(query: InstanceListQuery): Promise<InstancePage> {
    const [rows, total] = await this.dataSource.getRepository(InstanceEntity).findAndCount({
      where: query.status ? { status: query.status } : {},
      order: { name: 'ASC' },
      skip: query.offset,
      take: query.limit,
    });
    const domains = await domainsByInstance(
      this.dataSource.manager,
      rows.map((r) => r.id),
    );
    return {
      items: rows.map((row) => toInstanceView(row, domains.get(row.id) ?? [], this.publicOrigin)),
      total,
    };
  }

  /** The policies the instance runs with, defaults filled in; null when it does not exist. */
  async policies(name: string): Promise<InstancePolicies | null> {
    const row = await this.findRow(name);
    return row ? instancePolicies(row.policies) : null;
  }

  /** Applies a change; null when the instance does not exist. */
  async update(name: string, patch: InstancePatch): Promise<InstanceView | null> {
    if (instanceNameProblem(name) === 'invalid') return null;
    const domains =
      patch.customDomains === undefined
        ? undefined
        : checkedDomains(patch.customDomains, this.config.baseDomain);
    const found = await this.dataSource.transaction(async (manager) => {
      // Locked, so two concurrent policy patches merge one after the other instead of losing one.
      const repo = manager.getRepository(InstanceEntity);
      const row = await repo.findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!row) return false;
      const changes = this.recordChanges(row, patch);
      // Assigned, not merged: a merge would fold the old policies and sites into the new ones.
      if (Object.keys(changes).length) await repo.save(Object.assign(row, changes));
      if (domains) await replaceDomains(manager, row.id, domains);
      await this.versions.bump(manager, row.id);
      return true;
    });
    if (!found) return null;
    await this.versions.announce(name);
    return this.viewOrFail(name);
  }

  /** Removes every row (keys, clients and domains cascade) and every state-store key of the instance. */
  async delete(name: string): Promise<boolean> {
    const row = await this.findRow(name);
    if (!row) return false;
    await this.dataSource.getRepository(InstanceEntity).delete({ id: row.id });
    await this.versions.announce(name);
    await this.state.purgeInstance(name);
    return true;
  }

  private recordChanges(
    row: InstanceEntity,
    patch: InstancePatch,
  ): Partial<Pick<InstanceEntity, 'displayName' | 'sites' | 'status' | 'policies' | 'apis'>> {
    return {
      ...(patch.apis !== undefined ? { apis: patch.apis && checkedApiIdentifiers(patch.apis) } : {}),
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.sites !== undefined ? { sites: patch.sites } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.policies !== undefined ? { policies: storedPolicies(row.policies, patch.policies) } : {}),
    };
  }

  private async view(manager: EntityManager, row: InstanceEntity): Promise<InstanceView> {
    const domains = await domainsByInstance(manager, [row.id]);
    return toInstanceView(row, domains.get(row.id) ?? [], this.publicOrigin);
  }

  /** The instance just written; only a concurrent delete can make it vanish. */
  private async viewOrFail(name: string): Promise<InstanceView> {
    const view = await this.get(name);
    if (!view) throw new Error(`instance ${name} was removed while it was being changed`);
    return view;
  }
}
