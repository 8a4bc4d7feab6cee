import { observablesOf } from '../../../shared/core/pipeline/observables';

describe('observables of objects', () => {
  it('reads the comparisons of an indicator pattern and the values of SCOs', () => {
    expect(
      observablesOf({
        type: 'indicator',
        id: 'indicator--1',
        pattern: "[url:value = 'http://evil.example/a'] OR [file:hashes.'SHA-256' = 'AB12']",
      }),
    ).toEqual([
      { kind: 'url', value: 'http://evil.example/a' },
      { kind: 'hash', value: 'AB12' },
    ]);
    expect(observablesOf({ type: 'ipv4-addr', id: 'ipv4-addr--1', value: '10.0.0.1' })).toEqual([{ kind: 'ip', value: '10.0.0.1' }]);
  });
});
