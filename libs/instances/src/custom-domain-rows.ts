import { CustomDomainEntity, InstanceEntity } from '@erp-id/persistence';
import { type EntityManager, In, Not, QueryFailedError } from 'typeorm';
import { CustomDomainConflict } from './instance-errors';

const UNIQUE_VIOLATION = '23505';

/** Every custom domain of each instance, sorted. */
export async function domainsByInstance(
  manager: EntityManager,
  instanceIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byInstance = new Map<string, string[]>(instanceIds.map((id) => [id, []]));
  if (!instanceIds.length) return byInstance;
  const rows = await manager.getRepository(CustomDomainEntity).find({
    where: { instanceId: In([...instanceIds]) },
    order: { domain: 'ASC' },
  });
  for (const row of rows) byInstance.get(row.instanceId)?.push(row.domain);
  return byInstance;
}

/**
 * Makes `domains` the instance's custom domains, inside the caller's transaction. A domain of
 * another instance is a conflict; a concurrent claim that wins the race ends as the same conflict.
 */
export async function replaceDomains(
  manager: EntityManager,
  instanceId: string,
  domains: readonly string[],
): Promise<void> {
  const repo = manager.getRepository(CustomDomainEntity);
  if (domains.length) {
    const taken = await repo.findOne({
      where: { domain: In([...domains]), instanceId: Not(instanceId) },
      order: { domain: 'ASC' },
    });
    if (taken) {
      const owner = await manager.getRepository(InstanceEntity).findOneBy({ id: taken.instanceId });
      throw new CustomDomainConflict(taken.domain, owner?.name ?? null);
    }
  }
  const current = await repo.find({ where: { instanceId } });
  const gone = current.map((r) => r.domain).filter((d) => !domains.includes(d));
  if (gone.length) await repo.delete({ instanceId, domain: In(gone) });
  const kept = new Set(current.map((r) => r.domain));
  const added = domains.filter((d) => !kept.has(d));
  if (!added.length) return;
  try {
    await repo.insert(added.map((domain) => ({ domain, instanceId })));
  } catch (err) {
    if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new CustomDomainConflict(added.length === 1 ? added[0]! : added.join(', '), null);
    }
    throw err;
  }
}
