import { canonicalAddress } from '@erp-id/accounts';
import { LRUCache } from 'lru-cache';
import { isIP } from 'node:net';

/** Hextets of an IPv6 address, `::` expanded; the address is canonical (compressed, no zone). */
function hextets(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  if (tail === undefined) return left;
  const right = tail ? tail.split(':') : [];
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

/** Addresses seen lately and their subjects: parsing an address costs more than the rest of a check. */
const subjects = new LRUCache<string, string>({ max: 10_000 });

function subjectOf(clientIp: string): string {
  // A trusted proxy may forward something that is not an address ("unknown"): it still gets a
  // count of its own, under a key that cannot be mistaken for an address.
  if (isIP(clientIp) === 0) return `other:${clientIp.slice(0, 64).replace(/[^A-Za-z0-9._:-]/g, '_')}`;
  const address = canonicalAddress(clientIp);
  if (isIP(address) === 4) return address;
  return `${hextets(address).slice(0, 4).join(':')}::/64`;
}

/**
 * Whom a per-address limit counts: an IPv4 address, or the /64 network of an IPv6 address. One
 * IPv6 subscriber is handed a whole /64, so counting single addresses would let one host spread its
 * requests over 2^64 fresh counters.
 */
export function rateSubjectOf(clientIp: string): string {
  let subject = subjects.get(clientIp);
  if (subject === undefined) {
    subject = subjectOf(clientIp);
    subjects.set(clientIp, subject);
  }
  return subject;
}
