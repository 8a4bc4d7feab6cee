import { addressOf } from '../../../shared/core/pipeline/message';

describe('addressOf: where a malformed pipeline message settles', () => {
  it('names the status and the entries that still read', () => {
    const raw = {
      tenantId: 'ics-isac',
      statusId: 's1',
      submittedAt: 42,
      items: [{ entry: 0 }, { entry: 'two' }, null, { entry: 3, object: 'not an object' }],
    };

    expect(addressOf(raw)).toEqual({ tenantId: 'ics-isac', statusId: 's1', entries: [0, 3] });
  });

  it('leaves the entries open when none reads, so every pending one is settled', () => {
    expect(addressOf({ tenantId: 'ics-isac', statusId: 's1', items: 'garbage' })).toEqual({ tenantId: 'ics-isac', statusId: 's1' });
    expect(addressOf({ tenantId: 'ics-isac', statusId: 's1', items: [{ entry: -1 }, { entry: 1.5 }] })).toEqual({
      tenantId: 'ics-isac',
      statusId: 's1',
    });
  });

  it('names nothing when the message does not say whose status it is', () => {
    expect(addressOf(undefined)).toBeUndefined();
    expect(addressOf([1, 2])).toBeUndefined();
    expect(addressOf({ tenantId: 'ics-isac' })).toBeUndefined();
    expect(addressOf({ tenantId: '', statusId: 's1' })).toBeUndefined();
  });
});
