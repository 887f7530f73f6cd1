import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import type { GatewayProcess } from '../support/gateway-process';
import { loopbackFetch } from '../support/loopback-fetch';
import { usingSharedBackends } from '../support/test-backends';
import { startTestGateways } from '../support/test-gateways';

const INSTANCE = 'busy';
const WORKERS = 8;
/** The load runs at least this long, and on until the last rotation has had load after it. */
const LOAD_MS = 5_000;
/**
 * Load before the first rotation, between the two and after the second. Counted from the previous
 * step's answer: a rotation takes a while under load (key generation shares the thread pool with the
 * argon2 client-secret checks), and each phase must see requests of its own.
 */
const PHASE_MS = 1_200;

interface Issued {
  token: string;
  /** The issuer of the replica that answered (each replica listens on its own port here). */
  issuer: string;
  /** When the request was sent and answered (ms since the epoch). */
  sentAt: number;
  answeredAt: number;
}

interface Rotation {
  kid: string;
  startedAt: number;
  answeredAt: number;
  /** The JWKS as published right after the rotation answered. */
  jwks: JSONWebKeySet;
}

// With shared Postgres and Redis the load goes to two replicas and the rotations through one of them;
// otherwise one embedded process serves everything.
const shared = usingSharedBackends();

/** The tokens that do not verify against `jwks`, with the reason (none, when all is well). */
async function unverifiable(tokens: readonly Issued[], jwks: JSONWebKeySet): Promise<string[]> {
  const keys = createLocalJWKSet(jwks);
  const problems: string[] = [];
  for (const { token, issuer } of tokens) {
    try {
      await jwtVerify(token, keys, { issuer });
    } catch (err) {
      problems.push(`${decodeProtectedHeader(token).kid}: ${(err as Error).message}`);
    }
  }
  return problems;
}

describe(`key rotation under client-credentials load (${shared ? 'two replicas' : 'one embedded process'})`, () => {
  let replicas: GatewayProcess[] = [];
  let dispose: (() => Promise<void>) | undefined;
  let authorization: string;

  const jwks = async (gw: GatewayProcess): Promise<JSONWebKeySet> => {
    const res = await loopbackFetch(`${gw.issuer(INSTANCE)}/.well-known/openid-configuration/jwks`);
    expect(res.status).toBe(200);
    return (await res.json()) as JSONWebKeySet;
  };

  beforeAll(async () => {
    ({ gateways: replicas, dispose } = await startTestGateways({ database: 'idgw_key_load', replicas: 2 }));
    const admin = replicas[0]!;
    expect((await admin.admin('POST', '/instances', { name: INSTANCE })).status).toBe(201);
    const created = await admin.admin<{ clientId: string; clientSecret: string }>(
      'POST',
      `/instances/${INSTANCE}/clients`,
      { clientId: 'batch', grantTypes: ['client_credentials'], scopes: ['read'] },
    );
    expect(created.status).toBe(201);
    authorization = `Basic ${Buffer.from(`batch:${created.body.clientSecret}`).toString('base64')}`;
  });

  afterAll(async () => {
    await dispose?.();
  });

  it('fails no request and keeps every token verifiable across two rotations', async () => {
    const admin = replicas[0]!;
    const issued: Issued[] = [];
    const failures: string[] = [];
    const rotations: Rotation[] = [];
    const initialKid = (await jwks(admin)).keys[0]!.kid!;

    const started = Date.now();
    let loadUntil = started + LOAD_MS;
    const worker = async (index: number): Promise<void> => {
      const gw = replicas[index % replicas.length]!;
      while (Date.now() < loadUntil) {
        const sentAt = Date.now();
        try {
          const res = await loopbackFetch(`${gw.issuer(INSTANCE)}/connect/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
            body: 'grant_type=client_credentials&scope=read',
          });
          const body = (await res.json()) as { access_token?: string; error?: string };
          if (res.status === 200 && body.access_token) {
            issued.push({
              token: body.access_token,
              issuer: gw.issuer(INSTANCE),
              sentAt,
              answeredAt: Date.now(),
            });
          } else {
            failures.push(`${res.status} ${body.error ?? ''}`);
          }
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };

    const pause = (): Promise<void> => new Promise((r) => setTimeout(r, PHASE_MS));
    const rotate = async (algorithm?: string): Promise<void> => {
      const startedAt = Date.now();
      const res = await admin.admin<{ kid: string }>(
        'POST',
        `/instances/${INSTANCE}/keys/rotate`,
        algorithm ? { algorithm } : undefined,
      );
      expect(res.status).toBe(201);
      const answeredAt = Date.now();
      rotations.push({ kid: res.body.kid, startedAt, answeredAt, jwks: await jwks(admin) });
    };

    await Promise.all([
      ...Array.from({ length: WORKERS }, (_, i) => worker(i)),
      (async () => {
        await pause();
        await rotate();
        await pause();
        // The second rotation changes the algorithm too.
        await rotate('ES256');
        loadUntil = Math.max(loadUntil, Date.now() + PHASE_MS);
      })(),
    ]);

    expect(failures).toEqual([]);
    expect(rotations).toHaveLength(2);
    // Load before, between and after the rotations.
    for (const [from, to] of [
      [started, rotations[0]!.startedAt],
      [rotations[0]!.answeredAt, rotations[1]!.startedAt],
      [rotations[1]!.answeredAt, Infinity],
    ] as const) {
      expect(issued.filter((t) => t.sentAt >= from && t.answeredAt < to).length).toBeGreaterThan(0);
    }

    // Every token answered before a rotation started verifies against the JWKS published after it.
    for (const rotation of rotations) {
      const before = issued.filter((t) => t.answeredAt < rotation.startedAt);
      expect(before.length).toBeGreaterThan(0);
      expect(await unverifiable(before, rotation.jwks)).toEqual([]);
    }

    // And every token of the run verifies against the JWKS as published now, on every replica: the
    // retired keys stay published until the tokens they signed have expired (an hour here).
    for (const gw of replicas) {
      expect(await unverifiable(issued, await jwks(gw))).toEqual([]);
    }

    // Tokens carry the kid that was active: the old one before the first rotation, the new ones after.
    const kids = [initialKid, ...rotations.map((r) => r.kid)];
    for (const { token } of issued) expect(kids).toContain(decodeProtectedHeader(token).kid);
    expect(
      issued
        .filter((t) => t.answeredAt < rotations[0]!.startedAt)
        .every((t) => decodeProtectedHeader(t.token).kid === initialKid),
    ).toBe(true);
    if (!shared) {
      // One process: a request sent after the rotation answered is signed with the new key.
      for (const [i, rotation] of rotations.entries()) {
        const until = rotations[i + 1]?.startedAt ?? Infinity;
        const after = issued.filter((t) => t.sentAt > rotation.answeredAt && t.answeredAt < until);
        for (const { token } of after) expect(decodeProtectedHeader(token).kid).toBe(rotation.kid);
      }
    }
    expect(decodeProtectedHeader(issued.at(-1)!.token).alg).toBe('ES256');
  });
});
