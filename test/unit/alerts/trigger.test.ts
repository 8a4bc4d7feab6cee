import { alertOf, alertIdOf, URGENT_LABEL } from '../../../shared/core/alerts/trigger';
import { T, C } from './fixtures';

describe('what raises an alert', () => {
  it('alerts every commit of an `alert: all` collection, only marked ones elsewhere, and corrections and revocations of what was alerted', () => {
    const plain = { object: { type: 'indicator', id: 'indicator--1' } };
    const marked = { object: { type: 'indicator', id: 'indicator--1', labels: [URGENT_LABEL] } };
    const revoked = { object: { type: 'indicator', id: 'indicator--1', revoked: true } };
    expect(alertOf(plain, { alert: 'marked' }, false)).toBeUndefined();
    expect(alertOf(plain, { alert: 'all' }, false)).toEqual({ kind: 'new', urgent: false });
    expect(alertOf(marked, { alert: 'marked' }, false)).toEqual({ kind: 'new', urgent: true });
    expect(alertOf(plain, { alert: 'marked' }, true)).toEqual({ kind: 'correction', urgent: false });
    expect(alertOf(revoked, { alert: 'marked' }, true)).toEqual({ kind: 'revocation', urgent: false });
  });

  it('derives one alert id per tenant, collection, object and version', () => {
    expect(alertIdOf(T, C, 'indicator--1', 'v1')).toBe(alertIdOf(T, C, 'indicator--1', 'v1'));
    expect(
      new Set([alertIdOf(T, C, 'indicator--1', 'v1'), alertIdOf(T, C, 'indicator--1', 'v2'), alertIdOf('other', C, 'indicator--1', 'v1')])
        .size,
    ).toBe(3);
  });
});
