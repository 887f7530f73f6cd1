import type { DataSource } from 'typeorm';
import { REDACTED, sanitizeDetails } from './audit-details';
import { AuditRecorder } from './audit-recorder';

describe('audit details', () => {
  it('drops every field that names a secret, at any depth, and says which', () => {
    const { details, dropped } = sanitizeDetails({
      fields: ['password', 'kind'],
      password: 'correct horse battery staple',
      clientSecret: 's3cr3t',
      nested: { accessToken: 'x', refresh_token: 'y', passwordHash: '$argon2id$...', kind: 'internal' },
      list: [{ authorization: 'Bearer abc', code: 'c0de', ok: 1 }],
      privateKey: 'k',
      keep: 'this',
    });
    expect(details).toEqual({
      fields: ['password', 'kind'],
      nested: { kind: 'internal' },
      list: [{ ok: 1 }],
      keep: 'this',
    });
    expect(dropped.sort()).toEqual(
      [
        'password',
        'clientSecret',
        'nested.accessToken',
        'nested.refresh_token',
        'nested.passwordHash',
        'list[0].authorization',
        'list[0].code',
        'privateKey',
      ].sort(),
    );
  });

  it('redacts values that are secrets whatever their key: admin tokens, JWTs, PEM keys', () => {
    const { details } = sanitizeDetails({
      note: 'erp_adm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
      pem: '-----BEGIN PRIVATE KEY-----\nMIIE...',
      plain: 'client.updated',
    });
    expect(details).toEqual({ note: REDACTED, jwt: REDACTED, pem: REDACTED, plain: 'client.updated' });
  });

  it('bounds size: long strings, deep nesting, long lists', () => {
    const { details } = sanitizeDetails({
      long: 'x'.repeat(1000),
      deep: { a: { b: { c: { d: { e: 1 } } } } },
      many: Array.from({ length: 500 }, (_, i) => i),
    });
    expect((details.long as string).length).toBeLessThanOrEqual(201);
    expect(JSON.stringify(details.deep)).toContain('[truncated]');
    expect(details.many).toHaveLength(50);
  });

  describe('the recorder', () => {
    it('writes sanitized details only, never a secret field', async () => {
      const inserted: Array<Record<string, unknown>> = [];
      const dataSource = {
        getRepository: () => ({ insert: async (row: Record<string, unknown>) => void inserted.push(row) }),
      } as unknown as DataSource;
      const recorder = new AuditRecorder(dataSource);
      jest.spyOn(recorder['logger'], 'warn').mockImplementation(() => undefined);

      await recorder.record(
        {
          instanceId: '00000000-0000-4000-8000-000000000001',
          actor: 'ops',
          action: 'user.updated',
          target: { type: 'user', id: 'u1' },
          details: { fields: ['password'], password: 'hunter2hunter2', clientSecret: 'abc' },
        },
        'admin',
      );

      expect(inserted).toHaveLength(1);
      expect(inserted[0]).toMatchObject({
        actor: 'ops',
        action: 'user.updated',
        targetType: 'user',
        targetId: 'u1',
        details: { fields: ['password'] },
      });
      expect(JSON.stringify(inserted)).not.toMatch(/hunter2|"abc"/);
    });
  });
});
