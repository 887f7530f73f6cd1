import { ClientConflict, ReferenceTokenRefused, UserRuleViolation } from '@erp-id/accounts';
import type { InstancesService } from '@erp-id/instances';
import type { InstanceEntity } from '@erp-id/persistence';
import { InstanceScopedCommand } from './instance-scoped-command';

/** Opens withInstance to the test. */
class ProbeCommand extends InstanceScopedCommand {
  async run(): Promise<void> {}

  within(name: string, work: (instance: InstanceEntity) => Promise<void>): Promise<void> {
    return this.withInstance(name, work);
  }
}

describe('InstanceScopedCommand', () => {
  const acme = { id: 'i-1', name: 'acme' } as InstanceEntity;
  const instances = {
    findRow: async (name: string) => (name === 'acme' ? acme : null),
  } as unknown as InstancesService;
  const command = new ProbeCommand(instances);
  let stderr: jest.SpyInstance;

  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    stderr.mockRestore();
    // fail() marks the process as failed; the test runner's own exit status must not inherit that.
    process.exitCode = undefined;
  });

  const written = (): string => stderr.mock.calls.map(([chunk]) => String(chunk)).join('');

  it('runs the work with the instance its name finds', async () => {
    const work = jest.fn(async () => undefined);
    await command.within('acme', work);
    expect(work).toHaveBeenCalledWith(acme);
    expect(process.exitCode).toBeUndefined();
  });

  it('reports an unknown instance without running the work', async () => {
    const work = jest.fn(async () => undefined);
    await command.within('nosuch', work);
    expect(work).not.toHaveBeenCalled();
    expect(written()).toBe('error: instance nosuch does not exist\n');
    expect(process.exitCode).toBe(1);
  });

  it.each([
    [
      'a rule violation, with its field',
      new UserRuleViolation('email', 'is not an address'),
      'email: is not an address',
    ],
    [
      'a conflict',
      new ClientConflict('client c1 already exists in acme'),
      'client c1 already exists in acme',
    ],
    [
      'a reference token refusal',
      new ReferenceTokenRefused('subject', 'is disabled'),
      'subject: is disabled',
    ],
  ])('reports %s as a message', async (_what, refusal, message) => {
    await command.within('acme', async () => {
      throw refusal;
    });
    expect(written()).toBe(`error: ${message}\n`);
    expect(process.exitCode).toBe(1);
  });

  it('lets anything else propagate: a failure of the tool is not a refusal', async () => {
    const bug = new TypeError('x is undefined');
    await expect(
      command.within('acme', async () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(written()).toBe('');
  });
});
