import {
  ClientConflict,
  ClientRuleViolation,
  ClientsService,
  GRANT_TYPES,
  type GrantType,
} from '@erp-id/accounts';
import { InstancesService } from '@erp-id/instances';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { fail, print, type OutputOptions } from '../output';

interface ClientsCreateOptions extends OutputOptions {
  grantType?: GrantType[];
  scope?: string[];
  redirectUri?: string[];
  public?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

@SubCommand({
  name: 'create',
  arguments: '<instance> <clientId>',
  description: 'register a client; prints its secret once',
})
export class ClientsCreateCommand extends CommandRunner {
  constructor(
    private readonly clients: ClientsService,
    private readonly instances: InstancesService,
  ) {
    super();
  }

  async run([instanceName, clientId]: string[], options: ClientsCreateOptions): Promise<void> {
    const instance = await this.instances.findRow(instanceName!);
    if (!instance) return fail(`instance ${instanceName} does not exist`);
    try {
      const created = await this.clients.create(instance, {
        clientId: clientId!,
        grantTypes: options.grantType ?? ['client_credentials'],
        scopes: options.scope ?? [],
        redirectUris: options.redirectUri ?? [],
        postLogoutRedirectUris: [],
        tokenEndpointAuthMethod: options.public ? 'none' : 'client_secret_basic',
      });
      const out = { ...created.client, clientSecret: created.clientSecret };
      print(out, options, () =>
        [
          `created client ${out.clientId} in ${instanceName}`,
          out.clientSecret ? `secret (shown once): ${out.clientSecret}` : 'public client (no secret)',
        ].join('\n'),
      );
    } catch (err) {
      if (err instanceof ClientRuleViolation || err instanceof ClientConflict) return fail(err.message);
      throw err;
    }
  }

  @Option({ flags: '--grant-type <type>', description: `one of ${GRANT_TYPES.join(', ')} (repeatable)` })
  parseGrantType(value: string, previous?: string[]): string[] {
    // Commander reports a thrown option error as a usage error and exits 1.
    if (!(GRANT_TYPES as readonly string[]).includes(value)) throw new Error(`unknown grant type ${value}`);
    return collect(value, previous);
  }

  @Option({ flags: '--scope <scope>', description: 'allowed scope (repeatable)' })
  parseScope(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({ flags: '--redirect-uri <uri>', description: 'redirect URI (repeatable)' })
  parseRedirectUri(value: string, previous?: string[]): string[] {
    return collect(value, previous);
  }

  @Option({ flags: '--public', description: 'public client (no secret, PKCE required)' })
  parsePublic(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}

@Command({ name: 'clients', description: 'manage OAuth clients', subCommands: [ClientsCreateCommand] })
export class ClientsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
