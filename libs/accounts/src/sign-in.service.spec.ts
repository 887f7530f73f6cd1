import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditRecorder, type AuditEventInput, type AuditObserver } from '@erp-id/audit';
import { UserEntity, type UserKind, type UserStatus } from '@erp-id/persistence';
import { MemoryStateStore } from '@erp-id/state';
import type { DataSource } from 'typeorm';
import { AccountLockout } from './account-lockout';
import { DECOY_PASSWORD_HASH } from './decoy-hash';
import { hashSecret, verifySecret } from './secret-hasher';
import { type SignInInstance, SignInService } from './sign-in.service';
import type { UserLookup } from './user-lookup';
import { normalizeUsername } from './user-rules';

/** Users in a map, found the way UsersService finds them: normalized name, active only. */
class FakeUsers implements UserLookup {
  private readonly rows: UserEntity[] = [];

  async add(
    instanceId: string,
    username: string,
    password: string,
    status: UserStatus = 'active',
    kind: UserKind = 'internal',
  ) {
    const row = Object.assign(new UserEntity(), {
      id: randomUUID(),
      instanceId,
      username,
      usernameNormalized: normalizeUsername(username),
      kind,
      status,
      passwordHash: await hashSecret(password),
    });
    this.rows.push(row);
    return row;
  }

  async findActiveByUsername(instanceId: string, username: string): Promise<UserEntity | null> {
    const normalized = normalizeUsername(username);
    return (
      this.rows.find(
        (r) => r.instanceId === instanceId && r.usernameNormalized === normalized && r.status === 'active',
      ) ?? null
    );
  }
}

const instanceNamed = (
  name: string,
  lockout: Record<string, number> = {},
  more: Record<string, unknown> = {},
): SignInInstance => ({
  id: randomUUID(),
  name,
  policies: { lockout, ...more },
});

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

