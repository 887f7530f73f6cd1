import { canonicalAddress } from '@erp-id/accounts';
import { isIP } from 'node:net';

/** Hextets of an IPv6 address, `::` expanded; the address is canonical (compressed, no zone). */
function hextets(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  if (tail === undefined) return left;
  const right = tail ? tail.split(':') : [];
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

/**
 * Whom a per-address limit counts: an IPv4 address, or the /64 network of an IPv6 address. One
 * IPv6 subscriber is handed a whole /64, so counting single addresses would let one host spread its
 * requests over 2^64 fresh counters.
 */
export function rateSubjectOf(clientIp: string): string {
  const address = canonicalAddress(clientIp);
  if (isIP(address) === 4) return address;
  return `${hextets(address).slice(0, 4).join(':')}::/64`;
}
