import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ClientEntity } from '@erp-id/persistence';
import { InstanceVersions } from '@erp-id/tenancy';
import { DataSource, QueryFailedError } from 'typeorm';
import { checkClientRules, type ClientRegistration, effectiveResponseTypes } from './client-rules';
import { hashSecret } from './secret-hasher';

export class ClientConflict extends Error {
  override readonly name = 'ClientConflict';
}

/** A client as the admin API shows it: never its secret or the secret's hash. */
export interface ClientView {
  id: string;
  clientId: string;
  clientName: string | null;
  tokenEndpointAuthMethod: ClientEntity['tokenEndpointAuthMethod'];
  grantTypes: string[];
  responseTypes: string[];
  scopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  frontchannelLogoutUri: string | null;
  requireConsent: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CreatedClient {
  client: ClientView;
  /** Shown once, in the creation response; only its hash is stored. */
  clientSecret: string | null;
}

export function toClientView(row: ClientEntity): ClientView {
  return {
    id: row.id,
    clientId: row.clientId,
    clientName: row.clientName,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    grantTypes: row.grantTypes,
    responseTypes: row.responseTypes,
    scopes: row.scopes,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    backchannelLogoutUri: row.backchannelLogoutUri,
    frontchannelLogoutUri: row.frontchannelLogoutUri,
    requireConsent: row.requireConsent,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (
    err instanceof QueryFailedError && (err.driverError as { code?: string } | undefined)?.code === '23505'
  );
}

/** OAuth clients of an instance. */
@Injectable()
export class ClientsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly versions: InstanceVersions,
  ) {}

  async create(instance: { id: string; name: string }, reg: ClientRegistration): Promise<CreatedClient> {
    checkClientRules(reg);
    const confidential = reg.tokenEndpointAuthMethod !== 'none';
    const secret = confidential ? (reg.clientSecret ?? randomBytes(32).toString('base64url')) : null;
    const secretHash = secret ? await hashSecret(secret) : null;
    const responseTypes = effectiveResponseTypes(reg);
    try {
      const saved = await this.dataSource.transaction(async (manager) => {
        const repo = manager.getRepository(ClientEntity);
        const row = await repo.save(
          repo.create({
            instanceId: instance.id,
            clientId: reg.clientId,
            clientName: reg.clientName ?? null,
            secretHash,
            tokenEndpointAuthMethod: reg.tokenEndpointAuthMethod,
            grantTypes: [...new Set(reg.grantTypes)],
            responseTypes,
            scopes: [...new Set(reg.scopes)],
            redirectUris: reg.redirectUris,
            postLogoutRedirectUris: reg.postLogoutRedirectUris,
            backchannelLogoutUri: reg.backchannelLogoutUri ?? null,
            frontchannelLogoutUri: reg.frontchannelLogoutUri ?? null,
            requireConsent: reg.requireConsent ?? false,
          }),
        );
        await this.versions.bump(manager, instance.id);
        return row;
      });
      await this.versions.announce(instance.name);
      return { client: toClientView(saved), clientSecret: secret };
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ClientConflict(`client ${reg.clientId} already exists in ${instance.name}`);
      throw err;
    }
  }

  /** The row the issuer turns into client metadata; scoped by instance, as every query must be. */
  findForIssuer(instanceId: string, clientId: string): Promise<ClientEntity | null> {
    return this.dataSource.getRepository(ClientEntity).findOneBy({ instanceId, clientId });
  }

  async list(instanceId: string): Promise<ClientView[]> {
    const rows = await this.dataSource
      .getRepository(ClientEntity)
      .find({ where: { instanceId }, order: { createdAt: 'ASC' } });
    return rows.map(toClientView);
  }
}
