import { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { AdminError } from './admin-error';

/** Validates a request body against a zod schema; every problem is named in `details`. */
export class ZodBodyPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw AdminError.badRequest('request body must be a JSON object');
    }
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
      throw AdminError.badRequest(`invalid ${details.map((d) => d.field || 'body').join(', ')}`, details);
    }
    return parsed.data;
  }
}
