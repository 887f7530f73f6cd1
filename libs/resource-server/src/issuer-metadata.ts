import { z } from 'zod';
import type { ResolvedResourceServerOptions } from './resource-server-options';
import { VerifierUnavailableError } from './token-rejection';

/** The parts of the issuer's discovery document a resource server needs. */
export interface IssuerMetadata {
  issuer: string;
  jwksUri: string;
  introspectionEndpoint: string | undefined;
}

const discoveryDocument = z.object({
  issuer: z.string(),
  jwks_uri: z.string(),
  introspection_endpoint: z.string().optional(),
});

/**
 * Reads `<issuer>/.well-known/openid-configuration` once. Endpoints are taken from the issuer instead
 * of being configured, so the API follows the instance wherever it advertises them. A failed read is
 * forgotten: the next request retries rather than the API staying broken.
 */
export class IssuerMetadataSource {
  private pending: Promise<IssuerMetadata> | undefined;

  constructor(private readonly options: ResolvedResourceServerOptions) {}

  get(): Promise<IssuerMetadata> {
    if (!this.pending) {
      const loading = this.load();
      this.pending = loading;
      loading.catch(() => {
        if (this.pending === loading) this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async load(): Promise<IssuerMetadata> {
    const { issuer } = this.options;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let body: unknown;
    try {
      const res = await this.options.fetch(url, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.httpTimeoutMs),
      });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      body = await res.json();
    } catch (err) {
      throw new VerifierUnavailableError(`issuer discovery at ${url} failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const parsed = discoveryDocument.safeParse(body);
    if (!parsed.success)
      throw new VerifierUnavailableError(`issuer discovery at ${url}: not a discovery document`);
    // OpenID Connect Discovery 1.0 §4.3: the document must name exactly the issuer it was fetched for.
    if (parsed.data.issuer !== issuer) {
      throw new VerifierUnavailableError(
        `issuer discovery at ${url} names issuer "${parsed.data.issuer}", expected "${issuer}"`,
      );
    }
    return {
      issuer,
      jwksUri: this.endpoint('jwks_uri', parsed.data.jwks_uri),
      introspectionEndpoint:
        parsed.data.introspection_endpoint === undefined
          ? undefined
          : this.endpoint('introspection_endpoint', parsed.data.introspection_endpoint),
    };
  }

  /** An advertised endpoint must be as secure as the issuer is required to be. */
  private endpoint(name: string, value: string): string {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new VerifierUnavailableError(`issuer discovery: ${name} is not a URL`);
    }
    if (url.protocol !== 'https:' && !(this.options.allowHttp && url.protocol === 'http:')) {
      throw new VerifierUnavailableError(`issuer discovery: ${name} is not an https URL`);
    }
    return url.href;
  }
}
