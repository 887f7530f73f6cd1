import {
  ClientsService,
  type ClientPatch,
  type ClientView,
  type GrantType,
  type ResponseTypeName,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';
import { booleanValue, collect, oneOf, refuseEmptyPatch } from '../cli-options';
import { CommandGroup, type CommandList } from '../command-group';
import { InstanceScopedCommand } from '../instance-scoped-command';
import { failMissing, linesOrNone, print, type OutputOptions } from '../output';
import {
  describeRotation,
  GRACE_PERIOD_OPTION,
  parseGracePeriod,
  type RotateSecretOptions,
} from '../secret-rotation';
import {
  type ClientListOptions,
  collectGrantType,
  collectResponseType,
  GRANT_TYPE_OPTION,
  POST_LOGOUT_REDIRECT_URI_OPTION,
  REDIRECT_URI_OPTION,
  RESPONSE_TYPE_OPTION,
  SCOPE_OPTION,
} from './client-options';

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

/** Client commands: the clients service, inside an instance. */
@Injectable()
abstract class ClientCommand extends InstanceScopedCommand {
  constructor(
    protected readonly clients: ClientsService,
    instances: InstancesService,
  ) {
    super(instances);
  }
}

interface ClientsCreateOptions extends OutputOptions, ClientListOptions {
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

  @Option(GRANT_TYPE_OPTION)
  parseGrantType(value: string, previous?: GrantType[]): GrantType[] {
    return collectGrantType(value, previous);
  }

  @Option(RESPONSE_TYPE_OPTION)
  parseResponseType(value: string, previous?: ResponseTypeName[]): ResponseTypeName[] {
    return collectResponseType(value, previous);
  }

  @Option(SCOPE_OPTION)
  parseScope(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option(REDIRECT_URI_OPTION)
  parseRedirectUri(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option(POST_LOGOUT_REDIRECT_URI_OPTION)
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
  async run([instanceName]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const items = await this.clients.list(instance.id);
      print({ items }, options, () =>
        linesOrNone(items, (c) => `${c.clientId.padEnd(30)}  ${c.grantTypes.join(',')}`, 'no clients'),
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
  async run([instanceName, clientId]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const client = await this.clients.get(instance.id, clientId!);
      if (!client) return failMissing(`client ${clientId}`, instanceName!);
      print(client, options, () => describeClient(client));
    });
  }
}

interface ClientsUpdateOptions extends OutputOptions, ClientListOptions {
  name?: string;
  clearName?: boolean;
  clearScopes?: boolean;
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
    if (refuseEmptyPatch(patch)) return;
    await this.withInstance(instanceName!, async (instance) => {
      const client = await this.clients.update(instance, clientId!, patch);
      if (!client) return failMissing(`client ${clientId}`, instanceName!);
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

  @Option(GRANT_TYPE_OPTION)
  parseGrantType(value: string, previous?: GrantType[]): GrantType[] {
    return collectGrantType(value, previous);
  }

  @Option(RESPONSE_TYPE_OPTION)
  parseResponseType(value: string, previous?: ResponseTypeName[]): ResponseTypeName[] {
    return collectResponseType(value, previous);
  }

  @Option(SCOPE_OPTION)
  parseScope(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({ flags: '--clear-scopes', description: 'allow no scopes at all' })
  parseClearScopes(): boolean {
    return true;
  }

  @Option(REDIRECT_URI_OPTION)
  parseRedirectUri(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option(POST_LOGOUT_REDIRECT_URI_OPTION)
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
  async run([instanceName, clientId]: string[], options: OutputOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      if (!(await this.clients.delete(instance, clientId!)))
        return failMissing(`client ${clientId}`, instanceName!);
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
  async run([instanceName, clientId]: string[], options: RotateSecretOptions): Promise<void> {
    await this.withInstance(instanceName!, async (instance) => {
      const rotated = await this.clients.rotateSecret(instance, clientId!, options.gracePeriod ?? 0);
      if (!rotated) return failMissing(`client ${clientId}`, instanceName!);
      const out = { ...rotated.client, clientSecret: rotated.clientSecret };
      print(out, options, () => describeRotation(out.clientSecret, out.previousSecretExpiresAt));
    });
  }

  @Option(GRACE_PERIOD_OPTION)
  parseGracePeriod(value: string): number {
    return parseGracePeriod(value);
  }
}

const CLIENT_SUBCOMMANDS: CommandList = [
  ClientsCreateCommand,
  ClientsListCommand,
  ClientsShowCommand,
  ClientsUpdateCommand,
  ClientsDeleteCommand,
  ClientsRotateSecretCommand,
];

@Command({ name: 'clients', description: 'manage OAuth clients', subCommands: CLIENT_SUBCOMMANDS })
export class ClientsCommand extends CommandGroup {}

export const CLIENT_COMMANDS: CommandList = [ClientsCommand, ...CLIENT_SUBCOMMANDS];
