import {
  ClientsService,
  type ClientPatch,
  type ClientView,
  GRANT_TYPES,
  type GrantType,
  MAX_SECRET_GRACE_SECONDS,
  RESPONSE_TYPES,
  type ResponseTypeName,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import type { InstanceEntity } from '@erp-id/persistence';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { booleanValue, collect, JsonOption, oneOf, wholeNumber } from '../cli-options';
import { fail, print, type OutputOptions } from '../output';
import { refusalMessage } from '../refusals';

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;

const list = (values: readonly string[]): string => (values.length ? values.join(', ') : '-');

export const describeClient = (c: ClientView): string =>
  [
    `client:          ${c.clientId}`,
    `name:            ${c.clientName ?? '-'}`,
    `auth method:     ${c.tokenEndpointAuthMethod}`,
    `grant types:     ${list(c.grantTypes)}`,
    `response types:  ${list(c.responseTypes)}`,
    `scopes:          ${list(c.scopes)}`,
    `redirect URIs:   ${list(c.redirectUris)}`,
    `sign-out URIs:   ${list(c.postLogoutRedirectUris)}`,
    `back-channel:    ${c.backchannelLogoutUri ?? '-'}`,
    `front-channel:   ${c.frontchannelLogoutUri ?? '-'}`,
    `consent:         ${c.requireConsent ? 'required' : 'skipped (first party)'}`,
    `introspection:   ${c.introspection ? 'allowed' : 'not allowed'}`,
    ...(c.previousSecretExpiresAt ? [`previous secret: works until ${c.previousSecretExpiresAt}`] : []),
    ...(c.serviceAccountId ? [`service account: ${c.serviceAccountId}`] : []),
  ].join('\n');

/** Client commands share the instance lookup and the handling of the service's refusals. */
abstract class ClientCommand extends JsonOption {
  constructor(
    protected readonly clients: ClientsService,
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
      const refusal = refusalMessage(err);
      if (refusal === null) throw err;
      fail(refusal);
    }
  }
}

interface ClientsCreateOptions extends OutputOptions {
  grantType?: GrantType[];
  responseType?: ResponseTypeName[];
  scope?: string[];
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  name?: string;
  requireConsent?: boolean;
  introspection?: boolean;
  public?: boolean;
}

@SubCommand({
  name: 'create',
  arguments: '<instance> <clientId>',
  description: 'register a client; prints its secret once',
})
export class ClientsCreateCommand extends ClientCommand {
  constructor(clients: ClientsService, instances: InstancesService) {
    super(clients, instances);
  }

  async run([instanceName, clientId]: string[], options: ClientsCreateOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const created = await this.clients.create(instance, {
        clientId: clientId!,
        clientName: options.name,
        grantTypes: options.grantType ?? ['client_credentials'],
        responseTypes: options.responseType,
        scopes: options.scope ?? [],
        redirectUris: options.redirectUri ?? [],
        postLogoutRedirectUris: options.postLogoutRedirectUri ?? [],
        requireConsent: options.requireConsent,
        introspection: options.introspection,
        tokenEndpointAuthMethod: options.public ? 'none' : 'client_secret_basic',
      });
      const out = { ...created.client, clientSecret: created.clientSecret };
      print(out, options, () =>
        [
          `created client ${out.clientId} in ${instanceName}`,
          out.clientSecret ? `secret (shown once): ${out.clientSecret}` : 'public client (no secret)',
        ].join('\n'),
      );
    });
  }

  @Option({ flags: '--grant-type <type>', description: `one of ${GRANT_TYPES.join(', ')} (repeatable)` })
  parseGrantType(value: string, previous?: string[]): string[] {
    return collect(oneOf('--grant-type', GRANT_TYPES, value), previous);
  }

  @Option({
    flags: '--response-type <type>',
    description: `one of ${RESPONSE_TYPES.join(', ')} (repeatable)`,
  })
  parseResponseType(value: string, previous?: string[]): string[] {
    return collect(oneOf('--response-type', RESPONSE_TYPES, value), previous);
  }

  @Option({ flags: '--scope <scope>', description: 'allowed scope (repeatable)' })
  parseScope(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({ flags: '--redirect-uri <uri>', description: 'redirect URI (repeatable)' })
  parseRedirectUri(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({
    flags: '--post-logout-redirect-uri <uri>',
    description: 'where sign-out may return to (repeatable)',
  })
  parsePostLogoutRedirectUri(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({ flags: '--name <text>', description: 'display name of the client' })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--require-consent', description: 'third-party client: show the consent page' })
  parseRequireConsent(): boolean {
    return true;
  }

  @Option({ flags: '--introspection', description: 'an API: may call the introspection endpoint' })
  parseIntrospection(): boolean {
    return true;
  }

  @Option({ flags: '--public', description: 'public client (no secret, PKCE required)' })
  parsePublic(): boolean {
    return true;
  }
}

@SubCommand({
  name: 'list',
  arguments: '<instance>',
  description: "list an instance's clients (never a secret)",
})
export class ClientsListCommand extends ClientCommand {
  constructor(clients: ClientsService, instances: InstancesService) {
    super(clients, instances);
  }

  async run([instanceName]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const items = await this.clients.list(instance.id);
      print({ items }, options, () =>
        items.length
          ? items.map((c) => `${c.clientId.padEnd(30)}  ${c.grantTypes.join(',')}`).join('\n')
          : 'no clients',
      );
    });
  }
}