describe('SignInService', () => {
  const PASSWORD = 'correct horse battery';
  let state: MemoryStateStore;
  let users: FakeUsers;
  let signIn: SignInService;
  let instance: SignInInstance;
  let alice: UserEntity;
  let audit: RecordedEvents;

  beforeEach(async () => {
    state = new MemoryStateStore();
    users = new FakeUsers();
    audit = new RecordedEvents();
    signIn = new SignInService(users, new AccountLockout(state.counters), audit);
    instance = instanceNamed(`inst-${randomUUID().slice(0, 8)}`);
    alice = await users.add(instance.id, 'Alice', PASSWORD);
  });

  afterEach(() => state.close());

  const attempt = (password: string, username = 'alice', ip = '203.0.113.7', at = instance) =>
    signIn.attempt(at, username, password, ip);

  it('signs in with the right password, whatever the case or width of the username', async () => {
    for (const username of ['alice', 'ALICE', ' Alice ', 'Ａｌｉｃｅ']) {
      const result = await attempt(PASSWORD, username);
      expect(result).toEqual({ outcome: 'success', user: alice });
    }
  });

  it('answers a wrong password, an unknown and a disabled user alike', async () => {
    await users.add(instance.id, 'bob', PASSWORD, 'disabled');

    expect(await attempt('wrong password')).toEqual({ outcome: 'invalid' });
    expect(await attempt(PASSWORD, 'nobody')).toEqual({ outcome: 'invalid' });
    expect(await attempt(PASSWORD, 'bob')).toEqual({ outcome: 'invalid' });
  });

  it('locks the account at the fifth failure, then refuses even the right password', async () => {
    for (let i = 1; i < 5; i += 1) expect(await attempt(`wrong-${i}`)).toEqual({ outcome: 'invalid' });

    expect(await attempt('wrong-5')).toEqual({ outcome: 'locked', retryAfterSeconds: 900 });

    const locked = await attempt(PASSWORD);
    expect(locked.outcome).toBe('locked');
    if (locked.outcome === 'locked') {
      expect(locked.retryAfterSeconds).toBeGreaterThan(890);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(900);
    }
    // The lock is the account's, not the address's: from elsewhere it is locked too.
    expect((await attempt(PASSWORD, 'alice', '198.51.100.1')).outcome).toBe('locked');
  });

  it('forgets the failures after a successful sign-in', async () => {
    for (let i = 0; i < 4; i += 1) await attempt('wrong');
    expect((await attempt(PASSWORD)).outcome).toBe('success');

    for (let i = 0; i < 4; i += 1) expect(await attempt('wrong')).toEqual({ outcome: 'invalid' });
    expect((await attempt(PASSWORD)).outcome).toBe('success');
  });

  it("follows the instance's lockout policy and lifts the lock when its duration is over", async () => {
    const strict = instanceNamed(instance.name, { maxAttempts: 2, windowSeconds: 60, durationSeconds: 1 });
    const bob = await users.add(strict.id, 'bob', PASSWORD);

    expect(await attempt('wrong', 'bob', undefined, strict)).toEqual({ outcome: 'invalid' });
    expect(await attempt('wrong', 'bob', undefined, strict)).toEqual({
      outcome: 'locked',
      retryAfterSeconds: 1,
    });
    expect((await attempt(PASSWORD, 'bob', undefined, strict)).outcome).toBe('locked');

    await sleep(1_100);
    expect(await attempt(PASSWORD, 'bob', undefined, strict)).toEqual({ outcome: 'success', user: bob });
  });

  it('counts failures only within the window', async () => {
    const short = instanceNamed(instance.name, { maxAttempts: 2, windowSeconds: 1, durationSeconds: 60 });
    await users.add(short.id, 'carol', PASSWORD);

    expect(await attempt('wrong', 'carol', undefined, short)).toEqual({ outcome: 'invalid' });
    await sleep(1_100);
    // The first failure has left the window: this is the first of a new one.
    expect(await attempt('wrong', 'carol', undefined, short)).toEqual({ outcome: 'invalid' });
    expect((await attempt('wrong', 'carol', undefined, short)).outcome).toBe('locked');
  });

  it('locks an address that fails four times the account limit, for every username', async () => {
    const spray = instanceNamed(instance.name, { maxAttempts: 2 });
    const dave = await users.add(spray.id, 'dave', PASSWORD);
    const sprayer = '2001:db8::66';

    // Eight accounts (most of them unknown) tried once each: no account reaches its limit.
    for (let i = 1; i < 8; i += 1) {
      expect(await attempt('guess', `user-${i}`, sprayer, spray)).toEqual({ outcome: 'invalid' });
    }
    expect(await attempt('guess', 'user-8', sprayer, spray)).toEqual({
      outcome: 'locked',
      retryAfterSeconds: 900,
    });

    expect((await attempt(PASSWORD, 'dave', sprayer, spray)).outcome).toBe('locked');
    // Another spelling of the same address is the same address.
    expect((await attempt(PASSWORD, 'dave', '2001:DB8:0:0::66', spray)).outcome).toBe('locked');
    expect(await attempt(PASSWORD, 'dave', '198.51.100.1', spray)).toEqual({
      outcome: 'success',
      user: dave,
    });
  });

  it('unlock lifts the lock and forgets the failures', async () => {
    for (let i = 0; i < 5; i += 1) await attempt('wrong');
    expect((await attempt(PASSWORD)).outcome).toBe('locked');

    await signIn.unlock(instance.name, alice.id);

    expect((await attempt(PASSWORD)).outcome).toBe('success');
    for (let i = 0; i < 4; i += 1) expect(await attempt('wrong')).toEqual({ outcome: 'invalid' });
  });

  it('keeps the locks of two instances apart', async () => {
    const other = instanceNamed(`inst-${randomUUID().slice(0, 8)}`);
    const otherAlice = await users.add(other.id, 'alice', PASSWORD);
    for (let i = 0; i < 5; i += 1) await attempt('wrong');

    expect((await attempt(PASSWORD)).outcome).toBe('locked');
    expect(await attempt(PASSWORD, 'alice', undefined, other)).toEqual({
      outcome: 'success',
      user: otherAlice,
    });
  });

  it('counts every client "address" that is not one (a proxy forwarding junk) as one address', async () => {
    const spray = instanceNamed(instance.name, { maxAttempts: 2 });
    const dave = await users.add(spray.id, 'dave', PASSWORD);
    const junk = ['', 'localhost', '10.0.0.1:443', 'signin-fail'];
    // Eight failures spread over the four spellings lock all of them together, never an error.
    for (let i = 1; i < 8; i += 1) {
      expect(await attempt('guess', `user-${i}`, junk[i % 4], spray)).toEqual({ outcome: 'invalid' });
    }
    expect((await attempt('guess', 'user-8', junk[0], spray)).outcome).toBe('locked');
    for (const ip of junk) expect((await attempt(PASSWORD, 'dave', ip, spray)).outcome).toBe('locked');
    expect(await attempt(PASSWORD, 'dave', '198.51.100.2', spray)).toEqual({
      outcome: 'success',
      user: dave,
    });
  });

  it('verifies unknown users against a decoy hash made like every stored hash', async () => {
    const parameters = (hash: string) => hash.split('$').slice(0, 4).join('$');
    expect(parameters(DECOY_PASSWORD_HASH)).toBe(parameters(await hashSecret('anything')));
    expect(await verifySecret(DECOY_PASSWORD_HASH, PASSWORD)).toBe(false);
  });

  describe('audit', () => {
    it('records a success with the account as actor and target, and the canonical client address', async () => {
      await attempt(PASSWORD, ' ALICE ', '::ffff:203.0.113.7');
      expect(audit.events).toEqual([
        {
          instanceId: instance.id,
          actor: 'Alice',
          action: 'sign_in.succeeded',
          target: { type: 'user', id: alice.id },
          sourceAddress: '203.0.113.7',
          details: {},
        },
      ]);
    });

    it('tells an unknown user from a wrong password in the details only, never with the password', async () => {
      const unknown = await attempt('secret-guess-1', 'nobody');
      const wrong = await attempt('secret-guess-2');
      expect(unknown).toEqual(wrong);
      expect(audit.events.map((e) => [e.action, e.actor, e.target, e.details])).toEqual([
        ['sign_in.failed', 'nobody', null, { reason: 'unknown_user' }],
        ['sign_in.failed', 'Alice', { type: 'user', id: alice.id }, { reason: 'wrong_password' }],
      ]);
      expect(JSON.stringify(audit.events)).not.toMatch(/secret-guess/);
    });

    it('records the failure that sets a lock and every attempt refused by it as lockouts', async () => {
      for (let i = 1; i <= 6; i += 1) await attempt(`wrong-${i}`);
      const actions = audit.events.map((e) => e.action);
      expect(actions).toEqual([
        ...Array(4).fill('sign_in.failed'),
        'sign_in.locked_out',
        'sign_in.locked_out',
      ]);
      expect(audit.events[4]!.details).toEqual({ reason: 'wrong_password', retryAfterSeconds: 900 });
      expect(audit.events[5]!.details).toMatchObject({ reason: 'account_locked' });
    });

    it('refuses an external user where the policy keeps them out, and says why in the audit', async () => {
      const closed = instanceNamed(instance.name, {}, { externalUsersAllowed: false });
      await users.add(closed.id, 'erin', PASSWORD, 'active', 'external');
      expect(await attempt(PASSWORD, 'erin', undefined, closed)).toEqual({ outcome: 'invalid' });
      expect(audit.events.at(-1)).toMatchObject({
        action: 'sign_in.failed',
        details: { reason: 'external_users_not_allowed' },
      });
    });

    it('signs in even when the audit row cannot be written, and counts the failure', async () => {
      const failures: string[] = [];
      const observer: AuditObserver = { writeFailed: (source) => failures.push(source) };
      const broken = { getRepository: () => ({ insert: () => Promise.reject(new Error('db down')) }) };
      const quietRecorder = new AuditRecorder(broken as unknown as DataSource, observer);
      jest.spyOn(quietRecorder['logger'], 'error').mockImplementation(() => undefined);
      const service = new SignInService(users, new AccountLockout(state.counters), quietRecorder);

      expect(await service.attempt(instance, 'alice', PASSWORD, '203.0.113.7')).toEqual({
        outcome: 'success',
        user: alice,
      });
      expect(failures).toEqual(['sign_in']);
    });
  });
});
