import type { DataSource } from 'typeorm';
import { CustomDomainRegistry } from './custom-domain-registry';
import type { InstanceRegistry } from './instance-registry';

/** Domain rows as the registry reads them; `lookups` counts trips to the database. */
class FakeDatabase {
  readonly rows = new Map<string, string>();
  lookups = 0;
  /** When set, the next lookup waits for this before answering. */
  gate: Promise<void> | undefined;

  readonly dataSource = {
    getRepository: () => ({
      findOne: async ({ where }: { where: { domain: string } }) => {
        this.lookups += 1;
        const answer = this.rows.get(where.domain);
        const gate = this.gate;
        this.gate = undefined;
        if (gate) await gate;
        return answer === undefined ? null : { domain: where.domain, instance: { name: answer } };
      },
    }),
  } as unknown as DataSource;
}

function setUp() {
  const db = new FakeDatabase();
  let invalidate: (name: string) => void = () => undefined;
  const registry = {
    onInvalidate: (listener: (name: string) => void) => {
      invalidate = listener;
    },
  } as unknown as InstanceRegistry;
  const domains = new CustomDomainRegistry(db.dataSource, registry);
  domains.onModuleInit();
  return { db, domains, invalidate: (name: string) => invalidate(name) };
}

describe('CustomDomainRegistry', () => {
  it('looks a domain up once, then answers from memory', async () => {
    const { db, domains } = setUp();
    db.rows.set('login.acme.test', 'acme');
    expect(await domains.instanceNameFor('login.acme.test')).toBe('acme');
    expect(await domains.instanceNameFor('login.acme.test')).toBe('acme');
    expect(db.lookups).toBe(1);
  });

  it('shares one lookup between concurrent requests', async () => {
    const { db, domains } = setUp();
    db.rows.set('login.acme.test', 'acme');
    const answers = await Promise.all([1, 2, 3].map(() => domains.instanceNameFor('login.acme.test')));
    expect(answers).toEqual(['acme', 'acme', 'acme']);
    expect(db.lookups).toBe(1);
  });

  it('caches an unknown domain, until some instance changes', async () => {
    const { db, domains, invalidate } = setUp();
    expect(await domains.instanceNameFor('new.acme.test')).toBeNull();
    db.rows.set('new.acme.test', 'acme');
    expect(await domains.instanceNameFor('new.acme.test')).toBeNull();
    expect(db.lookups).toBe(1);
    invalidate('acme');
    expect(await domains.instanceNameFor('new.acme.test')).toBe('acme');
  });

  it('drops the domains of a changed instance and keeps the others', async () => {
    const { db, domains, invalidate } = setUp();
    db.rows.set('login.acme.test', 'acme');
    db.rows.set('id.beta.test', 'beta');
    await domains.instanceNameFor('login.acme.test');
    await domains.instanceNameFor('id.beta.test');
    db.rows.delete('login.acme.test');
    invalidate('acme');
    expect(await domains.instanceNameFor('login.acme.test')).toBeNull();
    expect(await domains.instanceNameFor('id.beta.test')).toBe('beta');
    expect(db.lookups).toBe(3);
  });

  it('does not cache an answer read before a change', async () => {
    const { db, domains, invalidate } = setUp();
    db.rows.set('login.acme.test', 'acme');
    let release: () => void = () => undefined;
    db.gate = new Promise<void>((r) => (release = r));
    const stale = domains.instanceNameFor('login.acme.test');
    db.rows.delete('login.acme.test');
    invalidate('acme');
    release();
    expect(await stale).toBe('acme');
    expect(await domains.instanceNameFor('login.acme.test')).toBeNull();
  });
});