@SubCommand({
  name: 'show',
  arguments: '<instance> <clientId>',
  description: 'show a client (never its secret)',
})
export class ClientsShowCommand extends ClientCommand {
  constructor(clients: ClientsService, instances: InstancesService) {
    super(clients, instances);
  }

  async run([instanceName, clientId]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const client = await this.clients.get(instance.id, clientId!);
      if (!client) return fail(`client ${clientId} does not exist in ${instanceName}`);
      print(client, options, () => describeClient(client));
    });
  }
}

interface ClientsUpdateOptions extends OutputOptions {
  name?: string;
  clearName?: boolean;
  grantType?: GrantType[];
  responseType?: ResponseTypeName[];
  scope?: string[];
  clearScopes?: boolean;
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  backchannelLogoutUri?: string;
  frontchannelLogoutUri?: string;
  clearLogoutUris?: boolean;
  requireConsent?: boolean;
  introspection?: boolean;
  authMethod?: (typeof AUTH_METHODS)[number];
}

@SubCommand({
  name: 'update',
  arguments: '<instance> <clientId>',
  description: 'change a client; a repeatable option replaces the whole list',
})
export class ClientsUpdateCommand extends ClientCommand {
  constructor(clients: ClientsService, instances: InstancesService) {
    super(clients, instances);
  }

  async run([instanceName, clientId]: string[], options: ClientsUpdateOptions): Promise<void> {
    const patch: ClientPatch = {
      ...(options.name !== undefined ? { clientName: options.name } : {}),
      ...(options.clearName ? { clientName: null } : {}),
      ...(options.grantType ? { grantTypes: options.grantType } : {}),
      ...(options.responseType ? { responseTypes: options.responseType } : {}),
      ...(options.scope ? { scopes: options.scope } : {}),
      ...(options.clearScopes ? { scopes: [] } : {}),
      ...(options.redirectUri ? { redirectUris: options.redirectUri } : {}),
      ...(options.postLogoutRedirectUri ? { postLogoutRedirectUris: options.postLogoutRedirectUri } : {}),
      ...(options.backchannelLogoutUri !== undefined
        ? { backchannelLogoutUri: options.backchannelLogoutUri }
        : {}),
      ...(options.frontchannelLogoutUri !== undefined
        ? { frontchannelLogoutUri: options.frontchannelLogoutUri }
        : {}),
      ...(options.clearLogoutUris ? { backchannelLogoutUri: null, frontchannelLogoutUri: null } : {}),
      ...(options.requireConsent !== undefined ? { requireConsent: options.requireConsent } : {}),
      ...(options.introspection !== undefined ? { introspection: options.introspection } : {}),
      ...(options.authMethod ? { tokenEndpointAuthMethod: options.authMethod } : {}),
    };
    if (Object.keys(patch).length === 0)
      return fail('nothing to change: give at least one option (see --help)');
    await this.withInstance(instanceName!, async (instance) => {
      const client = await this.clients.update(instance, clientId!, patch);
      if (!client) return fail(`client ${clientId} does not exist in ${instanceName}`);
      print(client, options, () => `updated\n${describeClient(client)}`);
    });
  }

  @Option({ flags: '--name <text>', description: 'display name' })
  parseName(value: string): string {
    if (!value.trim() || value.length > 200) throw new Error('--name must be 1 to 200 characters');
    return value.trim();
  }

  @Option({ flags: '--clear-name', description: 'remove the display name' })
  parseClearName(): boolean {
    return true;
  }

