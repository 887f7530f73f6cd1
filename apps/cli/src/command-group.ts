import type { Type } from '@nestjs/common';
import { CommandRunner } from 'nest-commander';

/** A command that only groups subcommands: run on its own, it shows its help. */
export abstract class CommandGroup extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}

/**
 * A group and its subcommands: every one must be a provider of the module that runs the CLI. Help lists
 * the subcommands in the order they are provided.
 */
export type CommandList = Type<CommandRunner>[];
