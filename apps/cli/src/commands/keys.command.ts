import { InstancesService } from '@erp-id/instances';
import {
  isSigningAlgorithm,
  KeyReencryptionService,
  KeyRotationService,
  SIGNING_ALGORITHMS,
  type ReencryptionReport,
  type SigningKeyView,
} from '@erp-id/keys';
import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { JsonOption } from '../cli-options';
import { CommandGroup, type CommandList } from '../command-group';
import { InstanceScopedCommand } from '../instance-scoped-command';
import { fail, print, type OutputOptions } from '../output';
import { failOnRefusal } from '../refusals';

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

/** Signing key commands: the key rotation service, inside an instance. */
@Injectable()
abstract class SigningKeyCommand extends InstanceScopedCommand {
  constructor(
    protected readonly rotation: KeyRotationService,
    instances: InstancesService,
  ) {
    super(instances);
  }
}

@SubCommand({
  name: 'list',
  arguments: '<instance>',
  description: "list an instance's signing keys (never key material)",
})
export class KeysListCommand extends SigningKeyCommand {
  async run([name]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(name!, async (instance) => {
      const items = await this.rotation.list(instance.id);
      print({ items }, options, () => items.map(describeKey).join('\n'));
    });
  }
}

@SubCommand({
  name: 'rotate',
  arguments: '<instance>',
  description: 'make a new signing key active; the previous one stays published until its tokens expire',
})
export class KeysRotateCommand extends SigningKeyCommand {
  async run([name]: string[], options: OutputOptions & { algorithm?: string }): Promise<void> {
    const algorithm = options.algorithm;
    if (algorithm !== undefined && !isSigningAlgorithm(algorithm)) {
      return fail(`unknown algorithm ${algorithm}: one of ${SIGNING_ALGORITHMS.join(', ')}`);
    }
    await this.withInstance(name!, async (instance) => {
      const key = await this.rotation.rotate(instance, algorithm);
      print(key, options, () => `rotated ${name}\n${describeKey(key)}`);
    });
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
    await failOnRefusal(async () => {
      const report = await this.reencryption.reencrypt({ instance: options.instance });
      print(report, options, () => describeReencryption(report));
      // Values no configured key opens stay as they were: the previous key must not be removed yet.
      if (report.failed) {
        fail(
          `${report.failed} value(s) could not be re-sealed; keep the previous key-encryption key configured`,
        );
      }
    });
  }

  @Option({ flags: '--instance <name>', description: 'only this instance (default: every instance)' })
  parseInstance(value: string): string {
    return value;
  }
}

const KEY_SUBCOMMANDS: CommandList = [KeysListCommand, KeysRotateCommand, KeysReencryptCommand];

@Command({
  name: 'keys',
  description: 'manage signing keys and the sealing of key material',
  subCommands: KEY_SUBCOMMANDS,
})
export class KeysCommand extends CommandGroup {}

export const KEY_COMMANDS: CommandList = [KeysCommand, ...KEY_SUBCOMMANDS];
