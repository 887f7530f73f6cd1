import { InstancesService } from '@erp-id/instances';
import type { InstanceEntity } from '@erp-id/persistence';
import { JsonOption } from './cli-options';
import { failMissing } from './output';
import { failOnRefusal } from './refusals';

/**
 * Commands that act inside the instance their first argument names. An unknown instance and the services'
 * refusals end the command with a message for the user, never a stack trace.
 *
 * A group of commands adds its service in an abstract base decorated with @Injectable(): the decorator makes
 * TypeScript emit the constructor's parameter types, which the subcommands (without constructors of their
 * own) inherit for injection.
 */
export abstract class InstanceScopedCommand extends JsonOption {
  constructor(protected readonly instances: InstancesService) {
    super();
  }

  protected async withInstance(
    name: string,
    work: (instance: InstanceEntity) => Promise<void>,
  ): Promise<void> {
    const instance = await this.instances.findRow(name);
    if (!instance) return failMissing(`instance ${name}`);
    await failOnRefusal(() => work(instance));
  }
}
