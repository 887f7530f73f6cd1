import { ADMIN_TOKEN_NAME, adminTokenHashEntry, generateAdminToken } from '@erp-id/config';
import { Command, Option, SubCommand } from 'nest-commander';
import { JsonOption } from '../cli-options';
import { CommandGroup, type CommandList } from '../command-group';
import { fail, print, type OutputOptions } from '../output';

interface GenerateOptions extends OutputOptions {
  name?: string;
}

@SubCommand({
  name: 'generate',
  description:
    'make a new admin API token: prints the token once and its ADMIN_API_TOKEN_HASHES entry (the gateway stores only the hash)',
})
export class AdminTokensGenerateCommand extends JsonOption {
  async run(_args: string[], options: GenerateOptions): Promise<void> {
    const name = options.name;
    if (!name || !ADMIN_TOKEN_NAME.test(name)) {
      return fail(
        '--name is required: 1-63 lower-case letters, digits, - or _ (recorded as the actor in audit logs)',
      );
    }
    const token = generateAdminToken();
    const entry = adminTokenHashEntry(name, token);
    print({ name, token, hashEntry: entry }, options, () =>
      [
        `token (shown once, give it to the caller): ${token}`,
        `add to ADMIN_API_TOKEN_HASHES (comma-separated with the others): ${entry}`,
      ].join('\n'),
    );
  }

  @Option({ flags: '--name <name>', description: 'the name audit logs show for what this token does' })
  parseName(value: string): string {
    // Checked in run(): an error thrown here is printed, but the process still exits 0.
    return value;
  }
}

const ADMIN_TOKEN_SUBCOMMANDS: CommandList = [AdminTokensGenerateCommand];

@Command({
  name: 'admin-tokens',
  description: 'admin API tokens (needs no database)',
  subCommands: ADMIN_TOKEN_SUBCOMMANDS,
})
export class AdminTokensCommand extends CommandGroup {}

export const ADMIN_TOKEN_COMMANDS: CommandList = [AdminTokensCommand, ...ADMIN_TOKEN_SUBCOMMANDS];
