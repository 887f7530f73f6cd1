import { Module } from '@nestjs/common';
import { ADMIN_TOKEN_COMMANDS } from './commands/admin-tokens.command';

/** The commands that need neither configuration nor a database: they run without connecting. */
@Module({ providers: ADMIN_TOKEN_COMMANDS })
export class AdminTokensCliModule {}
