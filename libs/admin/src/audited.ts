import { SetMetadata } from '@nestjs/common';

export const AUDITED = Symbol('AUDITED');

/** Where the id of an audited change's target comes from. */
export type AuditTargetId = { param: string } | { response: string };

export interface AuditedRoute {
  /** `<subject>.<verb>`, e.g. `client.updated`. */
  action: string;
  /** The target's type; by default the route's resource (`clients` → `client`). */
  target?: string;
  /** By default: the route's id parameter, else the id the response names. */
  targetId?: AuditTargetId;
}

/**
 * Names the audit action of a mutating admin route. Routes without it are audited too (see
 * AuditInterceptor), under an action made of their resource and method; this makes it precise.
 */
export const Audited = (action: string, options: Omit<AuditedRoute, 'action'> = {}): MethodDecorator =>
  SetMetadata(AUDITED, { action, ...options } satisfies AuditedRoute);
