import {
  INSTANCE_API_SCOPES,
  REFERENCE_TOKEN_APIS,
  REFERENCE_TOKEN_KINDS,
  ReferenceTokenRefused,
  ReferenceTokenRuleViolation,
  ReferenceTokensService,
  type ReferenceTokenView,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import type { InstanceEntity, ReferenceTokenApi, ReferenceTokenKind } from '@erp-id/persistence';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { collect, JsonOption, oneOf } from '../cli-options';
import { fail, print, type OutputOptions } from '../output';

/** The list is read in pages of this size. */
const LIST_PAGE = 200;

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

abstract class ReferenceTokenCommand extends JsonOption {
  constructor(
    protected readonly tokens: ReferenceTokensService,
    protected readonly instances: InstancesService,
  ) {
    super();
  }

  protected async withInstance(
    name: string,
    work: (instance: InstanceEntity) => Promise<void>,
  ): Promise<void> {
    const instance = await this.instances.findRow(name);
    if (!instance) return fail(`instance ${name} does not exist`);
    try {
      await work(instance);
    } catch (err) {
      if (err instanceof ReferenceTokenRuleViolation || err instanceof ReferenceTokenRefused) {
        return fail(`${err.field}: ${err.message}`);
      }
      throw err;
    }
  }
}

interface IssueOptions extends OutputOptions {
  scope?: string[];
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
  constructor(tokens: ReferenceTokensService, instances: InstancesService) {
    super(tokens, instances);
  }

  async run([instanceName, kind, subject]: string[], options: IssueOptions): Promise<void> {
    const tokenKind = oneOf('kind', REFERENCE_TOKEN_KINDS, kind!) as ReferenceTokenKind;
    if (!options.scope?.length) return fail(`give at least one --scope (${INSTANCE_API_SCOPES.join(', ')})`);
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

  @Option({
    flags: '--scope <scope>',
    description: `API scope: ${INSTANCE_API_SCOPES.join(', ')} (repeatable)`,
  })
  parseScope(value: string, previous?: string[]): string[] {
    return collect(oneOf('--scope', INSTANCE_API_SCOPES, value), previous);
  }

  @Option({
    flags: '--api <api>',
    description: `API the token is for: ${REFERENCE_TOKEN_APIS.join(', ')} (repeatable; default both)`,
  })
  parseApi(value: string, previous?: ReferenceTokenApi[]): ReferenceTokenApi[] {
    return [...(previous ?? []), oneOf('--api', REFERENCE_TOKEN_APIS, value)];
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
  constructor(tokens: ReferenceTokensService, instances: InstancesService) {
    super(tokens, instances);
  }

  async run([instanceName]: string[], options: ListOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const items: ReferenceTokenView[] = [];
      for (let offset = 0; ; offset += LIST_PAGE) {
        const page = await this.tokens.list(instance.id, {
          limit: LIST_PAGE,
          offset,
          subject: options.subject,
          kind: options.kind,
        });
        items.push(...page.items);
        if (offset + LIST_PAGE >= page.total) break;
      }
      print({ items }, options, () =>
        items.length
          ? items
              .map(
                (t) =>
                  `${t.id}  ${t.kind.padEnd(8)}  ${t.subject}  (${t.scopes.join(', ')})  expires ${t.expiresAt ?? 'never'}  last used ${t.lastUsedAt ?? 'never'}`,
              )
              .join('\n')
          : 'no reference tokens',
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
  constructor(tokens: ReferenceTokensService, instances: InstancesService) {
    super(tokens, instances);
  }

  async run([instanceName, id]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      if (!(await this.tokens.revoke(instance.id, id!))) {
        return fail(`reference token ${id} does not exist in ${instanceName}`);
      }
      print({ revoked: id }, options, () => `revoked reference token ${id} in ${instanceName}`);
    });
  }
}

@Command({
  name: 'tokens',
  description: 'manage reference tokens (personal and service access tokens for the instance APIs)',
  subCommands: [TokensIssueCommand, TokensListCommand, TokensRevokeCommand],
})
export class TokensCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
