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
