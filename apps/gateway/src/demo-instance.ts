import { Injectable, Logger } from '@nestjs/common';
import { ClientsService } from '@erp-id/accounts';
import { GatewayConfig } from '@erp-id/config';
import { InstancesService } from '@erp-id/instances';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const DEMO_INSTANCE = 'testdb';
export const DEMO_CLIENT = 'demo-service';

interface DemoCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * On a laptop, the first start creates instance `testdb` with a client-credentials client, so the
 * gateway can be tried at once. The demo secret is kept in the data folder for the start banner.
 */
@Injectable()
export class DemoInstance {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly config: GatewayConfig,
    private readonly instances: InstancesService,
    private readonly clients: ClientsService,
  ) {}

  async ensure(): Promise<DemoCredentials | null> {
    if (!this.config.demoInstance) return null;
    const file = resolve(this.config.dataDir, 'demo-credentials.json');
    let instance = await this.instances.findRow(DEMO_INSTANCE);
    if (!instance) {
      await this.instances.create({ name: DEMO_INSTANCE, displayName: 'Test DB (demo)' });
      instance = await this.instances.findRow(DEMO_INSTANCE);
      if (!instance) throw new Error('demo instance vanished after creation');
      const created = await this.clients.create(instance, {
        clientId: DEMO_CLIENT,
        clientName: 'Demo service',
        grantTypes: ['client_credentials'],
        scopes: ['read', 'update'],
        redirectUris: [],
        postLogoutRedirectUris: [],
        tokenEndpointAuthMethod: 'client_secret_basic',
      });
      const credentials = { clientId: DEMO_CLIENT, clientSecret: created.clientSecret ?? '' };
      writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
      this.logger.log(`created demo instance ${DEMO_INSTANCE} with client ${DEMO_CLIENT}`);
      return credentials;
    }
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials) : null;
  }
}
