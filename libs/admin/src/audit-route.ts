/** The admin routes that change an instance (or create one) live under this path. */
const INSTANCES_PATH = ['admin', 'v1', 'instances'];

export const AUDITED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const PAST_TENSE: Record<string, string> = {
  POST: 'created',
  PUT: 'updated',
  PATCH: 'updated',
  DELETE: 'deleted',
};

/** What a route's template says about its audit event when no decorator names it. */
export interface DerivedAudit {
  action: string;
  targetType: string;
  /** The route parameter holding the target's id, when the route has one. */
  idParam: string | null;
  /** Whether the route's instance is named by its `:name` parameter (not so for instance creation). */
  instanceParam: boolean;
}

const isParam = (segment: string): boolean => segment.startsWith(':');

/** `clients` → `client`, `policies` → `policy`, `service-accounts` → `service_account`. */
export function singular(segment: string): string {
  const word = segment.toLowerCase().replace(/-/g, '_');
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The full route template, from the controller's and the handler's paths. */
export function routeTemplate(controllerPath: string, handlerPath: string): string {
  return [controllerPath, handlerPath]
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');
}

/**
 * The audit event a mutating route makes by default: `POST …/:name/clients` is `client.created`
 * with the response's id, `PATCH …/:name/users/:id` is `user.updated` of `:id`, a literal after
 * the resource joins the action (`POST …/clients/:clientId/secret` → `client.secret.created`).
 * Null for routes that are not under `/admin/v1/instances` or do not change anything.
 */
export function deriveAudit(method: string, template: string): DerivedAudit | null {
  const verb = PAST_TENSE[method.toUpperCase()];
  const segments = template.split('/').filter(Boolean);
  if (!verb || INSTANCES_PATH.some((s, i) => segments[i] !== s)) return null;
  const rest = segments.slice(INSTANCES_PATH.length);
  const instanceParam = rest[0] === ':name';
  const below = instanceParam ? rest.slice(1) : rest;
  const resourceAt = below.findIndex((s) => !isParam(s));
  if (resourceAt < 0) {
    // The instance itself: created (POST /instances), changed or deleted (/instances/:name).
    return {
      action: `instance.${verb}`,
      targetType: 'instance',
      idParam: instanceParam ? 'name' : null,
      instanceParam,
    };
  }
  const resource = singular(below[resourceAt]!);
  const after = below.slice(resourceAt + 1);
  const idParam = after.find(isParam)?.slice(1) ?? null;
  const qualifiers = after.filter((s) => !isParam(s)).map((s) => s.toLowerCase().replace(/-/g, '_'));
  return {
    action: [resource, ...qualifiers, verb].join('.'),
    targetType: resource,
    idParam,
    instanceParam,
  };
}
