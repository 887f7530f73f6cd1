import type { AdapterPayload } from 'oidc-provider';
import { ACCOUNT_INDEXED_MODELS, CLIENT_INDEXED_MODELS, parseRecordKey } from './keyspace';

/** What ending an account needs of a model adapter; both stores' adapters provide it. */
export interface RevocableModelAdapter {
  find(id: string): Promise<AdapterPayload | undefined>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export interface AccountRevocation {
  /** Session and Grant records removed. */
  removed: number;
  /** Index members whose record is gone or no longer the account's; the caller drops them from the index. */
  stale: string[];
}

/**
 * Ends the records an account index lists: each Grant with every token and code issued under it
 * (the Grant record's id is the grant id), and each Session. A member counts only while its record
 * still carries the account: an index entry can outlive its record, or a record re-saved without
 * the account (a session after sign-out keeps its id but loses the account).
 * Matched records are removed through `destroy`, which also takes them out of every index.
 */
export function revokeAccountRecords(
  members: readonly string[],
  accountId: string,
  adapterFor: (model: string) => RevocableModelAdapter,
): Promise<AccountRevocation> {
  return revokeIndexedRecords(
    members,
    { field: 'accountId', value: accountId, models: ACCOUNT_INDEXED_MODELS },
    adapterFor,
  );
}

/**
 * The same for a client's index: each Grant issued to the client, with every token and code under
 * it. Run when a client is deleted, so that a client re-created with the same id never finds the
 * old client's refresh tokens working again.
 */
export function revokeClientRecords(
  members: readonly string[],
  clientId: string,
  adapterFor: (model: string) => RevocableModelAdapter,
): Promise<AccountRevocation> {
  return revokeIndexedRecords(
    members,
    { field: 'clientId', value: clientId, models: CLIENT_INDEXED_MODELS },
    adapterFor,
  );
}

interface IndexOwner {
  field: 'accountId' | 'clientId';
  value: string;
  models: ReadonlySet<string>;
}

async function revokeIndexedRecords(
  members: readonly string[],
  owner: IndexOwner,
  adapterFor: (model: string) => RevocableModelAdapter,
): Promise<AccountRevocation> {
  const outcomes = await Promise.all(
    members.map(async (member): Promise<boolean> => {
      const record = parseRecordKey(member);
      if (record === undefined || !owner.models.has(record.model)) return false;
      const adapter = adapterFor(record.model);
      const payload = await adapter.find(record.id);
      if (payload?.[owner.field] !== owner.value) return false;
      if (record.model === 'Grant') await adapter.revokeByGrantId(record.id);
      await adapter.destroy(record.id);
      return true;
    }),
  );
  return {
    removed: outcomes.filter(Boolean).length,
    stale: members.filter((_member, i) => !outcomes[i]),
  };
}
