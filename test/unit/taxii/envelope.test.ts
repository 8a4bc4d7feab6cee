import { MAX_OBJECT_NESTING, parseEnvelope } from '../../../shared/core/taxii/envelope';

const ID = 'x-acme-note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const nestedArrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const envelope = (...objects: string[]) => `{"objects":[${objects.join(',')}]}`;

describe('parseEnvelope on deeply nested objects', () => {
  it('refuses alone an object nested 512 Ki levels deep (a 1 MiB body), naming the limit', () => {
    const deep = `{"type":"x-acme-note","id":"${ID}","x_data":${nestedArrays(512 * 1024)}}`;
    const plain = `{"type":"x-acme-note","id":"${ID}","x_data":[{"a":1}]}`;

    const items = parseEnvelope(envelope(deep, plain), 4 * 1024 * 1024);

    expect(items).toEqual([
      { ok: false, id: ID, version: '', message: 'objects[0]: objects and arrays nested deeper than 64 levels (the limit)' },
      { ok: true, object: { type: 'x-acme-note', id: ID, x_data: [{ a: 1 }] } },
    ]);
  });

  it('accepts nesting up to the limit and refuses one level more', () => {
    // The object is level 1, its x_data array level 2.
    const at = (levels: number) => `{"type":"x-acme-note","id":"${ID}","x_data":${nestedArrays(levels - 1)}}`;

    const items = parseEnvelope(envelope(at(MAX_OBJECT_NESTING), at(MAX_OBJECT_NESTING + 1)), 4 * 1024 * 1024);

    expect(items.map((i) => i.ok)).toEqual([true, false]);
  });
});
