import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { AdminTokensCliModule } from './admin-tokens-cli.module';
import { CliModule } from './cli.module';
import { StderrLogger } from './stderr-logger';

async function main(): Promise<void> {
  // Making a token needs no database: those commands run in a module that connects to nothing.
  const root = process.argv[2] === 'admin-tokens' ? AdminTokensCliModule : CliModule;
  await CommandFactory.run(root, {
    logger: new StderrLogger({ logLevels: ['error', 'warn'] }),
    errorHandler: (err: Error) => {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(1);
    },
  });
}

main().catch((err: Error) => {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
});
