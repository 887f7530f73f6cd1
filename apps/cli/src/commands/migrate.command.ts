import { MigrationRunner } from '@erp-id/persistence';
import { Command } from 'nest-commander';
import { JsonOption } from '../cli-options';
import { print, type OutputOptions } from '../output';

@Command({ name: 'migrate', description: 'apply pending database migrations' })
export class MigrateCommand extends JsonOption {
  constructor(private readonly migrations: MigrationRunner) {
    super();
  }

  async run(_args: string[], options: OutputOptions): Promise<void> {
    const applied = await this.migrations.run();
    print({ applied }, options, () =>
      applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date',
    );
  }
}
