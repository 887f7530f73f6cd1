import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';
import { StderrLogger } from './stderr-logger';

async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
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
