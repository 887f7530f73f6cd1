import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { canonicalAddress } from '@erp-id/accounts';
import { AuditRecorder, type AuditTarget } from '@erp-id/audit';
import { InstancesService } from '@erp-id/instances';
import type { Request } from 'express';
import { concatMap, type Observable } from 'rxjs';
import { AdminCaller } from './admin-caller';
import type { AdminPrincipal } from './admin-token.strategy';
import { AUDITED, type AuditedRoute } from './audited';
import { AUDITED_METHODS, type DerivedAudit, deriveAudit, routeTemplate } from './audit-route';

/** Response fields that name what a creation made, in order of preference. */
const RESPONSE_ID_FIELDS = ['id', 'clientId', 'kid', 'name'] as const;

const firstPath = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Records every successful change made through the admin API: each POST, PUT, PATCH and DELETE
 * under `/admin/v1/instances` that did not fail. It is installed for the whole application, so a
 * new admin route is audited without doing anything; `@Audited()` names its action precisely.
 * The row is written before the response leaves, so a caller that reads the log next sees it; a
 * failed write is logged and counted, never turned into a failed request.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly recorder: AuditRecorder,
    private readonly instances: InstancesService,
    private readonly caller: AdminCaller,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    if (!AUDITED_METHODS.has(req.method)) return next.handle();
    const template = routeTemplate(
      firstPath(this.reflector.get<unknown>(PATH_METADATA, context.getClass())),
      firstPath(this.reflector.get<unknown>(PATH_METADATA, context.getHandler())),
    );
    const derived = deriveAudit(req.method, template);
    if (!derived) return next.handle();
    const named = this.reflector.get<AuditedRoute | undefined>(AUDITED, context.getHandler());
    return next.handle().pipe(
      concatMap(async (response: unknown) => {
        await this.record(req, derived, named, response).catch((err: Error) =>
          this.logger.error(`audit of ${req.method} ${template} failed: ${err.message}`),
        );
        return response;
      }),
    );
  }

  private async record(
    req: Request,
    derived: DerivedAudit,
    named: AuditedRoute | undefined,
    response: unknown,
  ): Promise<void> {
    const params = req.params as Record<string, string | undefined>;
    const body = isRecord(response) ? response : {};
    const instanceName = derived.instanceParam
      ? params.name
      : typeof body.name === 'string'
        ? body.name
        : undefined;
    if (!instanceName) return;
    const action = named?.action ?? derived.action;
    const actor = (req.user as AdminPrincipal | undefined)?.name ?? 'unknown';
    const target = this.target(derived, named, params, body, instanceName);
    const sourceAddress = this.sourceAddress(req);
    // Which fields the change carried (their names only: values may be secrets such as a password).
    const details = isRecord(req.body) ? { fields: Object.keys(req.body).sort() } : {};

    if (derived.targetType === 'instance' && derived.idParam === null) {
      this.recorder.fleet({ instance: instanceName, actor, action, target, sourceAddress, details });
    }
    const instance = await this.instances.findRow(instanceName);
    if (!instance) {
      // The instance is gone (deleted by this request), and its audit rows with it: the log line is the record.
      this.recorder.fleet({ instance: instanceName, actor, action, target, sourceAddress, details });
      return;
    }
    await this.recorder.record(
      { instanceId: instance.id, actor, action, target, sourceAddress, details },
      'admin',
    );
  }

  private target(
    derived: DerivedAudit,
    named: AuditedRoute | undefined,
    params: Record<string, string | undefined>,
    body: Record<string, unknown>,
    instanceName: string,
  ): AuditTarget | null {
    const type = named?.target ?? derived.targetType;
    const source = named?.targetId;
    // An instance is known by its name everywhere in the admin API (its response also has a uuid).
    if (type === 'instance' && !source) return { type, id: instanceName };
    let id: unknown;
    if (source && 'param' in source) id = params[source.param];
    else if (source) id = body[source.response];
    else if (derived.idParam) id = params[derived.idParam];
    else id = RESPONSE_ID_FIELDS.map((field) => body[field]).find((v) => typeof v === 'string');
    return typeof id === 'string' && id ? { type, id } : null;
  }

  private sourceAddress(req: Request): string | null {
    const raw = this.caller.addressOf(req);
    if (!raw) return null;
    try {
      return canonicalAddress(raw);
    } catch {
      return null;
    }
  }
}
