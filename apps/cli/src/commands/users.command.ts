import { Command, CommandRunner } from 'nest-commander';
import { UsersResetFactorsCommand } from './user-factors.command';

/** `users` and its subcommands; each subcommand lives in its own file. */
@Command({
  name: 'users',
  description: "manage an instance's users",
  subCommands: [UsersResetFactorsCommand],
})
export class UsersCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
