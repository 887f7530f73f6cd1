import { Injectable } from '@nestjs/common';
import { InstanceEntity } from '@erp-id/persistence';
import type { EntityManager } from 'typeorm';
import { ChangeChannel } from './change-channel';

/**
 * Every change to what an instance is (its record, keys or clients) bumps its version inside the
 * changing transaction and is announced after commit, so every replica rebuilds from fresh data.
 */
@Injectable()
export class InstanceVersions {
  constructor(private readonly changes: ChangeChannel) {}

  async bump(manager: EntityManager, instanceId: string): Promise<void> {
    await manager.increment(InstanceEntity, { id: instanceId }, 'version', 1);
  }

  announce(instanceName: string): Promise<void> {
    return this.changes.publish(instanceName);
  }
}
