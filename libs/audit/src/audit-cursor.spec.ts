import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor';

describe('audit page cursor', () => {
  const cursor = {
    occurredAt: new Date('2026-01-02T03:04:05.678Z'),
    id: '3f1c2a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6',
  };

  it('round-trips and is opaque (URL-safe, not the raw values)', () => {
    const text = encodeAuditCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text).not.toContain(cursor.id);
    expect(decodeAuditCursor(text)).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['no separator', Buffer.from('2026-01-02T03:04:05.678Z').toString('base64url')],
    ['a bad id', Buffer.from('2026-01-02T03:04:05.678Z|42').toString('base64url')],
    ['a bad time', Buffer.from(`yesterday|${cursor.id}`).toString('base64url')],
    ['an impossible time', Buffer.from(`2026-13-45T03:04:05.678Z|${cursor.id}`).toString('base64url')],
    ['extra parts', Buffer.from(`2026-01-02T03:04:05.678Z|${cursor.id}|x`).toString('base64url')],
    ['too long', 'A'.repeat(500)],
  ])('refuses %s', (_, text) => {
    expect(decodeAuditCursor(text)).toBeNull();
  });
});
