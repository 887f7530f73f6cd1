import { randomUUID } from 'node:crypto';
import { AuditRecorder, type AuditEventInput } from '@erp-id/audit';
import { MemoryStateStore } from '@erp-id/state';
import type { DataSource } from 'typeorm';
import { ADDRESS_REFUSAL_AUDIT_SECONDS, SignInAddressRule } from './sign-in-address-rule';
import type { SignInInstance } from './sign-in.service';

/** The recorder's contract (resolve, never reject) over a list instead of a table. */
class RecordedEvents extends AuditRecorder {
  readonly events: AuditEventInput[] = [];

  constructor() {
    super({} as DataSource);
  }

  override async record(event: AuditEventInput): Promise<void> {
    this.events.push(event);
  }
}

const instanceAllowing = (ranges: string[], name = `inst-${randomUUID().slice(0, 8)}`): SignInInstance => ({
  id: randomUUID(),
  name,
  policies: { allowedSignInIpRanges: ranges },
});

describe('SignInAddressRule', () => {
  const OFFICE = ['203.0.113.0/24', '2001:db8::/32'];
  let state: MemoryStateStore;
  let audit: RecordedEvents;
  let rule: SignInAddressRule;

  beforeEach(() => {
    state = new MemoryStateStore();
    audit = new RecordedEvents();
    rule = new SignInAddressRule(state.counters, audit);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    return state.close();
  });

  it('allows every address when the policy lists no range, and records nothing', async () => {
    const open = instanceAllowing([]);
    for (const ip of ['198.51.100.9', '2001:db8::1', '::ffff:10.0.0.1', '127.0.0.1']) {
      expect(await rule.check(open, ip)).toEqual({ allowed: true });
    }
    const noPolicy: SignInInstance = { id: randomUUID(), name: 'bare', policies: {} };
    expect(await rule.check(noPolicy, '198.51.100.9')).toEqual({ allowed: true });
    expect(audit.events).toEqual([]);
  });

  it.each([
    ['203.0.113.7', 'IPv4 inside'],
    ['203.0.113.255', 'IPv4 at the end of the range'],
    ['2001:db8::7', 'IPv6 inside'],
    ['2001:DB8:0:0::ABCD', 'IPv6 spelled in capitals and long'],
    ['::ffff:203.0.113.7', 'IPv4 mapped into IPv6 by a dual-stack listener'],
  ])('allows %s (%s)', async (ip) => {
    expect(await rule.check(instanceAllowing(OFFICE), ip)).toEqual({ allowed: true });
    expect(audit.events).toEqual([]);
  });

  it.each([
    ['198.51.100.9', '198.51.100.9'],
    ['203.0.114.1', '203.0.114.1'],
    ['2001:db9::1', '2001:db9::1'],
    ['::ffff:198.51.100.9', '198.51.100.9'],
    ['2001:0DB9:0000::0001', '2001:db9::1'],
  ])('refuses %s, naming it as %s', async (ip, shown) => {
    expect(await rule.check(instanceAllowing(OFFICE), ip)).toEqual({ allowed: false, address: shown });
  });

  it.each(['unknown', '', 'not an address'])(
    'refuses %p forwarded in place of an address, without an error',
    async (forwarded) => {
      expect(await rule.check(instanceAllowing(OFFICE), forwarded)).toEqual({
        allowed: false,
        address: 'unknown',
      });
      expect(await rule.check(instanceAllowing([]), forwarded)).toEqual({ allowed: true });
    },
  );

  it('records a refusal with the address and the client, never anything else', async () => {
    const instance = instanceAllowing(OFFICE);

    await rule.check(instance, '::ffff:198.51.100.9', { clientId: 'portal' });

    expect(audit.events).toEqual([
      {
        instanceId: instance.id,
        actor: 'anonymous',
        action: 'sign_in.address_refused',
        target: null,
        sourceAddress: '198.51.100.9',
        details: { clientId: 'portal' },
      },
    ]);
  });

  it('records one refusal per address and instance in a window, however often it is refused', async () => {
    const instance = instanceAllowing(OFFICE);
    const other = instanceAllowing(OFFICE);

    for (let i = 0; i < 20; i += 1) await rule.check(instance, '198.51.100.9', { clientId: 'portal' });
    // The same address spelled otherwise is the same address.
    await rule.check(instance, '::ffff:198.51.100.9');
    await rule.check(instance, '2001:db9::1');
    await rule.check(other, '198.51.100.9');

    expect(audit.events.map((e) => [e.instanceId, e.sourceAddress])).toEqual([
      [instance.id, '198.51.100.9'],
      [instance.id, '2001:db9::1'],
      [other.id, '198.51.100.9'],
    ]);
  });

  it('records the address again once the window is over', async () => {
    const instance = instanceAllowing(OFFICE);
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);

    await rule.check(instance, '198.51.100.9');
    clock.mockReturnValue(start + (ADDRESS_REFUSAL_AUDIT_SECONDS - 1) * 1000);
    await rule.check(instance, '198.51.100.9');
    expect(audit.events).toHaveLength(1);

    clock.mockReturnValue(start + (ADDRESS_REFUSAL_AUDIT_SECONDS + 1) * 1000);
    expect(await rule.check(instance, '198.51.100.9')).toEqual({ allowed: false, address: '198.51.100.9' });
    expect(audit.events).toHaveLength(2);
  });

  it('follows a policy change at once (nothing about the ranges is remembered)', async () => {
    const instance = instanceAllowing(['10.0.0.0/8']);
    expect((await rule.check(instance, '203.0.113.7')).allowed).toBe(false);

    const widened = { ...instance, policies: { allowedSignInIpRanges: ['10.0.0.0/8', '203.0.113.0/24'] } };
    expect(await rule.check(widened, '203.0.113.7')).toEqual({ allowed: true });
  });
});
