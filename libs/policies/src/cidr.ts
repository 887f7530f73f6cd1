import { BlockList, isIPv4, isIPv6 } from 'node:net';

interface ParsedCidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

const PREFIX = /^\d{1,3}$/;

function parseCidr(value: string): ParsedCidr | null {
  const slash = value.indexOf('/');
  if (slash < 0) return null;
  const address = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (!PREFIX.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (isIPv4(address)) return prefix <= 32 ? { address, prefix, family: 'ipv4' } : null;
  // A zone index (fe80::1%eth0) names an interface of one machine, never a range of clients.
  if (isIPv6(address) && !address.includes('%')) {
    return prefix <= 128 ? { address, prefix, family: 'ipv6' } : null;
  }
  return null;
}

/** Whether a string is an IPv4 or IPv6 range in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`). */
export function isCidr(value: string): boolean {
  return parseCidr(value) !== null;
}

/**
 * Whether a client address lies in one of the ranges; an empty list allows every address. Unparseable
 * ranges never match (stored policies are validated, so there are none in practice).
 */
export function addressInRanges(address: string, ranges: readonly string[]): boolean {
  if (!ranges.length) return true;
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (!family) return false;
  const list = new BlockList();
  for (const range of ranges) {
    const parsed = parseCidr(range);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list.check(address, family);
}
