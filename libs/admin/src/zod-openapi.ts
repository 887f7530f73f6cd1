import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminErrors } from './admin-error-responses';

/**
 * The OpenAPI 3.0 schema of what a client sends: the input side of the zod schema the route validates
 * with, so the document and the validation cannot drift apart. Refinements (cross-field rules) have
 * no JSON Schema form and are left out; the 400 answer names them.
 */
export function openApiSchemaOf(schema: z.ZodType): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
  delete json.$schema;
  return json as SchemaObject;
}

interface ZodBodyOptions {
  /** The route also accepts no body at all (an empty request means the defaults). */
  optional?: boolean;
}

/** Documents a JSON request body validated by `ZodBodyPipe(schema)`, and its 400 answer. */
export function ZodBody(schema: z.ZodType, options: ZodBodyOptions = {}): MethodDecorator {
  return applyDecorators(
    ApiBody({ schema: openApiSchemaOf(schema), required: !options.optional }),
    AdminErrors(400),
  );
}

/**
 * Documents query parameters validated by `ZodBodyPipe(schema)` on `@Query()`: one parameter for each
 * property of the object schema, and the 400 answer.
 */
export function ZodQuery(schema: z.ZodObject): MethodDecorator {
  const json = openApiSchemaOf(schema);
  const required = new Set(json.required ?? []);
  const parameters = Object.entries(json.properties ?? {}).map(([name, property]) =>
    ApiQuery({ name, required: required.has(name), schema: property }),
  );
  return applyDecorators(...parameters, AdminErrors(400));
}
