import { InstancesService } from '@erp-id/instances';
import { FactorsService } from '@erp-id/mfa';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { fail, print, type OutputOptions } from '../output';

@SubCommand({
  name: 'reset-factors',
  arguments: '<instance> <user-id>',
  description:
    "remove a user's second factors and recovery codes and end its sessions (it enrolls again at the next sign-in)",
})
export class UsersResetFactorsCommand extends CommandRunner {
  constructor(
    private readonly factors: FactorsService,
    private readonly instances: InstancesService,
  ) {
    super();
  }

  async run([name, userId]: string[], options: OutputOptions): Promise<void> {
    const instance = await this.instances.findRow(name!);
    if (!instance) return fail(`instance ${name} does not exist`);
    const reset = await this.factors.reset(instance, userId!, 'cli');
    if (reset === null) return fail(`user ${userId} does not exist in ${name}`);
    print({ userId, ...reset }, options, () =>
      reset.factorsRemoved
        ? `reset the second factors of ${userId} in ${name}`
        : `${userId} in ${name} had no second factor; its recovery codes and sessions were removed`,
    );
  }

  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}
