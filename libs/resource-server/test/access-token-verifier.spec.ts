import { AccessTokenVerifier } from '../src/access-token-verifier';
import { resolveResourceServerOptions, type ResourceServerOptions } from '../src/resource-server-options';
import { TokenRejectedError, VerifierUnavailableError } from '../src/token-rejection';
import { FakeIssuer } from './fake-issuer';

const PAT = `erp_pat_${'p'.repeat(43)}`;
const SAT = `erp_sat_${'s'.repeat(43)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AccessTokenVerifier', () => {
  let issuer: FakeIssuer;
  const verifier = (options: Partial<ResourceServerOptions> = {}) =>
    new AccessTokenVerifier(
      resolveResourceServerOptions({
        issuer: issuer.issuer,
        audience: issuer.audience,
        introspection: { clientId: 'domain api', clientSecret: 's3cret:&' },
        allowHttp: true,
        ...options,
      }),
    );
  const rejection = async (promise: Promise<unknown>): Promise<string> => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TokenRejectedError);
    return (err as TokenRejectedError).description;
  };
  const nowSec = () => Math.floor(Date.now() / 1000);

  beforeEach(async () => {
    issuer = new FakeIssuer();
    await issuer.start();
  });
  afterEach(() => issuer.stop());

  describe('JWT access tokens (local verification)', () => {
    it('accepts a valid token and describes its principal', async () => {
      const exp = nowSec() + 120;
      const token = await issuer.accessToken({ exp });
      const principal = await verifier().verify(token);
      expect(principal).toEqual({
        subject: 'user-1',
        clientId: 'portal',
        scopes: ['read', 'update'],
        userKind: 'internal',
        tokenType: 'jwt',
        audience: [issuer.audience],
        expiresAt: new Date(exp * 1000),
      });
      expect(issuer.calls.introspection).toBe(0);
    });

    it('tells a client credentials token (sub = client_id) as a service account', async () => {
      const token = await issuer.accessToken({ sub: 'sa-1', client_id: 'sa-1', scope: 'read' });
      expect(await verifier().verify(token)).toMatchObject({ userKind: 'service', scopes: ['read'] });
    });

    it('refuses an ID token, another API, another issuer, an expired token, a bad signature', async () => {
      const v = verifier({ clockToleranceSec: 5 });
      expect(await rejection(v.verify(await issuer.accessToken({}, { typ: 'JWT' })))).toMatch(/typ/);
      expect(
        await rejection(v.verify(await issuer.accessToken({ aud: 'https://acme.example/api/table' }))),
      ).toBe('the access token is not for this API');
      expect(await rejection(v.verify(await issuer.accessToken({ exp: nowSec() - 10 })))).toBe(
        'the access token expired',
      );
      expect(await rejection(v.verify(await issuer.accessToken({ client_id: undefined })))).toMatch(
        /client_id/,
      );
      expect(await rejection(v.verify(await issuer.accessToken({ erp_user_kind: 'external' })))).toMatch(
        /internal users/,
      );
      const [h, p, s] = (await issuer.accessToken()).split('.') as [string, string, string];
      const widened = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scope: 'admin' }),
      ).toString('base64url');
      expect(await rejection(v.verify(`${h}.${widened}.${s}`))).toMatch(/signature/);
      const jwksCalls = issuer.calls.jwks;
      // A foreign issuer's token is refused before any key lookup.
      expect(await rejection(v.verify(await issuer.accessToken({ iss: 'https://other.example/id' })))).toBe(
        'the access token is from another issuer',
      );
      expect(issuer.calls.jwks).toBe(jwksCalls);
    });

    it('accepts an expired token within the clock tolerance', async () => {
      const token = await issuer.accessToken({ exp: nowSec() - 3 });
      await expect(verifier({ clockToleranceSec: 10 }).verify(token)).resolves.toMatchObject({
        subject: 'user-1',
      });
    });

    it('downloads the key set again for an unknown kid (a rotation), but not more than once per cooldown', async () => {
      const v = verifier({ jwksRefreshCooldownMs: 0 });
      await v.verify(await issuer.accessToken());
      expect(issuer.calls.jwks).toBe(1);
      await issuer.addKey('ES256');
      await expect(v.verify(await issuer.accessToken())).resolves.toMatchObject({ tokenType: 'jwt' });
      expect(issuer.calls.jwks).toBe(2);

      const slow = verifier({ jwksRefreshCooldownMs: 60_000 });
      await slow.verify(await issuer.accessToken());
      const calls = issuer.calls.jwks;
      await issuer.addKey('EdDSA');
      expect(await rejection(slow.verify(await issuer.accessToken()))).toMatch(/not signed by a key/);
      expect(await rejection(slow.verify(await issuer.accessToken()))).toMatch(/not signed by a key/);
      expect(issuer.calls.jwks).toBe(calls);
    });

    it('reports an unreachable issuer as unavailable, not as a bad token', async () => {
      const token = await issuer.accessToken();
      await issuer.stop();
      await expect(verifier({ httpTimeoutMs: 1_000 }).verify(token)).rejects.toBeInstanceOf(
        VerifierUnavailableError,
      );
    });
  });

  describe('reference tokens (introspection)', () => {
    it('asks the introspection endpoint with client_secret_basic and maps the answer', async () => {
      issuer.answers.set(PAT, {
        active: true,
        iss: issuer.issuer,
        sub: 'user-7',
        client_id: 'pat-client',
        scope: 'read',
        aud: [issuer.audience, 'https://acme.example/api/table'],
        exp: nowSec() + 600,
        token_type: 'access_token',
        erp_user_kind: 'internal',
      });
      const principal = await verifier().verify(PAT);
      expect(principal).toMatchObject({
        subject: 'user-7',
        clientId: 'pat-client',
        scopes: ['read'],
        userKind: 'internal',
        tokenType: 'reference',
      });
      expect(issuer.authorizations[0]).toBe(
        `Basic ${Buffer.from('domain%20api:s3cret%3A%26').toString('base64')}`,
      );
      expect(new URLSearchParams(issuer.introspectionBodies[0]).get('token')).toBe(PAT);
    });

    it('accepts a personal access token, which names its user but no client', async () => {
      issuer.answers.set(PAT, {
        active: true,
        iss: issuer.issuer,
        sub: 'user-8',
        scope: 'read',
        aud: issuer.audience,
        token_type: 'access_token',
        erp_user_kind: 'internal',
        erp_token_kind: 'personal',
      });
      expect(await verifier().verify(PAT)).toMatchObject({
        subject: 'user-8',
        clientId: null,
        userKind: 'internal',
        tokenType: 'reference',
        expiresAt: null,
      });
    });

    it('reuses an answer briefly, then asks again and honours a revocation', async () => {
      issuer.answers.set(SAT, {
        active: true,
        sub: 'sa-1',
        client_id: 'sa-1',
        scope: 'read',
        aud: issuer.audience,
      });
      const v = verifier({ cacheTtlMs: 300 });
      expect(await v.verify(SAT)).toMatchObject({ userKind: 'service' });
      await v.verify(SAT);
      expect(issuer.calls.introspection).toBe(1);
      issuer.answers.set(SAT, { active: false });
      await sleep(350);
      expect(await rejection(v.verify(SAT))).toBe('the access token is not active');
      expect(issuer.calls.introspection).toBe(2);
    });

    it('never keeps an accepted answer past the token expiry', async () => {
      // Two whole seconds ahead at least: `exp` is in seconds, and a busy machine must not see the
      // token expire before the first verification.
      const exp = nowSec() + 3;
      issuer.answers.set(PAT, { active: true, sub: 'u', client_id: 'c', aud: issuer.audience, exp });
      const v = verifier({ cacheTtlMs: 60_000, clockToleranceSec: 0 });
      await v.verify(PAT);
      await sleep(exp * 1000 - Date.now() + 1_100);
      expect(await rejection(v.verify(PAT))).toBe('the access token expired');
      expect(issuer.calls.introspection).toBe(2);
    });

    it('shares one introspection between concurrent requests for a token', async () => {
      issuer.answers.set(PAT, { active: true, sub: 'u', client_id: 'c', aud: issuer.audience });
      const v = verifier();
      await Promise.all([v.verify(PAT), v.verify(PAT), v.verify(PAT)]);
      expect(issuer.calls.introspection).toBe(1);
    });

    it('refuses inactive, foreign, refresh, other-API and external answers', async () => {
      const v = verifier({ cacheTtlMs: 0 });
      const base = { active: true, sub: 'u', client_id: 'c', aud: issuer.audience };
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ active: false }, /not active/],
        [{ ...base, iss: 'https://other.example/id' }, /another issuer/],
        [{ ...base, token_type: 'refresh_token' }, /not an access token/],
        [{ ...base, aud: 'https://acme.example/api/table' }, /not for this API/],
        [{ ...base, erp_user_kind: 'external' }, /internal users/],
        [{ ...base, erp_user_kind: 'robot' }, /internal users/],
        [{ ...base, exp: nowSec() - 60 }, /expired/],
      ];
      for (const [answer, reason] of cases) {
        issuer.answers.set(PAT, answer);
        expect(await rejection(v.verify(PAT))).toMatch(reason);
      }
    });

    it('sends opaque tokens to introspection and refuses them without introspection configured', async () => {
      await verifier()
        .verify('opaque-unknown-token')
        .catch(() => undefined);
      expect(issuer.calls.introspection).toBe(1);
      expect(await rejection(verifier({ introspection: undefined }).verify(PAT))).toMatch(/only JWT/);
      expect(await rejection(verifier().verify('bad token with spaces'))).toMatch(/malformed/);
    });

    it('treats a refused introspection client as unavailable, not as a bad token', async () => {
      issuer.introspectionStatus = 401;
      await expect(verifier().verify(PAT)).rejects.toBeInstanceOf(VerifierUnavailableError);
    });
  });
});
