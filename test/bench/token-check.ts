import { type Dispatcher, request } from 'undici';
import { TOKEN_REQUEST_BODY, type TokenTarget, tokenRequestHeaders } from './token-target';

interface JwtParts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

function decodeJwt(token: string): JwtParts {
  const [header, payload] = token.split('.');
  if (!header || !payload) throw new Error('access token is not a JWS');
  const part = (s: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: part(header), payload: part(payload) };
}

/**
 * One token request, checked like a resource server would: 200, RS256 `at+jwt`, the expected
 * audience and scope. Run before the load so a misconfigured target fails loudly instead of
 * benchmarking error responses.
 */
export async function assertIssuesExpectedToken(target: TokenTarget, dispatcher?: Dispatcher): Promise<void> {
  const res = await request(target.url, {
    method: 'POST',
    ...(dispatcher ? { dispatcher } : {}),
    headers: tokenRequestHeaders(target),
    body: TOKEN_REQUEST_BODY,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200)
    throw new Error(`${target.label}: token request answered ${res.statusCode}: ${text}`);
  const body = JSON.parse(text) as { access_token?: string; token_type?: string };
  if (!body.access_token) throw new Error(`${target.label}: no access_token in ${text}`);
  const { header, payload } = decodeJwt(body.access_token);
  const problems = [
    header.alg === 'RS256' ? '' : `alg ${String(header.alg)}`,
    header.typ === 'at+jwt' ? '' : `typ ${String(header.typ)}`,
    payload.aud === target.audience ? '' : `aud ${String(payload.aud)} (expected ${target.audience})`,
    payload.scope === 'update' ? '' : `scope ${String(payload.scope)}`,
    payload.client_id === target.clientId ? '' : `client_id ${String(payload.client_id)}`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`${target.label}: unexpected access token: ${problems.join(', ')}`);
}
