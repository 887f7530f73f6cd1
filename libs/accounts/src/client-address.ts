import { SocketAddress, isIP } from 'node:net';

const IPV4_MAPPED = '::ffff:';

/**
 * One spelling per client address, so a client cannot get a fresh failure counter by writing
 * its address differently: IPv6 compressed and lower-case (zone dropped), and an IPv4 address
 * mapped into IPv6 (a dual-stack listener reports those) as plain IPv4.
 */
export function canonicalAddress(clientIp: string): string {
  const family = isIP(clientIp);
  if (family === 0) {
    throw new TypeError(`client address ${JSON.stringify(clientIp)} is not an IP address`);
  }
  const { address } = new SocketAddress({ address: clientIp, family: family === 4 ? 'ipv4' : 'ipv6' });
  const embedded = address.slice(IPV4_MAPPED.length);
  return address.startsWith(IPV4_MAPPED) && isIP(embedded) === 4 ? embedded : address;
}

/** What stands for a client address that is not one (a trusted proxy may forward "unknown"). */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The canonical address, or {@link UNKNOWN_ADDRESS} for a value that is no address: every such
 * client shares one count and one lock, and never gets past an address rule.
 */
export function countedAddress(clientIp: string): string {
  return isIP(clientIp) === 0 ? UNKNOWN_ADDRESS : canonicalAddress(clientIp);
}
