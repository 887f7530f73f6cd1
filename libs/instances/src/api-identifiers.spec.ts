import { checkedApiIdentifiers } from './api-identifiers';
import { InstanceInputRejected } from './instance-errors';

describe('checkedApiIdentifiers', () => {
  it('keeps https identifiers of the APIs given', () => {
    expect(checkedApiIdentifiers({ domain: { identifier: 'https://erp.acme.test/domain' } })).toEqual({
      domain: { identifier: 'https://erp.acme.test/domain' },
    });
    expect(
      checkedApiIdentifiers({
        domain: { identifier: 'https://erp.acme.test/domain' },
        table: { identifier: 'https://erp.acme.test/table' },
      }),
    ).toEqual({
      domain: { identifier: 'https://erp.acme.test/domain' },
      table: { identifier: 'https://erp.acme.test/table' },
    });
  });

  it.each([
    ['http://erp.acme.test/domain', 'apis.domain.identifier'],
    ['/api/domain', 'apis.domain.identifier'],
    ['https://erp.acme.test/domain#x', 'apis.domain.identifier'],
    ['https://erp.acme.test/domain?x=1', 'apis.domain.identifier'],
    ['https://user:pw@erp.acme.test/domain', 'apis.domain.identifier'],
  ])('refuses %s naming %s', (identifier, field) => {
    expect(() => checkedApiIdentifiers({ domain: { identifier } })).toThrow(InstanceInputRejected);
    try {
      checkedApiIdentifiers({ domain: { identifier } });
    } catch (err) {
      expect((err as InstanceInputRejected).field).toBe(field);
    }
  });

  it('refuses the same identifier for both APIs', () => {
    const identifier = 'https://erp.acme.test/api';
    expect(() => checkedApiIdentifiers({ domain: { identifier }, table: { identifier } })).toThrow(
      /different identifiers/,
    );
  });
});
