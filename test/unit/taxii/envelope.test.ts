import { parseEnvelope, type EnvelopeItem } from '../../../shared/core/taxii/envelope';

const MAX = 10 * 1024 * 1024;
const UUID = '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const indicator = (id: unknown) => ({
  type: 'indicator',
  spec_version: '2.1',
  id,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
});
const parse = (objects: unknown[]): EnvelopeItem[] => parseEnvelope(JSON.stringify({ objects }), MAX);

describe('envelope: identifiers checked before anything keeps them', () => {
  it('passes an object whose id is an RFC 4122 identifier of its type, upper-case hex included', () => {
    const items = parse([indicator(`indicator--${UUID}`), indicator(`indicator--${UUID.toUpperCase()}`)]);

    expect(items.map((item) => item.ok)).toEqual([true, true]);
  });

  it.each([
    ['a path-like sequence', `indicator--../../${UUID}`],
    ['a path-like suffix', `indicator--${UUID}/../../objects`],
    ['the nil UUID', 'indicator--00000000-0000-0000-0000-000000000000'],
    ['a version-0 UUID', 'indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f'],
    ['a non-RFC 4122 variant', 'indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f'],
    ['a percent sign', `indicator--%2e%2e-${UUID}`],
    ['a type with a double hyphen', `indicator--x--${UUID}`],
    ['a 10,000-character id', `indicator--${'a'.repeat(10_000)}`],
  ])('refuses an id with %s, naming the object by its place, never by the text sent', (_case, id) => {
    const [item] = parse([{ ...indicator(id), modified: '../../x' }]);

    expect(item).toEqual({
      ok: false,
      id: 'objects[0]',
      version: '2026-01-01T00:00:00.000Z',
      message: expect.stringMatching(/^objects\[0\]\.id: /),
    });
    expect((item as { message: string }).message.length).toBeLessThan(400);
  });

  it('refuses an id of another type, and keeps that id as it is a well-formed identifier', () => {
    const [item] = parse([indicator(`malware--${UUID}`)]);

    expect(item).toEqual({
      ok: false,
      id: `malware--${UUID}`,
      version: '2026-01-01T00:00:00.000Z',
      message: 'objects[0].id: the id\'s type "malware" differs from type "indicator"',
    });
  });
});
