import { InstancesService } from '@erp-id/instances';
import {
  isSigningAlgorithm,
  KeyReencryptionService,
  KeyRotationService,
  SIGNING_ALGORITHMS,
  UnknownInstance,
  type ReencryptionReport,
  type SigningKeyView,
} from '@erp-id/keys';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { fail, print, type OutputOptions } from '../output';

const describeKey = (k: SigningKeyView): string =>
  [
    k.state.padEnd(8),
    k.alg.padEnd(6),
    k.kid,
    `created ${k.createdAt}`,
    k.activatedAt ? `activated ${k.activatedAt}` : '',
    k.retiredAt ? `retired ${k.retiredAt}` : '',
  ]
    .filter(Boolean)
    .join('  ');

abstract class JsonOption extends CommandRunner {
  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}

@SubCommand({
  name: 'list',
  arguments: '<instance>',
  description: "list an instance's signing keys (never key material)",
})
export class KeysListCommand extends JsonOption {
  constructor(
    private readonly rotation: KeyRotationService,
    private readonly instances: InstancesService,
  ) {
    super();
  }

  async run([name]: string[], options: OutputOptions): Promise<void> {
    const instance = await this.instances.findRow(name!);
    if (!instance) return fail(`instance ${name} does not exist`);
    const items = await this.rotation.list(instance.id);
    print({ items }, options, () => items.map(describeKey).join('\n'));
  }
}

@SubCommand({
  name: 'rotate',
  arguments: '<instance>',
  description: 'make a new signing key active; the previous one stays published until its tokens expire',
})
export class KeysRotateCommand extends JsonOption {
  constructor(
    private readonly rotation: KeyRotationService,
    private readonly instances: InstancesService,
  ) {
    super();
  }

  async run([name]: string[], options: OutputOptions & { algorithm?: string }): Promise<void> {
    const algorithm = options.algorithm;
    if (algorithm !== undefined && !isSigningAlgorithm(algorithm)) {
      return fail(`unknown algorithm ${algorithm}: one of ${SIGNING_ALGORITHMS.join(', ')}`);
    }
    const instance = await this.instances.findRow(name!);
    if (!instance) return fail(`instance ${name} does not exist`);
    try {
      const key = await this.rotation.rotate(instance, algorithm);
      print(key, options, () => `rotated ${name}\n${describeKey(key)}`);
    } catch (err) {
      if (err instanceof UnknownInstance) return fail(err.message);
      throw err;
    }
  }

  @Option({
    flags: '--algorithm <alg>',
    description: `one of ${SIGNING_ALGORITHMS.join(', ')} (default: the instance policy's)`,
  })
  parseAlgorithm(value: string): string {
    // Checked in run(): an error thrown here is printed, but the process still exits 0.
    return value;
  }
}

const describeReencryption = (r: ReencryptionReport): string =>
  [
    `key-encryption key ${r.keyId}: ${r.instances} instance(s)`,
    `re-sealed:       ${r.resealed}`,
    `already current: ${r.alreadyCurrent}`,
    `failed:          ${r.failed}`,
    ...r.failures.map((f) => `  ${f.instance}  ${f.kind}${f.kid ? ` ${f.kid}` : ''}: ${f.reason}`),
  ].join('\n');

@SubCommand({
  name: 'reencrypt',
  description:
    'seal every private signing key and cookie-key set under the current KEY_ENCRYPTION_KEY ' +
    '(after a key-encryption key rotation; safe while gateways run, idempotent)',
})
export class KeysReencryptCommand extends JsonOption {
  constructor(private readonly reencryption: KeyReencryptionService) {
    super();
  }

  async run(_: string[], options: OutputOptions & { instance?: string }): Promise<void> {
    let report: ReencryptionReport;
    try {
      report = await this.reencryption.reencrypt({ instance: options.instance });
    } catch (err) {
      if (err instanceof UnknownInstance) return fail(err.message);
      throw err;
    }
    print(report, options, () => describeReencryption(report));
    // Values no configured key opens stay as they were: the previous key must not be removed yet.
    if (report.failed) {
      fail(
        `${report.failed} value(s) could not be re-sealed; keep the previous key-encryption key configured`,
      );
    }
  }

  @Option({ flags: '--instance <name>', description: 'only this instance (default: every instance)' })
  parseInstance(value: string): string {
    return value;
  }
}

@Command({
  name: 'keys',
  description: 'manage signing keys and the sealing of key material',
  subCommands: [KeysListCommand, KeysRotateCommand, KeysReencryptCommand],
})
export class KeysCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
