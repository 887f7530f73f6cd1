import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type SigningKey = {
  kid: string;
  alg: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  jwk: JWK;
};

/**
 * A stand-in identity server on the loopback address: discovery, a JWKS it can rotate, and an RFC 7662
 * introspection endpoint whose answers a test sets per token. Counts what it was asked.
 */
export class FakeIssuer {
  readonly calls = { discovery: 0, jwks: 0, introspection: 0 };
  readonly introspectionBodies: string[] = [];
  readonly authorizations: string[] = [];
  answers = new Map<string, Record<string, unknown>>();
  introspectionStatus = 200;
  private server: Server | undefined;
  private published: SigningKey[] = [];
  port = 0;

  get issuer(): string {
    return `http://127.0.0.1:${this.port}/id`;
  }

  readonly audience = 'https://acme.example/api/domain';

  async start(): Promise<void> {
    await this.addKey('RS256');
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const json = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.url === '/id/.well-known/openid-configuration') {
          this.calls.discovery++;
          return json(200, {
            issuer: this.issuer,
            jwks_uri: `${this.issuer}/jwks`,
            introspection_endpoint: `${this.issuer}/connect/introspect`,
          });
        }
        if (req.url === '/id/jwks') {
          this.calls.jwks++;
          return json(200, { keys: this.published.map((k) => k.jwk) });
        }
        if (req.url === '/id/connect/introspect' && req.method === 'POST') {
          this.calls.introspection++;
          const body = Buffer.concat(chunks).toString();
          this.introspectionBodies.push(body);
          this.authorizations.push(req.headers.authorization ?? '');
          if (this.introspectionStatus !== 200)
            return json(this.introspectionStatus, { error: 'invalid_client' });
          const token = new URLSearchParams(body).get('token') ?? '';
          return json(200, this.answers.get(token) ?? { active: false });
        }
        json(404, { error: 'not_found' });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Publishes a new key that signs from now on (what a rotation does). */
  async addKey(alg: string): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
    const kid = `k${this.published.length + 1}-${alg}`;
    this.published.push({
      kid,
      alg,
      privateKey,
      jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    });
    return kid;
  }

  /** A JWT access token as the gateway issues it, with overrides. */
  async accessToken(
    claims: JWTPayload = {},
    header: { typ?: string; kid?: string } = {},
    key: SigningKey = this.published[this.published.length - 1]!,
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: this.issuer,
      aud: this.audience,
      sub: 'user-1',
      client_id: 'portal',
      scope: 'read update',
      iat: now,
      exp: now + 300,
      jti: `j${Math.random()}`,
      ...claims,
    })
      .setProtectedHeader({ alg: key.alg, typ: header.typ ?? 'at+jwt', kid: header.kid ?? key.kid })
      .sign(key.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
