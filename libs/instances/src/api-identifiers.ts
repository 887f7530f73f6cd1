import type { InstanceApiIdentifiers } from '@erp-id/persistence';
import { InstanceInputRejected } from './instance-errors';

const API_NAMES = ['domain', 'table'] as const;

/**
 * Checks API identifier overrides: each an absolute https URL without fragment, credentials or
 * query (RFC 8707 resource indicators; the identifier becomes the tokens' `aud`), and the two APIs
 * distinct (one token audience must name one API). Returns the stored form (only the APIs given).
 */
export function checkedApiIdentifiers(apis: InstanceApiIdentifiers): InstanceApiIdentifiers {
  const stored: InstanceApiIdentifiers = {};
  for (const name of API_NAMES) {
    const entry = apis[name];
    if (entry === undefined) continue;
    const field = `apis.${name}.identifier`;
    const url = URL.parse(entry.identifier);
    if (!url || url.protocol !== 'https:' || url.hostname === '') {
      throw new InstanceInputRejected(field, `${entry.identifier} is not an absolute https URL`);
    }
    if (url.hash || url.search || url.username || url.password || entry.identifier.includes('#')) {
      throw new InstanceInputRejected(field, 'an API identifier has no query, fragment or credentials');
    }
    stored[name] = { identifier: entry.identifier };
  }
  if (stored.domain && stored.table && stored.domain.identifier === stored.table.identifier) {
    throw new InstanceInputRejected(
      'apis.table.identifier',
      'the Domain API and the Table API need different identifiers',
    );
  }
  return stored;
}
