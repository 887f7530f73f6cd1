import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { AdminTokensCliModule } from './admin-tokens-cli.module';
import { exitLikeCommander, exitOnFailure } from './cli-errors';
import { CliModule } from './cli.module';
import { StderrLogger } from './stderr-logger';

async function main(): Promise<void> {
  // Making a token needs no database: those commands run in a module that connects to nothing.
  const root = process.argv[2] === 'admin-tokens' ? AdminTokensCliModule : CliModule;
  await CommandFactory.run(root, {
    logger: new StderrLogger({ logLevels: ['error', 'warn'] }),
    errorHandler: exitLikeCommander,
    // Errors thrown by option parsers and commands (nest-commander's default ends with status 0).
    serviceErrorHandler: exitOnFailure,
  });
}

main().catch(exitOnFailure);
