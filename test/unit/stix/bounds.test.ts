import { OBJECT_LIMITS, objectLimitExceeded } from '../../../shared/core/stix/bounds';

const indicator = (extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  ...extra,
});

function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 'x' };
  for (let i = 0; i < levels; i++) value = { x_deeper: value };
  return value;
}

describe('object limits', () => {
  it('accepts an ordinary object and one at every limit', () => {
    expect(objectLimitExceeded(indicator({ description: 'C2', labels: ['a'] }))).toBeUndefined();
    expect(
      objectLimitExceeded(
        indicator({ description: 'd'.repeat(OBJECT_LIMITS.stringLength), object_refs: Array(OBJECT_LIMITS.listEntries).fill('x') }),
      ),
    ).toBeUndefined();
    // The object is level 1, so depth − 2 more objects fit under x_deeper, with the leaf string inside the last.
    expect(objectLimitExceeded(indicator({ x_deeper: nested(OBJECT_LIMITS.depth - 2) }))).toBeUndefined();
  });

  it('names the property and the limit it exceeds', () => {
    expect(objectLimitExceeded(indicator({ description: 'd'.repeat(OBJECT_LIMITS.stringLength + 1) }))).toBe(
      `description is ${OBJECT_LIMITS.stringLength + 1} characters; strings have at most ${OBJECT_LIMITS.stringLength}`,
    );
    expect(objectLimitExceeded(indicator({ labels: Array(OBJECT_LIMITS.listEntries + 1).fill('a') }))).toMatch(/^labels has 10001 entries/);
    expect(objectLimitExceeded(indicator({ x_deeper: nested(OBJECT_LIMITS.depth) }))).toMatch(
      /^x_deeper\.x_deeper.* is nested more than 16 levels deep$/,
    );
    expect(objectLimitExceeded(indicator({ hashes: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v'])) }))).toMatch(
      /^hashes has 1001 properties/,
    );
    expect(objectLimitExceeded({ type: 'indicator', id: `indicator--${'a'.repeat(300)}` })).toMatch(/^id is 311 characters/);
  });

  it('refuses an object nested 512 Ki levels deep in a 1 MiB body, as JSON.parse hands it over', () => {
    const body = `{"type":"x-acme-note","id":"x-acme-note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","x_data":${'['.repeat(512 * 1024)}${']'.repeat(512 * 1024)}}`;
    expect(objectLimitExceeded(JSON.parse(body) as Record<string, unknown>)).toMatch(/^x_data(\[0\])+ is nested more than 16 levels deep$/);
  });

  it('checks 100,000 levels of nesting without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(objectLimitExceeded(indicator({ x_deep: deep }))).toMatch(/is nested more than 16 levels deep$/);
  });
});
