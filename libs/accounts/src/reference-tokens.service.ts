import { Inject, Injectable } from '@nestjs/common';
import {
  ReferenceTokenEntity,
  ServiceAccountEntity,
  UserEntity,
  type ReferenceTokenApi,
  type ReferenceTokenKind,
  type UserKind,
} from '@erp-id/persistence';
import { DataSource, type FindOptionsWhere } from 'typeorm';
import { INSTANCE_API_SCOPES } from './instance-api-scopes';
import { newReferenceToken, referenceTokenHash, referenceTokenKind } from './reference-token-format';
import {
  REFERENCE_TOKEN_APIS,
  REFERENCE_TOKEN_DESCRIPTION_MAX_LENGTH,
  ReferenceTokenRefused,
  ReferenceTokenRuleViolation,
} from './reference-token-rules';
import { ReferenceTokenUsage } from './reference-token-usage';
import {
  type IssuedReferenceToken,
  type ReferenceTokenPage,
  toReferenceTokenView,
} from './reference-token-view';
import { serviceAccountClientId } from './service-account-rules';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface IssueReferenceTokenInput {
  kind: ReferenceTokenKind;
  /** A user id (personal) or a service account id (service). */
  subject: string;
  scopes: string[];
  /** Defaults to both instance APIs. */
  apis?: ReferenceTokenApi[];
  expiresAt?: Date;
  description?: string;
}

export interface ReferenceTokenQuery {
  limit: number;
  offset: number;
  subject?: string;
  kind?: ReferenceTokenKind;
}

/** What introspection needs of an active reference token. */
export interface ActiveReferenceToken {
  id: string;
  kind: ReferenceTokenKind;
  subject: string;
  /** The token's scopes its subject still has. */
  scopes: string[];
  apis: ReferenceTokenApi[];
  /** `internal` for a personal token, `service` for a service token. */
  subjectKind: UserKind | 'service';
  /** The service account's client; none for a personal token (it was issued to no client). */
  clientId?: string;
  issuedAt: Date;
  expiresAt: Date | null;
}

