import { instanceNameProblem } from './instance-name';

describe('instanceNameProblem', () => {
  it.each(['testdb', 'a', 'acme-2', '0day', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(instanceNameProblem(name)).toBeNull();
  });

  it.each(['', 'Acme', '-acme', 'acme-', 'ac_me', 'ac.me', 'x'.repeat(64), 'ümlaut'])(
    'refuses %p as invalid',
    (name) => {
      expect(instanceNameProblem(name)).toBe('invalid');
    },
  );

  it.each(['www', 'admin', 'api', 'id', 'sys'])('refuses %s as reserved', (name) => {
    expect(instanceNameProblem(name)).toBe('reserved');
  });
});
