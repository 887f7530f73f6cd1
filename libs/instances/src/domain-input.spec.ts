import { checkedDomains, MAX_CUSTOM_DOMAINS } from './domain-input';
import { InstanceInputRejected } from './instance-errors';

const rejection = (raw: string[], base = 'my.erp.net'): InstanceInputRejected => {
  try {
    checkedDomains(raw, base);
  } catch (err) {
    if (err instanceof InstanceInputRejected) return err;
    throw err;
  }
  throw new Error('expected a rejection');
};

describe('checkedDomains', () => {
  it('normalizes, removes repeats and sorts', () => {
    expect(checkedDomains(['WWW.Acme.test', 'id.acme.test.', 'www.acme.test'], 'my.erp.net')).toEqual([
      'id.acme.test',
      'www.acme.test',
    ]);
  });

  it('names the entry as the caller numbered it', () => {
    expect(rejection(['z.acme.test', 'a b.test'])).toMatchObject({ field: 'customDomains.1' });
  });

  it('refuses names at or under the base domain', () => {
    expect(rejection(['acme.my.erp.net']).message).toContain('under the base domain');
    expect(rejection(['my.erp.net']).field).toBe('customDomains.0');
  });

  it('refuses IP addresses and single labels', () => {
    expect(rejection(['192.0.2.1']).field).toBe('customDomains.0');
    expect(rejection(['intranet']).field).toBe('customDomains.0');
  });

  it(`accepts at most ${MAX_CUSTOM_DOMAINS}`, () => {
    const many = Array.from({ length: MAX_CUSTOM_DOMAINS + 1 }, (_, i) => `d${i}.acme.test`);
    expect(rejection(many).field).toBe('customDomains');
    expect(checkedDomains(many.slice(1), 'my.erp.net')).toHaveLength(MAX_CUSTOM_DOMAINS);
  });
});
