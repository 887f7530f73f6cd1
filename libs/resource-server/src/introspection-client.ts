import { z } from 'zod';
import type { IssuerMetadataSource } from './issuer-metadata';
import type { ResolvedResourceServerOptions } from './resource-server-options';
import { VerifierUnavailableError } from './token-rejection';

/** The RFC 7662 fields the library looks at; the issuer may send more. */
const introspectionAnswer = z.object({
  active: z.boolean(),
  iss: z.string().optional(),
  sub: z.string().optional(),
  client_id: z.string().optional(),
  scope: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  exp: z.number().optional(),
  nbf: z.number().optional(),
  token_type: z.string().optional(),
  erp_user_kind: z.string().optional(),
});

export type IntrospectionAnswer = z.infer<typeof introspectionAnswer>;

/** RFC 6749 §2.3.1: client_secret_basic form-encodes id and secret before joining them. */
const basicCredentials = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** Asks the instance's introspection endpoint (RFC 7662) about a token, as the API's own client. */
export class IntrospectionClient {
  constructor(
    private readonly options: ResolvedResourceServerOptions,
    private readonly metadata: IssuerMetadataSource,
  ) {}

  get configured(): boolean {
    return this.options.introspection !== undefined;
  }

  async introspect(token: string): Promise<IntrospectionAnswer> {
    const credentials = this.options.introspection;
    if (!credentials) throw new VerifierUnavailableError('introspection is not configured');
    const { introspectionEndpoint } = await this.metadata.get();
    if (!introspectionEndpoint)
      throw new VerifierUnavailableError('the issuer advertises no introspection endpoint');
    let res: Response;
    let body: unknown;
    try {
      res = await this.options.fetch(introspectionEndpoint, {
        method: 'POST',
        headers: {
          authorization: basicCredentials(credentials.clientId, credentials.clientSecret),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.httpTimeoutMs),
      });
      body = await res.json();
    } catch (err) {
      // The message of a fetch error names the endpoint, never the request body.
      throw new VerifierUnavailableError(`introspection failed: ${(err as Error).message}`, { cause: err });
    }
    if (res.status !== 200) {
      const error = (body as { error?: unknown } | null)?.error;
      // 401/403 here means this API's own client is wrong or not allowed to introspect: an operator's problem.
      throw new VerifierUnavailableError(
        `introspection answered ${res.status}${typeof error === 'string' ? ` (${error})` : ''}`,
      );
    }
    const parsed = introspectionAnswer.safeParse(body);
    if (!parsed.success)
      throw new VerifierUnavailableError('introspection answered with an invalid document');
    return parsed.data;
  }
}
