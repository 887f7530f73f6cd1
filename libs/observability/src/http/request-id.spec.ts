import { requestIdFrom, sanitizeRequestId } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('sanitizeRequestId', () => {
  it.each([
    'f47ac10b-58cc-4372-a567-0e02b2c3d479',
    'abc123',
    'Root=1-67891233-abcdef012345678912345678',
    'req.2024:01_x',
    'a'.repeat(128),
  ])('accepts %s', (id) => {
    expect(sanitizeRequestId(id)).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['a space', 'abc def'],
    ['a newline (log forging)', 'abc\n{"level":"info"}'],
    ['a carriage return', 'abc\r'],
    ['quotes', 'abc"def'],
    ['a leading dash', '-abc'],
    ['HTML', '<script>'],
    ['non-ASCII', 'abcé'],
    ['a slash', 'a/b'],
  ])('refuses an id with %s', (_what, id) => {
    expect(sanitizeRequestId(id)).toBeUndefined();
  });

  it('ignores a missing or repeated header', () => {
    expect(sanitizeRequestId(undefined)).toBeUndefined();
    expect(sanitizeRequestId(['a', 'b'])).toBeUndefined();
  });
});

describe('requestIdFrom', () => {
  it("keeps the caller's safe id", () => {
    expect(requestIdFrom('trace-42')).toBe('trace-42');
  });

  it('generates a fresh UUID otherwise', () => {
    const a = requestIdFrom('bad id');
    const b = requestIdFrom(undefined);
    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
  });
});
