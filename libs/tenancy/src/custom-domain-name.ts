const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const NUMERIC = /^\d+$/;

/** The form domains are stored and compared in: lower case, without surrounding space or a trailing dot. */
export function normalizeDomain(raw: string): string {
  return raw.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Whether a (normalized) host name can be registered as a custom domain: a DNS name of at least two
 * labels (internationalized names in their `xn--` form), never an IP address.
 */
export function isCustomDomainName(name: string): boolean {
  if (name.length > 253) return false;
  const labels = name.split('.');
  // A numeric top-level label would make 10.0.0.1 a "domain".
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !NUMERIC.test(labels.at(-1)!);
}

/** Whether a host name lies at or under the base domain, where instances are served by their name. */
export function isUnderBaseDomain(name: string, baseDomain: string): boolean {
  return name === baseDomain || name.endsWith(`.${baseDomain}`);
}
