import type { ReferenceTokenApi, ReferenceTokenEntity, ReferenceTokenKind } from '@erp-id/persistence';

/** A reference token as the admin API and CLI list it: never the token or its hash. */
export interface ReferenceTokenView {
  id: string;
  kind: ReferenceTokenKind;
  /** The user (personal) or service account (service) the token acts as. */
  subject: string;
  scopes: string[];
  apis: ReferenceTokenApi[];
  description: string | null;
  expiresAt: string | null;
  /** Accurate to about a minute (see ReferenceTokenUsage). */
  lastUsedAt: string | null;
  createdAt: string;
}

/** A token just issued: the only time the token itself is shown. */
export interface IssuedReferenceToken extends ReferenceTokenView {
  token: string;
}

export interface ReferenceTokenPage {
  items: ReferenceTokenView[];
  total: number;
}

export function toReferenceTokenView(row: ReferenceTokenEntity): ReferenceTokenView {
  return {
    id: row.id,
    kind: row.kind,
    subject: (row.kind === 'personal' ? row.userId : row.serviceAccountId) ?? '',
    scopes: row.scopes,
    apis: row.apis,
    description: row.description,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
