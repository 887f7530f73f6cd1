import { InstancesService } from '@erp-id/instances';
import type { InstanceEntity } from '@erp-id/persistence';
import { AdminError } from './admin-error';

/** The instance named in the path, or 404. */
export async function instanceOr404(instances: InstancesService, name: string): Promise<InstanceEntity> {
  const row = await instances.findRow(name);
  if (!row) throw AdminError.notFound(`instance ${name} does not exist`);
  return row;
}
