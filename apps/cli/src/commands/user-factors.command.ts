import { InstancesService } from '@erp-id/instances';
import { FactorsService } from '@erp-id/mfa';
import { SubCommand } from 'nest-commander';
import { InstanceScopedCommand } from '../instance-scoped-command';
import { failMissing, print, type OutputOptions } from '../output';

@SubCommand({
  name: 'reset-factors',
  arguments: '<instance> <user-id>',
  description:
    "remove a user's second factors and recovery codes and end its sessions (it enrolls again at the next sign-in)",
})
export class UsersResetFactorsCommand extends InstanceScopedCommand {
  constructor(
    private readonly factors: FactorsService,
    instances: InstancesService,
  ) {
    super(instances);
  }

  async run([name, userId]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(name!, async (instance) => {
      const reset = await this.factors.reset(instance, userId!, 'cli');
      if (reset === null) return failMissing(`user ${userId}`, name!);
      print({ userId, ...reset }, options, () =>
        reset.factorsRemoved
          ? `reset the second factors of ${userId} in ${name}`
          : `${userId} in ${name} had no second factor; its recovery codes and sessions were removed`,
      );
    });
  }
}