interface LookupRow {
  id: string;
  kind: ReferenceTokenKind;
  user_id: string | null;
  service_account_id: string | null;
  scopes: string[] | string;
  apis: ReferenceTokenApi[] | string;
  expires_at: Date | string | null;
  created_at: Date | string;
  user_kind: UserKind | null;
  user_status: string | null;
  account_status: string | null;
  account_scopes: string[] | string | null;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/**
 * Personal access tokens (internal users) and service access tokens (service accounts): opaque
 * reference tokens for the instance APIs, issued and revoked by the admin API and CLI, checked by
 * the APIs through introspection. Only their SHA-256 is stored; a deleted row is a revoked token,
 * and the lookup reads Postgres every time, so a revocation holds on every replica at once.
 */
@Injectable()
export class ReferenceTokensService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly usage: ReferenceTokenUsage,
  ) {}

  async issue(
    instanceId: string,
    input: IssueReferenceTokenInput,
    now = new Date(),
  ): Promise<IssuedReferenceToken> {
    const scopes = [...new Set(input.scopes)];
    const apis = [...new Set(input.apis ?? REFERENCE_TOKEN_APIS)];
    checkShape(input, scopes, apis, now);
    const description = input.description?.trim() || null;
    await this.checkSubject(instanceId, input.kind, input.subject, scopes);
    const token = newReferenceToken(input.kind);
    const repo = this.dataSource.getRepository(ReferenceTokenEntity);
    const saved = await repo.save(
      repo.create({
        instanceId,
        kind: input.kind,
        userId: input.kind === 'personal' ? input.subject : null,
        serviceAccountId: input.kind === 'service' ? input.subject : null,
        tokenHash: referenceTokenHash(token),
        scopes,
        apis,
        description,
        expiresAt: input.expiresAt ?? null,
        lastUsedAt: null,
      }),
    );
    return { ...toReferenceTokenView(saved), token };
  }

  /** A page of tokens, oldest first, optionally of one subject or kind. */
  async list(instanceId: string, query: ReferenceTokenQuery): Promise<ReferenceTokenPage> {
    const where: FindOptionsWhere<ReferenceTokenEntity> = { instanceId };
    if (query.kind) where.kind = query.kind;
    if (query.subject !== undefined) {
      if (!UUID.test(query.subject)) return { items: [], total: 0 };
      const bySubject = [
        { ...where, userId: query.subject },
        { ...where, serviceAccountId: query.subject },
      ];
      return this.page(bySubject, query);
    }
    return this.page(where, query);
  }

  async get(instanceId: string, id: string) {
    if (!UUID.test(id)) return null;
    const row = await this.dataSource.getRepository(ReferenceTokenEntity).findOneBy({ instanceId, id });
    return row ? toReferenceTokenView(row) : null;
  }

  /** Revokes (deletes) a token; false when the instance has no such token. */
  async revoke(instanceId: string, id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const result = await this.dataSource.getRepository(ReferenceTokenEntity).delete({ instanceId, id });
    return (result.affected ?? 0) > 0;
  }

  /**
   * The token, if it is one of this instance's, unexpired, and its subject may still use it: an
   * active internal user, or an active service account that still has some of the token's scopes.
   * Anything else is null, and introspection answers `{"active": false}`.
   */
  async findActive(
    instanceId: string,
    token: string,
    now = new Date(),
  ): Promise<ActiveReferenceToken | null> {
    const kind = referenceTokenKind(token);
    if (!kind) return null;
    const rows: LookupRow[] = await this.dataSource.query(
      `SELECT t.id, t.kind, t.user_id, t.service_account_id, t.scopes, t.apis, t.expires_at, t.created_at,
              u.kind AS user_kind, u.status AS user_status, a.status AS account_status, a.scopes AS account_scopes
         FROM reference_tokens t
         LEFT JOIN users u ON u.id = t.user_id
         LEFT JOIN service_accounts a ON a.id = t.service_account_id
        WHERE t.token_hash = $1 AND t.instance_id = $2`,
      [referenceTokenHash(token), instanceId],
    );
    const row = rows[0];
    // The prefix is part of the hashed token, so a row's kind always matches it; checked anyway.
    if (!row || row.kind !== kind) return null;
    const expiresAt = row.expires_at === null ? null : new Date(row.expires_at);
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) return null;
    let scopes = json(row.scopes);
    if (kind === 'personal') {
      if (row.user_status !== 'active' || row.user_kind !== 'internal') return null;
    } else {
      if (row.account_status !== 'active' || row.account_scopes === null) return null;
      const granted = new Set(json(row.account_scopes));
      scopes = scopes.filter((s) => granted.has(s));
      if (scopes.length === 0) return null;
    }
    this.usage.used(row.id, now.getTime());
    const subject = (kind === 'personal' ? row.user_id : row.service_account_id)!;
    return {
      id: row.id,
      kind,
      subject,
      scopes,
      apis: json(row.apis),
      subjectKind: kind === 'personal' ? 'internal' : 'service',
      ...(kind === 'service' ? { clientId: serviceAccountClientId(subject) } : {}),
      issuedAt: new Date(row.created_at),
      expiresAt,
    };
  }

  private async page(
    where: FindOptionsWhere<ReferenceTokenEntity> | FindOptionsWhere<ReferenceTokenEntity>[],
    query: ReferenceTokenQuery,
  ): Promise<ReferenceTokenPage> {
    const [rows, total] = await this.dataSource.getRepository(ReferenceTokenEntity).findAndCount({
      where,
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toReferenceTokenView), total };
  }

  private async checkSubject(
    instanceId: string,
    kind: ReferenceTokenKind,
    subject: string,
    scopes: readonly string[],
  ): Promise<void> {
    if (kind === 'personal') {
      const user = await this.dataSource.getRepository(UserEntity).findOneBy({ instanceId, id: subject });
      if (!user) throw new ReferenceTokenRefused('subject', 'no such user in this instance');
      if (user.kind !== 'internal') {
        throw new ReferenceTokenRefused('subject', 'only internal users may have personal access tokens');
      }
      if (user.status !== 'active') throw new ReferenceTokenRefused('subject', 'the user is disabled');
      return;
    }
    const account = await this.dataSource
      .getRepository(ServiceAccountEntity)
      .findOneBy({ instanceId, id: subject });
    if (!account) throw new ReferenceTokenRefused('subject', 'no such service account in this instance');
    if (account.status !== 'active')
      throw new ReferenceTokenRefused('subject', 'the service account is disabled');
    const missing = scopes.filter((s) => !account.scopes.includes(s));
    if (missing.length) {
      throw new ReferenceTokenRefused(
        'scopes',
        `the service account does not have the scope(s) ${missing.join(', ')}`,
      );
    }
  }
}

/** What the admin API's schema also checks, for callers (the CLI) that skip it. */
function checkShape(
  input: IssueReferenceTokenInput,
  scopes: readonly string[],
  apis: readonly string[],
  now: Date,
): void {
  if (!UUID.test(input.subject))
    throw new ReferenceTokenRuleViolation('subject', 'must be a user or service account id');
  if (scopes.length === 0)
    throw new ReferenceTokenRuleViolation('scopes', 'at least one API scope is required');
  const unknownScope = scopes.find((s) => !(INSTANCE_API_SCOPES as readonly string[]).includes(s));
  if (unknownScope !== undefined) {
    throw new ReferenceTokenRuleViolation(
      'scopes',
      `${unknownScope} is not an API scope (${INSTANCE_API_SCOPES.join(', ')})`,
    );
  }
  if (apis.length === 0) throw new ReferenceTokenRuleViolation('apis', 'at least one API is required');
  const unknownApi = apis.find((a) => !REFERENCE_TOKEN_APIS.includes(a as ReferenceTokenApi));
  if (unknownApi !== undefined) {
    throw new ReferenceTokenRuleViolation(
      'apis',
      `${unknownApi} is not an instance API (${REFERENCE_TOKEN_APIS.join(', ')})`,
    );
  }
  if (input.expiresAt !== undefined) {
    if (Number.isNaN(input.expiresAt.getTime()))
      throw new ReferenceTokenRuleViolation('expiresAt', 'not a valid date');
    if (input.expiresAt.getTime() <= now.getTime()) {
      throw new ReferenceTokenRuleViolation('expiresAt', 'must be in the future');
    }
  }
  if ((input.description?.length ?? 0) > REFERENCE_TOKEN_DESCRIPTION_MAX_LENGTH) {
    throw new ReferenceTokenRuleViolation(
      'description',
      `at most ${REFERENCE_TOKEN_DESCRIPTION_MAX_LENGTH} characters`,
    );
  }
}
