/** RFC 6750 §3: auth-param values are quoted strings; quotes and backslashes must not break out. */
const quoted = (value: string): string => `"${value.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ')}"`;

/** A `WWW-Authenticate: Bearer …` value from its parameters, in the order given. */
export function bearerChallenge(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${quoted(value)}`);
  return parts.length ? `Bearer ${parts.join(', ')}` : 'Bearer';
}
