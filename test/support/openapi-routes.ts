/** A route as `METHOD /path/{param}`, the way an OpenAPI document spells it. */
export type RouteKey = string;

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** Nest's router logs each route it registers: `Mapped {/admin/v1/instances/:name, GET} route`. */
const MAPPED_ROUTE = /Mapped \{([^,}\s]+), ([A-Z]+)\}/g;

export function routeKey(method: string, path: string): RouteKey {
  return `${method.toUpperCase()} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

/**
 * The routes a running gateway registered, read from Nest's startup log: what the application really
 * serves, whichever module or branch added it.
 */
export function registeredRoutes(log: string, prefix: string): RouteKey[] {
  const routes = new Set<RouteKey>();
  for (const [, path, method] of log.matchAll(MAPPED_ROUTE)) {
    if (path === prefix || path.startsWith(`${prefix}/`)) routes.add(routeKey(method, path));
  }
  return [...routes].sort();
}

interface DocumentPaths {
  paths: Record<string, Record<string, unknown>>;
}

export function documentedRoutes(document: DocumentPaths): RouteKey[] {
  const routes: RouteKey[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item)) if (HTTP_METHODS.has(method)) routes.push(routeKey(method, path));
  }
  return routes.sort();
}

/** What `expected` has and `actual` lacks. */
export function missing(expected: readonly RouteKey[], actual: readonly RouteKey[]): RouteKey[] {
  const present = new Set(actual);
  return expected.filter((route) => !present.has(route));
}
