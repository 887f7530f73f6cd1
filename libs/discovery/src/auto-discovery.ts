import type { InstanceSite } from '@erp-id/persistence';

/** One entry of `/sys/auto-discovery`, in the casing existing ERP apps read. */
export interface WebSite {
  Type: string;
  Status: string;
  Url: string;
  AdditionalProperties?: Record<string, string>;
}

export interface AutoDiscoveryDocument {
  WebSites: WebSite[];
}

/** Sites every instance has unless the provider registered its own list. */
export function defaultSites(): InstanceSite[] {
  return [
    { type: 'DomainAPI', url: '/api', additionalProperties: { ODataServiceRoot: '/api/domain/odata/' } },
  ];
}

/** Relative URLs (`/api`) are resolved against the host the request came to. */
function absolute(origin: string, url: string): string {
  return url.startsWith('/') ? `${origin}${url}` : url;
}

export function buildAutoDiscovery(
  origin: string,
  sites: readonly InstanceSite[] | null,
): AutoDiscoveryDocument {
  const id: WebSite = { Type: 'ID', Status: 'Working', Url: `${origin}/id` };
  const others = (sites ?? defaultSites()).map((site): WebSite => {
    const entry: WebSite = {
      Type: site.type,
      Status: site.status ?? 'Working',
      Url: absolute(origin, site.url),
    };
    if (site.additionalProperties) {
      entry.AdditionalProperties = Object.fromEntries(
        Object.entries(site.additionalProperties).map(([k, v]) => [k, absolute(origin, v)]),
      );
    }
    return entry;
  });
  return { WebSites: [id, ...others] };
}
