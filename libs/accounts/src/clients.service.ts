import { Inject, Injectable } from '@nestjs/common';
import { ClientEntity, type InstanceEntity } from '@erp-id/persistence';
import { instancePolicies } from '@erp-id/policies';
import { STATE_STORE, type StateStore } from '@erp-id/state';
import { InstanceVersions } from '@erp-id/tenancy';
import { DataSource, type EntityManager } from 'typeorm';
import { type ClientPatch, patchedRegistration } from './client-patch';
import { checkClientPolicies } from './client-policy';
import { checkClientRules, type ClientRegistration, effectiveResponseTypes } from './client-rules';
import { MAX_SECRET_GRACE_SECONDS, newClientSecret } from './client-secret';
import { type ClientView, type CreatedClient, type RotatedClient, toClientView } from './client-view';
import { hashSecret } from './secret-hasher';
import { isUniqueViolation } from './unique-violation';

export class ClientConflict extends Error {
  override readonly name = 'ClientConflict';
}

/** The client is the credential of a service account and changes only through that account. */
export class ClientOwnedByServiceAccount extends Error {
  override readonly name = 'ClientOwnedByServiceAccount';
  constructor(
    readonly clientId: string,
    readonly serviceAccountId: string,
  ) {
    super(
      `client ${clientId} is the credential of service account ${serviceAccountId}; ` +
        `manage it through /service-accounts/${serviceAccountId}`,
    );
  }
}

/** A public client has no secret, so there is none to rotate. */
export class ClientHasNoSecret extends Error {
  override readonly name = 'ClientHasNoSecret';
  constructor(clientId: string) {
    super(
      `client ${clientId} is a public client (tokenEndpointAuthMethod "none") and has no secret to rotate`,
    );
  }
}

/** The instance a client belongs to: its id keys the rows, its name the change channel, its policies the rules. */
export type ClientInstance = Pick<InstanceEntity, 'id' | 'name' | 'policies'>;

/** How a service account's own service reaches the client it owns. */
export interface ClientOwner {
  serviceAccountId: string;
}

/**
 * OAuth clients of an instance. Every change bumps the instance's version inside its transaction and
 * is announced after commit, so each replica rebuilds the issuer (and its client cache) at once.
 */
