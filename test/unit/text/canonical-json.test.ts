import fc from 'fast-check';
import { scoId } from '../../../shared/core/normalize/canonical';
import { canonicalJson } from '../../../shared/core/text/canonical-json';

describe('canonical JSON (RFC 8785)', () => {
  it('hashes content independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(canonicalJson({ a: [{ c: 2, d: 1 }], b: 1 }));
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 §3.2.3 does in its example', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };

    const keys = Object.keys(JSON.parse(canonicalJson(value)) as object);

    // JSON.parse puts the integer-like key first whatever the text says, so the order is read from the text itself.
    const order = [...canonicalJson(value).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(order).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    expect(keys).toHaveLength(7);
  });

  it('leaves out undefined members and writes undefined elements as null, as JSON.stringify does', () => {
    expect(canonicalJson({ b: undefined, a: [undefined, 1], c: { d: undefined } })).toBe('{"a":[null,1],"c":{}}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('hashes a value as it hashes the same value read back from a JSON store', () => {
    const withUndefined = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(undefined),
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
    })).object;

    fc.assert(
      fc.property(withUndefined, (value) => {
        expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('gives an SCO the same id whether a property is undefined or absent (STIX 2.1 §2.9)', () => {
    const withUndefined = scoId('file', { name: 'a.exe', hashes: { 'SHA-256': 'a'.repeat(64), MD5: undefined } });

    const absent = scoId('file', { name: 'a.exe', hashes: { 'SHA-256': 'a'.repeat(64) } });

    expect(withUndefined).toBe(absent);
  });
});
