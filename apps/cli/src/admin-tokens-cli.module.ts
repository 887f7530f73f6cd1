import { Module } from '@nestjs/common';
import { AdminTokensCommand, AdminTokensGenerateCommand } from './commands/admin-tokens.command';

/** The commands that need neither configuration nor a database: they run without connecting. */
@Module({ providers: [AdminTokensCommand, AdminTokensGenerateCommand] })
export class AdminTokensCliModule {}
