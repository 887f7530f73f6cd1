import { Inject, Injectable } from '@nestjs/common';
import { ClientEntity, ServiceAccountEntity, type ServiceAccountStatus } from '@erp-id/persistence';
import { instancePolicies } from '@erp-id/policies';
import { DataSource, type EntityManager, In } from 'typeorm';
import { ClientPolicyViolation } from './client-policy';
import { type ClientInstance, ClientsService } from './clients.service';
import { INSTANCE_API_SCOPES } from './instance-api-scopes';
import {
  checkServiceAccountDescription,
  checkServiceAccountName,
  checkServiceAccountScopes,
  isServiceAccountId,
  serviceAccountClientId,
} from './service-account-rules';
import {
  type ServiceAccountPage,
  type ServiceAccountView,
  type ServiceAccountWithSecret,
  toServiceAccountView,
} from './service-account-view';
import { isUniqueViolation } from './unique-violation';
import type { PageRequest } from './users.service';

export class ServiceAccountConflict extends Error {
  override readonly name = 'ServiceAccountConflict';
}

export interface CreateServiceAccountInput {
  name: string;
  description?: string;
  scopes: string[];
}

/** A change to a service account; `null` clears the description. */
export interface ServiceAccountPatch {
  description?: string | null;
  scopes?: string[];
  status?: ServiceAccountStatus;
}

/**
 * Service accounts: callers of the instance's APIs that authenticate with the client credentials
 * grant through a confidential client of their own (no redirect URIs, never a refresh token).
 * A disabled account's client is invisible to the issuer, so its token requests fail at once on
 * every replica (`invalid_client`) and its tokens introspect as inactive.
 */
@Injectable()
export class ServiceAccountsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
  ) {}

  async create(
    instance: ClientInstance,
    input: CreateServiceAccountInput,
  ): Promise<ServiceAccountWithSecret> {
    checkServiceAccountName(input.name);
    const scopes = [...new Set(input.scopes)];
    checkServiceAccountScopes(scopes, INSTANCE_API_SCOPES);
    const description = checkServiceAccountDescription(input.description ?? null);
    if (!instancePolicies(instance.policies).allowedGrantTypes.includes('client_credentials')) {
      throw new ClientPolicyViolation(
        'policies.allowedGrantTypes',
        'the instance policy does not allow the client_credentials grant that service accounts use',
      );
    }
    const { account, client, clientSecret } = await this.clients.changing(instance, async (manager) => {
      const repo = manager.getRepository(ServiceAccountEntity);
      let saved: ServiceAccountEntity;
      try {
        saved = await repo.save(
          repo.create({ instanceId: instance.id, name: input.name, description, scopes, status: 'active' }),
        );
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new ServiceAccountConflict(
            `a service account named ${input.name} already exists in ${instance.name}`,
          );
        }
        throw err;
      }
      const created = await this.clients.insertOwned(
        manager,
        instance,
        {
          clientId: serviceAccountClientId(saved.id),
          clientName: `service account ${input.name}`,
          grantTypes: ['client_credentials'],
          scopes,
          redirectUris: [],
          postLogoutRedirectUris: [],
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
        { serviceAccountId: saved.id },
      );
      return { account: saved, client: created.row, clientSecret: created.clientSecret };
    });
    // A confidential client always gets a secret.
    return { ...toServiceAccountView(account, client), clientSecret: clientSecret! };
  }

  /** A page of service accounts, oldest first (the id breaks ties, so pages never overlap). */
  async list(instanceId: string, page: PageRequest): Promise<ServiceAccountPage> {
    const [rows, total] = await this.dataSource.getRepository(ServiceAccountEntity).findAndCount({
      where: { instanceId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    if (!rows.length) return { items: [], total };
    const clients = await this.dataSource
      .getRepository(ClientEntity)
      .findBy({ instanceId, serviceAccountId: In(rows.map((r) => r.id)) });
    const byAccount = new Map(clients.map((c) => [c.serviceAccountId, c]));
    const now = new Date();
    const items = rows.flatMap((row) => {
      const client = byAccount.get(row.id);
      return client ? [toServiceAccountView(row, client, now)] : [];
    });
    return { items, total };
  }

  async get(instanceId: string, id: string): Promise<ServiceAccountView | null> {
    if (!isServiceAccountId(id)) return null;
    const found = await this.load(this.dataSource.manager, instanceId, id, false);
    return found ? toServiceAccountView(found.account, found.client) : null;
  }

  /** Applies a change; null when there is no such account. */
  async update(
    instance: ClientInstance,
    id: string,
    patch: ServiceAccountPatch,
  ): Promise<ServiceAccountView | null> {
    if (!isServiceAccountId(id)) return null;
    const scopes = patch.scopes === undefined ? undefined : [...new Set(patch.scopes)];
    if (scopes) checkServiceAccountScopes(scopes, INSTANCE_API_SCOPES);
    const description =
      patch.description === undefined ? undefined : checkServiceAccountDescription(patch.description);
    return this.clients.changing(instance, async (manager) => {
      const found = await this.load(manager, instance.id, id, true);
      if (!found) return null;
      const { account, client } = found;
      if (description !== undefined) account.description = description;
      if (patch.status !== undefined) account.status = patch.status;
      if (scopes) {
        account.scopes = scopes;
        client.scopes = scopes;
        await manager.getRepository(ClientEntity).save(client);
      }
      const saved = await manager.getRepository(ServiceAccountEntity).save(account);
      return toServiceAccountView(saved, client);
    });
  }

  /** Removes the account and its client (the foreign key cascades); false when there is no such account. */
  async delete(instance: ClientInstance, id: string): Promise<boolean> {
    if (!isServiceAccountId(id)) return false;
    const deleted = await this.clients.changing(instance, async (manager) => {
      const result = await manager
        .getRepository(ServiceAccountEntity)
        .delete({ instanceId: instance.id, id });
      return (result.affected ?? 0) > 0;
    });
    // Client-credentials tokens are not stored, but nothing issued to the client may outlive it.
    if (deleted) await this.clients.endClientState(instance, serviceAccountClientId(id));
    return deleted;
  }

  /** A new secret for the account's client, as client rotation does; null when there is no such account. */
  async rotateSecret(
    instance: ClientInstance,
    id: string,
    graceSeconds: number,
  ): Promise<ServiceAccountWithSecret | null> {
    if (!isServiceAccountId(id)) return null;
    const found = await this.load(this.dataSource.manager, instance.id, id, false);
    if (!found) return null;
    const rotated = await this.clients.rotateSecret(instance, found.client.clientId, graceSeconds, {
      serviceAccountId: id,
    });
    if (!rotated) return null;
    const view = toServiceAccountView(found.account, {
      clientId: rotated.client.clientId,
      previousSecretExpiresAt: rotated.client.previousSecretExpiresAt
        ? new Date(rotated.client.previousSecretExpiresAt)
        : null,
    });
    return { ...view, clientSecret: rotated.clientSecret };
  }

  private async load(
    manager: EntityManager,
    instanceId: string,
    id: string,
    lock: boolean,
  ): Promise<{ account: ServiceAccountEntity; client: ClientEntity } | null> {
    const account = await manager.getRepository(ServiceAccountEntity).findOne({
      where: { instanceId, id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!account) return null;
    const client = await manager.getRepository(ClientEntity).findOneBy({ instanceId, serviceAccountId: id });
    return client ? { account, client } : null;
  }
}
