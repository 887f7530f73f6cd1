import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { exitLikeCommander, exitOnFailure } from './cli-errors';
import { CliModule } from './cli.module';
import { StderrLogger } from './stderr-logger';

async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: new StderrLogger({ logLevels: ['error', 'warn'] }),
    errorHandler: exitLikeCommander,
    // Errors thrown by option parsers and commands (nest-commander's default ends with status 0).
    serviceErrorHandler: exitOnFailure,
  });
}

main().catch(exitOnFailure);
