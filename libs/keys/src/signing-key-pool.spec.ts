import { POOL_SIZE, SigningKeyPool } from './signing-key-pool';

async function eventually(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SigningKeyPool', () => {
  let pool: SigningKeyPool;
  beforeEach(() => {
    pool = new SigningKeyPool();
  });
  afterEach(() => pool.onApplicationShutdown());

  it('starts empty, fills after the first RSA key is taken, and never hands out a key twice', async () => {
    expect(pool.size('RS256')).toBe(0);
    const first = await pool.take('RS256');
    await eventually(() => pool.size('RS256') === POOL_SIZE);
    const taken = [
      first,
      ...(await Promise.all([pool.take('RS256'), pool.take('RS256'), pool.take('RS256')])),
    ];
    expect(new Set(taken.map((k) => k.kid)).size).toBe(taken.length);
    expect(taken.every((k) => k.alg === 'RS256' && k.privateJwk.d && k.publicJwk.d === undefined)).toBe(true);
    // The three taken from the pool are replaced.
    await eventually(() => pool.size('RS256') === POOL_SIZE);
  }, 120_000);

  it('keeps no stock of cheap key types', async () => {
    const key = await pool.take('ES256');
    expect(key.alg).toBe('ES256');
    expect(pool.size('ES256')).toBe(0);
  });

  it('stops filling at shutdown', async () => {
    await pool.take('PS256');
    pool.onApplicationShutdown();
    expect(pool.size('PS256')).toBe(0);
    const key = await pool.take('PS256');
    expect(key.alg).toBe('PS256');
  });
});
