const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Names that would be confusing or dangerous as instance hosts (service hosts, well-known mail/DNS labels). */
export const RESERVED_INSTANCE_NAMES: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'app',
  'apps',
  'auth',
  'autodiscover',
  'cdn',
  'console',
  'dashboard',
  'dev',
  'docs',
  'ftp',
  'help',
  'id',
  'identity',
  'imap',
  'login',
  'mail',
  'metrics',
  'mx',
  'ns',
  'ns1',
  'ns2',
  'oauth',
  'pop',
  'pop3',
  'portal',
  'root',
  'smtp',
  'sso',
  'static',
  'status',
  'support',
  'sys',
  'system',
  'test',
  'webmail',
  'www',
  'localhost',
]);

export type InstanceNameProblem = 'invalid' | 'reserved';

/** Why a name cannot name an instance, or null when it can. */
export function instanceNameProblem(name: string): InstanceNameProblem | null {
  if (typeof name !== 'string' || !DNS_LABEL.test(name)) return 'invalid';
  if (RESERVED_INSTANCE_NAMES.has(name)) return 'reserved';
  return null;
}

export function isValidInstanceName(name: string): boolean {
  return instanceNameProblem(name) === null;
}