  @Option({ flags: '--grant-type <type>', description: `one of ${GRANT_TYPES.join(', ')} (repeatable)` })
  parseGrantType(value: string, previous?: string[]): string[] {
    return collect(oneOf('--grant-type', GRANT_TYPES, value), previous);
  }

  @Option({
    flags: '--response-type <type>',
    description: `one of ${RESPONSE_TYPES.join(', ')} (repeatable)`,
  })
  parseResponseType(value: string, previous?: string[]): string[] {
    return collect(oneOf('--response-type', RESPONSE_TYPES, value), previous);
  }

  @Option({ flags: '--scope <scope>', description: 'allowed scope (repeatable)' })
  parseScope(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({ flags: '--clear-scopes', description: 'allow no scopes at all' })
  parseClearScopes(): boolean {
    return true;
  }

  @Option({ flags: '--redirect-uri <uri>', description: 'redirect URI (repeatable)' })
  parseRedirectUri(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({
    flags: '--post-logout-redirect-uri <uri>',
    description: 'where sign-out may return to (repeatable)',
  })
  parsePostLogoutRedirectUri(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({ flags: '--backchannel-logout-uri <uri>', description: 'back-channel logout URI' })
  parseBackchannel(value: string): string {
    return value;
  }

  @Option({ flags: '--frontchannel-logout-uri <uri>', description: 'front-channel logout URI' })
  parseFrontchannel(value: string): string {
    return value;
  }

  @Option({ flags: '--clear-logout-uris', description: 'remove both logout URIs' })
  parseClearLogoutUris(): boolean {
    return true;
  }

  @Option({ flags: '--require-consent <bool>', description: 'true: show the consent page (third party)' })
  parseRequireConsent(value: string): boolean {
    return booleanValue('--require-consent', value);
  }

  @Option({ flags: '--introspection <bool>', description: 'true: may call the introspection endpoint' })
  parseIntrospection(value: string): boolean {
    return booleanValue('--introspection', value);
  }

  @Option({ flags: '--auth-method <method>', description: `one of ${AUTH_METHODS.join(', ')}` })
  parseAuthMethod(value: string): string {
    return oneOf('--auth-method', AUTH_METHODS, value);
  }
}

@SubCommand({
  name: 'delete',
  arguments: '<instance> <clientId>',
  description: 'delete a client; its tokens stop working',
})
export class ClientsDeleteCommand extends ClientCommand {
  constructor(clients: ClientsService, instances: InstancesService) {
    super(clients, instances);
  }

  async run([instanceName, clientId]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      if (!(await this.clients.delete(instance, clientId!))) {
        return fail(`client ${clientId} does not exist in ${instanceName}`);
      }
      print({ deleted: clientId }, options, () => `deleted client ${clientId} from ${instanceName}`);
    });
  }
}

@SubCommand({
  name: 'rotate-secret',
  arguments: '<instance> <clientId>',
  description: 'give a client a new secret (printed once)',
})
export class ClientsRotateSecretCommand extends ClientCommand {
  constructor(clients: ClientsService, instances: InstancesService) {
    super(clients, instances);
  }

  async run(
    [instanceName, clientId]: string[],
    options: OutputOptions & { gracePeriod?: number },
  ): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const rotated = await this.clients.rotateSecret(instance, clientId!, options.gracePeriod ?? 0);
      if (!rotated) return fail(`client ${clientId} does not exist in ${instanceName}`);
      const out = { ...rotated.client, clientSecret: rotated.clientSecret };
      print(out, options, () => describeRotation(out.clientSecret, out.previousSecretExpiresAt));
    });
  }

  @Option({
    flags: '--grace-period <seconds>',
    description: `how long the old secret keeps working (0 to ${MAX_SECRET_GRACE_SECONDS}; default 0)`,
  })
  parseGracePeriod(value: string): number {
    return wholeNumber('--grace-period', value, 0, MAX_SECRET_GRACE_SECONDS);
  }
}

export function describeRotation(secret: string, previousUntil: string | null): string {
  return [
    `new secret (shown once): ${secret}`,
    previousUntil
      ? `the previous secret works until ${previousUntil}`
      : 'the previous secret no longer works',
  ].join('\n');
}

@Command({
  name: 'clients',
  description: 'manage OAuth clients',
  subCommands: [
    ClientsCreateCommand,
    ClientsListCommand,
    ClientsShowCommand,
    ClientsUpdateCommand,
    ClientsDeleteCommand,
    ClientsRotateSecretCommand,
  ],
})
export class ClientsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
