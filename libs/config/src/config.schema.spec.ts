import { ConfigurationError, validateConfig } from './config.module';

describe('configuration', () => {
  it('applies the documented defaults', () => {
    expect(validateConfig({})).toMatchObject({
      PORT: 3000,
      ADMIN_PORT: 3001,
      ADMIN_HOST: '127.0.0.1',
      BASE_DOMAIN: 'localhost',
      DATA_DIR: './.data',
      LOG_LEVEL: 'info',
      TRUSTED_PROXIES: [],
    });
  });

  it('parses lists and numbers', () => {
    const config = validateConfig({ PORT: '8080', TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1, ::1/128' });
    expect(config).toMatchObject({ PORT: 8080, TRUSTED_PROXIES: ['10.0.0.0/8', '192.168.1.1', '::1/128'] });
  });

  it('reads previous key-encryption keys as a list and refuses bad or repeated ones', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');
    const c = Buffer.alloc(32, 3).toString('base64url');
    expect(validateConfig({ KEY_ENCRYPTION_KEY: a })).toMatchObject({ KEY_ENCRYPTION_KEY_PREVIOUS: [] });
    expect(validateConfig({ KEY_ENCRYPTION_KEY: a, KEY_ENCRYPTION_KEY_PREVIOUS: '' })).toMatchObject({
      KEY_ENCRYPTION_KEY_PREVIOUS: [],
    });
    expect(
      validateConfig({ KEY_ENCRYPTION_KEY: a, KEY_ENCRYPTION_KEY_PREVIOUS: ` ${b} , ${c}` }),
    ).toMatchObject({
      KEY_ENCRYPTION_KEY_PREVIOUS: [b, c],
    });
    const refused = (env: Record<string, string>): string => {
      try {
        validateConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigurationError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ KEY_ENCRYPTION_KEY: a, KEY_ENCRYPTION_KEY_PREVIOUS: `${b},not-a-key` })).toMatch(
      /KEY_ENCRYPTION_KEY_PREVIOUS: key 2: must be 32 bytes, base64/,
    );
    expect(
      refused({ KEY_ENCRYPTION_KEY: a, KEY_ENCRYPTION_KEY_PREVIOUS: Buffer.alloc(16).toString('base64') }),
    ).toMatch(/KEY_ENCRYPTION_KEY_PREVIOUS: key 1: must be 32 bytes/);
    // The same key in URL-safe spelling is still the current key.
    expect(
      refused({
        KEY_ENCRYPTION_KEY: a,
        KEY_ENCRYPTION_KEY_PREVIOUS: Buffer.alloc(32, 1).toString('base64url'),
      }),
    ).toMatch(/KEY_ENCRYPTION_KEY_PREVIOUS: key 1 repeats KEY_ENCRYPTION_KEY/);
    expect(refused({ KEY_ENCRYPTION_KEY: a, KEY_ENCRYPTION_KEY_PREVIOUS: `${b},${b}` })).toMatch(
      /key 2 repeats/,
    );
    expect(refused({ KEY_ENCRYPTION_KEY: `${a}!` })).toMatch(/KEY_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('names every bad variable in one message', () => {
    let message = '';
    try {
      validateConfig({
        PORT: 'eighty',
        KEY_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64'),
        TRUSTED_PROXIES: '10.0.0.0/33',
        DATABASE_URL: 'mysql://x',
        ADMIN_API_TOKEN: 'short',
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigurationError);
      message = (err as Error).message;
    }
    for (const name of ['PORT', 'KEY_ENCRYPTION_KEY', 'TRUSTED_PROXIES', 'DATABASE_URL', 'ADMIN_API_TOKEN']) {
      expect(message).toContain(name);
    }
  });
});
