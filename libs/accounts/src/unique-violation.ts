import { QueryFailedError } from 'typeorm';

/** Postgres (and PGlite) report a unique constraint violation as SQLSTATE 23505. */
export function isUniqueViolation(err: unknown): boolean {
  return (
    err instanceof QueryFailedError && (err.driverError as { code?: string } | undefined)?.code === '23505'
  );
}
