import { INSTANCE_API_SCOPES, type InstanceApiScope } from '@erp-id/accounts';
import type { OptionMetadata } from 'nest-commander';
import { collect, oneOf } from './cli-options';

/** `--scope` of the credentials for the instance APIs (service accounts, reference tokens). */
export const API_SCOPE_OPTION: OptionMetadata = {
  flags: '--scope <scope>',
  description: `API scope: ${INSTANCE_API_SCOPES.join(', ')} (repeatable)`,
};

export const collectApiScope = (value: string, previous?: InstanceApiScope[]): InstanceApiScope[] =>
  collect(oneOf('--scope', INSTANCE_API_SCOPES, value), previous);

/** A credential with no scope could call nothing, so creating one is refused. */
export const API_SCOPE_REQUIRED = `give at least one --scope (${INSTANCE_API_SCOPES.join(', ')})`;
