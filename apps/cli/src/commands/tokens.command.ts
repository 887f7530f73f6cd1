import {
  type InstanceApiScope,
  REFERENCE_TOKEN_APIS,
  REFERENCE_TOKEN_KINDS,
  ReferenceTokensService,
  type ReferenceTokenView,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import type { ReferenceTokenApi, ReferenceTokenKind } from '@erp-id/persistence';
import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { API_SCOPE_OPTION, API_SCOPE_REQUIRED, collectApiScope } from '../api-scope-option';
import { collect, oneOf } from '../cli-options';
import { CommandGroup, type CommandList } from '../command-group';
import { InstanceScopedCommand } from '../instance-scoped-command';
import { fail, failMissing, linesOrNone, print, type OutputOptions } from '../output';
import { readAllPages } from '../read-all-pages';

const describeToken = (t: ReferenceTokenView): string =>
  [
    `id:          ${t.id}`,
    `kind:        ${t.kind}`,
    `subject:     ${t.subject}`,
    `scopes:      ${t.scopes.join(', ')}`,
    `apis:        ${t.apis.join(', ')}`,
    `description: ${t.description ?? '-'}`,
    `expires:     ${t.expiresAt ?? 'never'}`,
    `last used:   ${t.lastUsedAt ?? 'never'}`,
  ].join('\n');

/** Reference token commands: the reference tokens service, inside an instance. */
@Injectable()
abstract class ReferenceTokenCommand extends InstanceScopedCommand {
  constructor(
    protected readonly tokens: ReferenceTokensService,
    instances: InstancesService,
  ) {
    super(instances);
  }
}

interface IssueOptions extends OutputOptions {
  scope?: InstanceApiScope[];
  api?: ReferenceTokenApi[];
  expiresAt?: Date;
  description?: string;
}

@SubCommand({
  name: 'issue',
  arguments: '<instance> <personal|service> <subject>',
  description: 'issue a personal (user) or service (service account) access token; prints it once',
})
export class TokensIssueCommand extends ReferenceTokenCommand {
  async run([instanceName, kind, subject]: string[], options: IssueOptions): Promise<void> {
    const tokenKind = oneOf('kind', REFERENCE_TOKEN_KINDS, kind!) as ReferenceTokenKind;
    if (!options.scope?.length) return fail(API_SCOPE_REQUIRED);
    await this.withInstance(instanceName!, async (instance) => {
      const issued = await this.tokens.issue(instance.id, {
        kind: tokenKind,
        subject: subject!,
        scopes: options.scope!,
        apis: options.api,
        expiresAt: options.expiresAt,
        description: options.description,
      });
      print(issued, options, () =>
        [
          `issued ${issued.kind} access token in ${instanceName}`,
          describeToken(issued),
          `token (shown once): ${issued.token}`,
        ].join('\n'),
      );
    });
  }

  @Option(API_SCOPE_OPTION)
  parseScope(value: string, previous?: InstanceApiScope[]): InstanceApiScope[] {
    return collectApiScope(value, previous);
  }

  @Option({
    flags: '--api <api>',
    description: `API the token is for: ${REFERENCE_TOKEN_APIS.join(', ')} (repeatable; default both)`,
  })
  parseApi(value: string, previous?: ReferenceTokenApi[]): ReferenceTokenApi[] {
    return collect(oneOf('--api', REFERENCE_TOKEN_APIS, value), previous);
  }

  @Option({ flags: '--expires-at <iso-date>', description: 'when the token stops working (default: never)' })
  parseExpiresAt(value: string): Date {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new Error(`--expires-at must be an ISO date (got "${value}")`);
    return date;
  }

  @Option({ flags: '--description <text>', description: 'what the token is for' })
  parseDescription(value: string): string {
    return value;
  }
}

interface ListOptions extends OutputOptions {
  subject?: string;
  kind?: ReferenceTokenKind;
}

@SubCommand({
  name: 'list',
  arguments: '<instance>',
  description: "list an instance's reference tokens (never the tokens)",
})
export class TokensListCommand extends ReferenceTokenCommand {
  async run([instanceName]: string[], options: ListOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const items = await readAllPages((window) =>
        this.tokens.list(instance.id, { ...window, subject: options.subject, kind: options.kind }),
      );
      print({ items }, options, () =>
        linesOrNone(
          items,
          (t) =>
            `${t.id}  ${t.kind.padEnd(8)}  ${t.subject}  (${t.scopes.join(', ')})  expires ${t.expiresAt ?? 'never'}  last used ${t.lastUsedAt ?? 'never'}`,
          'no reference tokens',
        ),
      );
    });
  }

  @Option({ flags: '--subject <id>', description: 'only the tokens of this user or service account' })
  parseSubject(value: string): string {
    return value;
  }

  @Option({ flags: '--kind <kind>', description: `only ${REFERENCE_TOKEN_KINDS.join(' or ')} tokens` })
  parseKind(value: string): ReferenceTokenKind {
    return oneOf('--kind', REFERENCE_TOKEN_KINDS, value);
  }
}

@SubCommand({ name: 'revoke', arguments: '<instance> <id>', description: 'revoke a reference token at once' })
export class TokensRevokeCommand extends ReferenceTokenCommand {
  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      if (!(await this.tokens.revoke(instance.id, id!))) {
        return failMissing(`reference token ${id}`, instanceName!);
      }
      print({ revoked: id }, options, () => `revoked reference token ${id} in ${instanceName}`);
    });
  }
}

const REFERENCE_TOKEN_SUBCOMMANDS: CommandList = [TokensIssueCommand, TokensListCommand, TokensRevokeCommand];

@Command({
  name: 'tokens',
  description: 'manage reference tokens (personal and service access tokens for the instance APIs)',
  subCommands: REFERENCE_TOKEN_SUBCOMMANDS,
})
export class TokensCommand extends CommandGroup {}

export const REFERENCE_TOKEN_COMMANDS: CommandList = [TokensCommand, ...REFERENCE_TOKEN_SUBCOMMANDS];