@Injectable()
export class ClientsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly versions: InstanceVersions,
    @Inject(STATE_STORE) private readonly state: StateStore,
  ) {}

  async create(instance: ClientInstance, reg: ClientRegistration): Promise<CreatedClient> {
    const prepared = await this.prepare(instance, reg);
    const saved = await this.changing(instance, (manager) => this.insert(manager, instance, prepared, null));
    return { client: toClientView(saved), clientSecret: prepared.secret };
  }

  /**
   * Inserts a checked registration inside the caller's transaction (a service account creates its
   * client with itself); the caller bumps and announces the version.
   */
  async insertOwned(
    manager: EntityManager,
    instance: ClientInstance,
    reg: ClientRegistration,
    owner: ClientOwner,
  ): Promise<{ row: ClientEntity; clientSecret: string | null }> {
    const prepared = await this.prepare(instance, reg);
    const row = await this.insert(manager, instance, prepared, owner.serviceAccountId);
    return { row, clientSecret: prepared.secret };
  }

  /** The row the issuer turns into client metadata: scoped by instance, and never a disabled service account's. */
  findForIssuer(instanceId: string, clientId: string): Promise<ClientEntity | null> {
    return this.dataSource
      .getRepository(ClientEntity)
      .createQueryBuilder('client')
      .leftJoin('client.serviceAccount', 'account')
      .where('client.instanceId = :instanceId AND client.clientId = :clientId', { instanceId, clientId })
      .andWhere("(account.id IS NULL OR account.status = 'active')")
      .getOne();
  }

  async list(instanceId: string): Promise<ClientView[]> {
    const rows = await this.dataSource
      .getRepository(ClientEntity)
      .find({ where: { instanceId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const now = new Date();
    return rows.map((row) => toClientView(row, now));
  }

  async get(instanceId: string, clientId: string): Promise<ClientView | null> {
    const row = await this.dataSource.getRepository(ClientEntity).findOneBy({ instanceId, clientId });
    return row ? toClientView(row) : null;
  }

  /** Applies a change checked by the same rules as a new client; null when there is no such client. */
  async update(instance: ClientInstance, clientId: string, patch: ClientPatch): Promise<ClientView | null> {
    const saved = await this.changing(instance, async (manager) => {
      const row = await this.lockRow(manager, instance.id, clientId);
      if (!row) return null;
      if (row.serviceAccountId) throw new ClientOwnedByServiceAccount(row.clientId, row.serviceAccountId);
      const reg = patchedRegistration(row, patch);
      const responseTypes = this.check(instance, reg);
      row.clientName = reg.clientName ?? null;
      row.tokenEndpointAuthMethod = reg.tokenEndpointAuthMethod;
      row.grantTypes = [...new Set(reg.grantTypes)];
      row.responseTypes = responseTypes;
      row.scopes = [...new Set(reg.scopes)];
      row.redirectUris = reg.redirectUris;
      row.postLogoutRedirectUris = reg.postLogoutRedirectUris;
      row.backchannelLogoutUri = reg.backchannelLogoutUri ?? null;
      row.frontchannelLogoutUri = reg.frontchannelLogoutUri ?? null;
      row.requireConsent = reg.requireConsent ?? false;
      row.introspection = reg.introspection ?? false;
      return manager.getRepository(ClientEntity).save(row);
    });
    return saved ? toClientView(saved) : null;
  }

  /**
   * Removes the client. Its tokens, grants and sessions stop working on every replica: the issuers
   * are rebuilt without it, and its grants (with their refresh tokens and codes) are removed from
   * the state store, so a client later registered with the same id starts with nothing.
   */
  async delete(instance: ClientInstance, clientId: string): Promise<boolean> {
    const deleted = await this.changing(instance, async (manager) => {
      const row = await this.lockRow(manager, instance.id, clientId);
      if (!row) return false;
      if (row.serviceAccountId) throw new ClientOwnedByServiceAccount(row.clientId, row.serviceAccountId);
      await manager.getRepository(ClientEntity).delete({ id: row.id });
      return true;
    });
    if (deleted) await this.endClientState(instance, clientId);
    return deleted;
  }

  /**
   * Removes what the state store holds for a deleted client. After the commit and announcement, so
   * no issuer can hand the client a new grant afterwards.
   */
  async endClientState(instance: ClientInstance, clientId: string): Promise<void> {
    await this.state.revokeClient(instance.name, clientId);
  }

  /**
   * A new secret, shown once. With a grace period the replaced secret keeps working until it ends
   * (so the app can be redeployed without downtime); without one it stops at once.
   */
  async rotateSecret(
    instance: ClientInstance,
    clientId: string,
    graceSeconds: number,
    owner?: ClientOwner,
  ): Promise<RotatedClient | null> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_SECRET_GRACE_SECONDS) {
      throw new RangeError(`grace period must be 0 to ${MAX_SECRET_GRACE_SECONDS} seconds`);
    }
    const secret = newClientSecret();
    const secretHash = await hashSecret(secret);
    const saved = await this.changing(instance, async (manager) => {
      const row = await this.lockRow(manager, instance.id, clientId);
      if (!row) return null;
      if (row.serviceAccountId && row.serviceAccountId !== owner?.serviceAccountId) {
        throw new ClientOwnedByServiceAccount(row.clientId, row.serviceAccountId);
      }
      if (!row.secretHash) throw new ClientHasNoSecret(row.clientId);
      const now = Date.now();
      // A second rotation within a grace period ends the first one's: only the secret just replaced is kept.
      row.previousSecretHash = graceSeconds > 0 ? row.secretHash : null;
      row.previousSecretExpiresAt = graceSeconds > 0 ? new Date(now + graceSeconds * 1000) : null;
      row.secretHash = secretHash;
      return manager.getRepository(ClientEntity).save(row);
    });
    return saved ? { client: toClientView(saved), clientSecret: secret } : null;
  }

  /** Runs a change in a transaction that bumps the instance's version, and announces it after commit. */
  async changing<T>(instance: ClientInstance, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(async (manager) => {
      const out = await work(manager);
      await this.versions.bump(manager, instance.id);
      return out;
    });
    await this.versions.announce(instance.name);
    return result;
  }

  private lockRow(
    manager: EntityManager,
    instanceId: string,
    clientId: string,
  ): Promise<ClientEntity | null> {
    return manager
      .getRepository(ClientEntity)
      .findOne({ where: { instanceId, clientId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Registration rules first (400), then the instance policy (422); returns the effective response types. */
  private check(instance: ClientInstance, reg: ClientRegistration): string[] {
    checkClientRules(reg);
    const responseTypes = effectiveResponseTypes(reg);
    checkClientPolicies(reg, responseTypes, instancePolicies(instance.policies));
    return responseTypes;
  }

  private async prepare(instance: ClientInstance, reg: ClientRegistration): Promise<PreparedClient> {
    const responseTypes = this.check(instance, reg);
    const confidential = reg.tokenEndpointAuthMethod !== 'none';
    const secret = confidential ? (reg.clientSecret ?? newClientSecret()) : null;
    return { reg, responseTypes, secret, secretHash: secret ? await hashSecret(secret) : null };
  }

  private async insert(
    manager: EntityManager,
    instance: ClientInstance,
    { reg, responseTypes, secretHash }: PreparedClient,
    serviceAccountId: string | null,
  ): Promise<ClientEntity> {
    const repo = manager.getRepository(ClientEntity);
    try {
      // A duplicate id aborts the whole transaction, which is what the caller wants: nothing is kept.
      return await repo.save(
        repo.create({
          instanceId: instance.id,
          clientId: reg.clientId,
          clientName: reg.clientName ?? null,
          secretHash,
          previousSecretHash: null,
          previousSecretExpiresAt: null,
          serviceAccountId,
          tokenEndpointAuthMethod: reg.tokenEndpointAuthMethod,
          grantTypes: [...new Set(reg.grantTypes)],
          responseTypes,
          scopes: [...new Set(reg.scopes)],
          redirectUris: reg.redirectUris,
          postLogoutRedirectUris: reg.postLogoutRedirectUris,
          backchannelLogoutUri: reg.backchannelLogoutUri ?? null,
          frontchannelLogoutUri: reg.frontchannelLogoutUri ?? null,
          requireConsent: reg.requireConsent ?? false,
          // A service account's client acts for the account; it never checks other tokens.
          introspection: serviceAccountId === null && (reg.introspection ?? false),
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ClientConflict(`client ${reg.clientId} already exists in ${instance.name}`);
      throw err;
    }
  }
}

interface PreparedClient {
  reg: ClientRegistration;
  responseTypes: string[];
  secret: string | null;
  secretHash: string | null;
}
