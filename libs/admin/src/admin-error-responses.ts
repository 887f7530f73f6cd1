import { applyDecorators, HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ApiResponse, DECORATORS, type SchemaObject } from '@nestjs/swagger';

/** The name of the error body's schema under `components.schemas` of the admin API document. */
export const ADMIN_ERROR_SCHEMA_NAME = 'AdminError';

/** `{"error","message","details"?}`: the body of every admin API error (see AdminErrorBody). */
export const ADMIN_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'machine-readable code, e.g. `invalid_request`, `not_found`' },
    message: { type: 'string', description: 'what is wrong, for a person' },
    details: {
      description: 'for validation errors, one `{"field","message"}` entry for each problem',
    },
  },
  example: {
    error: 'invalid_request',
    message: 'invalid name',
    details: [{ field: 'name', message: 'Too big: expected string to have <=63 characters' }],
  },
};

export type AdminErrorStatus = 400 | 401 | 404 | 409 | 422 | 429;

const DEFAULT_DESCRIPTIONS: Record<AdminErrorStatus, string> = {
  400: 'invalid request: `details` name each bad field',
  401: 'missing or unknown admin bearer token',
  404: 'no such resource',
  409: 'conflicts with an existing resource',
  422: 'well-formed but refused by the instance’s rules: `details` name the field',
  429: 'too many requests from this address: wait the seconds the `Retry-After` header gives',
};

export function adminErrorResponse(status: AdminErrorStatus, description?: string) {
  return {
    description: description ?? DEFAULT_DESCRIPTIONS[status],
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ADMIN_ERROR_SCHEMA_NAME}` } } },
  };
}

interface DocumentedHandler {
  target: object;
  key: string | symbol;
  descriptor: PropertyDescriptor;
}

/** Handlers whose error answers were documented here (see restoreSuccessResponses). */
const documentedHandlers: DocumentedHandler[] = [];

/**
 * Documents the error answers a route gives besides 401 (which every admin route has, and the
 * document adds itself). A status given as `[status, description]` says when it happens.
 */
export function AdminErrors(
  ...statuses: Array<AdminErrorStatus | [AdminErrorStatus, string]>
): MethodDecorator {
  const apply = applyDecorators(
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, undefined];
      return ApiResponse({ status, ...adminErrorResponse(status, description) });
    }),
  );
  return (target, key, descriptor) => {
    documentedHandlers.push({ target, key, descriptor });
    apply(target, key, descriptor);
  };
}

const SUCCESS_DESCRIPTIONS: Partial<Record<number, string>> = {
  200: 'OK',
  201: 'created',
  204: 'done; no body',
};

/**
 * @nestjs/swagger documents a route's success status (201 for POST, 200 otherwise, or its @HttpCode)
 * only when the route documents no response at all; for the routes that document their errors here,
 * that answer is put back. Runs when the document is made, once every decorator (HttpCode included,
 * whatever its order) has been applied.
 */
export function restoreSuccessResponses(): void {
  for (const { target, key, descriptor } of documentedHandlers) {
    const handler = descriptor.value as object;
    const responses = (Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Record<
      string,
      unknown
    >;
    if (Object.keys(responses).some((status) => status.startsWith('2'))) continue;
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
      (Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST
        ? HttpStatus.CREATED
        : HttpStatus.OK);
    ApiResponse({ status, description: SUCCESS_DESCRIPTIONS[status] ?? '' })(target, key, descriptor);
  }
}
