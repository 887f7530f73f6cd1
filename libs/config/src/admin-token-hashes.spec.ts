import { createHash } from 'node:crypto';
import { ConfigurationError, validateConfig } from './config.module';
import {
  ADMIN_TOKEN_PREFIX,
  adminTokenHashEntry,
  generateAdminToken,
  parseAdminTokenHashes,
} from './admin-token-hashes';

const sha = (token: string): string => createHash('sha256').update(token).digest('hex');

describe('admin token hashes', () => {
  it('generates prefixed tokens of 256 random bits, never twice the same', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateAdminToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token.startsWith(ADMIN_TOKEN_PREFIX)).toBe(true);
      expect(Buffer.from(token.slice(ADMIN_TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
    }
  });

  it('makes the configuration entry of a token from its SHA-256', () => {
    expect(adminTokenHashEntry('ops', 'some-token')).toBe(`ops=sha256:${sha('some-token')}`);
  });

  it('parses named hashes, upper-case hex included', () => {
    const raw = ` ops=sha256:${sha('a')}, ci=sha256:${sha('b').toUpperCase()} ,`;
    expect(parseAdminTokenHashes(raw)).toEqual({
      ok: true,
      hashes: [
        { name: 'ops', sha256: sha('a') },
        { name: 'ci', sha256: sha('b') },
      ],
    });
    expect(parseAdminTokenHashes('')).toEqual({ ok: true, hashes: [] });
  });

  it.each([
    ['no name', `sha256:${sha('a')}`, 'entry 1'],
    ['a bad name', `Ops!=sha256:${sha('a')}`, 'name'],
    ['another algorithm', `ops=md5:${'0'.repeat(32)}`, 'only sha256'],
    ['a short hash', 'ops=sha256:abc', '64 hex digits'],
    ['a name twice', `ops=sha256:${sha('a')},ops=sha256:${sha('b')}`, 'used twice'],
    ['a hash twice', `ops=sha256:${sha('a')},ci=sha256:${sha('a')}`, 'listed twice'],
  ])('refuses %s', (_, raw, expected) => {
    const parsed = parseAdminTokenHashes(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join('\n')).toContain(expected);
  });

  it('never repeats a value in its messages (a plain token pasted by mistake stays out of logs)', () => {
    const pasted = generateAdminToken();
    const parsed = parseAdminTokenHashes(`ops=${pasted}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join('\n')).not.toContain(pasted);
  });

  describe('in the configuration', () => {
    const configError = (env: Record<string, string>): string => {
      try {
        validateConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigurationError);
        return (err as Error).message;
      }
      throw new Error('configuration was accepted');
    };

    it('reads ADMIN_API_TOKEN_HASHES into named hashes', () => {
      expect(validateConfig({ ADMIN_API_TOKEN_HASHES: `ops=sha256:${sha('a')}` })).toMatchObject({
        ADMIN_API_TOKEN_HASHES: [{ name: 'ops', sha256: sha('a') }],
      });
      expect(validateConfig({})).toMatchObject({ ADMIN_API_TOKEN_HASHES: [] });
    });

    it('names the variable and the entry of a bad hash list', () => {
      const message = configError({ ADMIN_API_TOKEN_HASHES: `ops=sha256:${sha('a')},ci=sha256:xyz` });
      expect(message).toContain('ADMIN_API_TOKEN_HASHES');
      expect(message).toContain('entry 2 (ci)');
    });

    it('keeps the name `default` for the plain ADMIN_API_TOKEN', () => {
      const message = configError({
        ADMIN_API_TOKEN: 'a-plain-development-token-0123',
        ADMIN_API_TOKEN_HASHES: `default=sha256:${sha('a')}`,
      });
      expect(message).toContain('ADMIN_API_TOKEN_HASHES: the name default is taken by ADMIN_API_TOKEN');
    });

    it('reads AUDIT_RETENTION_DAYS (default 90) and refuses a bad one', () => {
      expect(validateConfig({})).toMatchObject({ AUDIT_RETENTION_DAYS: 90 });
      expect(validateConfig({ AUDIT_RETENTION_DAYS: '30' })).toMatchObject({ AUDIT_RETENTION_DAYS: 30 });
      expect(configError({ AUDIT_RETENTION_DAYS: '0' })).toContain('AUDIT_RETENTION_DAYS');
    });
  });
});
