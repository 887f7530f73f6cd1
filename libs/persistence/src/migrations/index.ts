import { InitialSchema1764300000000 } from './1764300000000-initial-schema';

/** Every migration, in order. The schema changes only through these; `synchronize` stays off. */
export const migrations = [InitialSchema1764300000000];
