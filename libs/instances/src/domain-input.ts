import { isCustomDomainName, isUnderBaseDomain, normalizeDomain } from '@erp-id/tenancy';
import { InstanceInputRejected } from './instance-errors';

export const MAX_CUSTOM_DOMAINS = 50;

/**
 * The custom domains as they will be stored: normalized, each once, sorted. Names under the base
 * domain are refused: there a host names an instance by its label, so a custom domain would shadow
 * (or be shadowed by) an instance name. A problem names the entry as the caller numbered it.
 */
export function checkedDomains(raw: readonly string[], baseDomain: string): string[] {
  if (raw.length > MAX_CUSTOM_DOMAINS) {
    throw new InstanceInputRejected('customDomains', `at most ${MAX_CUSTOM_DOMAINS} custom domains`);
  }
  const domains = raw.map((entry, i) => {
    const domain = normalizeDomain(entry);
    if (!isCustomDomainName(domain)) {
      throw new InstanceInputRejected(`customDomains.${i}`, `${JSON.stringify(entry)} is not a DNS name`);
    }
    if (isUnderBaseDomain(domain, baseDomain)) {
      throw new InstanceInputRejected(
        `customDomains.${i}`,
        `${domain} is under the base domain ${baseDomain}, where instances are served by name`,
      );
    }
    return domain;
  });
  return [...new Set(domains)].sort();
}
