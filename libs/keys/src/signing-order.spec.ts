import { compareForSigning, type SigningKeyDates } from './signing-order';

const at = (iso: string): Date => new Date(iso);

describe('compareForSigning', () => {
  it('puts the active key first, then next, then retired, whatever the creation order', () => {
    const retired: SigningKeyDates = {
      state: 'retired',
      createdAt: at('2026-03-01T00:00:00Z'),
      activatedAt: at('2026-03-01T00:00:00Z'),
      retiredAt: at('2026-04-01T00:00:00Z'),
    };
    const active: SigningKeyDates = {
      state: 'active',
      createdAt: at('2026-01-01T00:00:00Z'),
      activatedAt: at('2026-04-01T00:00:00Z'),
      retiredAt: null,
    };
    const next: SigningKeyDates = {
      state: 'next',
      createdAt: at('2026-05-01T00:00:00Z'),
      activatedAt: null,
      retiredAt: null,
    };
    expect([retired, next, active].sort(compareForSigning)).toEqual([active, next, retired]);
  });

  it('puts the most recently activated key first among keys of one state', () => {
    const older: SigningKeyDates = {
      state: 'active',
      createdAt: at('2026-01-01T00:00:00Z'),
      activatedAt: at('2026-01-01T00:00:00Z'),
      retiredAt: null,
    };
    const newer: SigningKeyDates = { ...older, activatedAt: at('2026-02-01T00:00:00Z') };
    expect([older, newer].sort(compareForSigning)).toEqual([newer, older]);
  });
});
