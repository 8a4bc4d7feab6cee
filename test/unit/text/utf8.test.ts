import fc from 'fast-check';
import { BadRequestError } from '../../../shared/core/errors';
import { assertWellFormedText, decodeBase64Body, decodeUtf8Body, firstUtf8Problem } from '../../../shared/core/text/utf8';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('request bodies are UTF-8 or refused (RFC 8259 §8.1)', () => {
  it('decodes every well-formed string back to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(decodeUtf8Body(Buffer.from(text, 'utf8'))).toBe(text);
        expect(firstUtf8Problem(Buffer.from(text, 'utf8'))).toBeUndefined();
      }),
    );
  });

  it.each([
    ['a lone continuation byte', bytes(0x41, 0x80), 'a continuation byte (0x80) with no lead byte at byte 1'],
    ['an overlong slash', bytes(0xc0, 0xaf), 'an overlong encoding (0xc0) at byte 0'],
    ['an overlong 3-byte form', bytes(0xe0, 0x80, 0xaf), 'an overlong encoding (0xe0 0x80) at byte 0'],
    ['an overlong 4-byte form', bytes(0xf0, 0x80, 0x80, 0xaf), 'an overlong encoding (0xf0 0x80) at byte 0'],
    ['a CESU-8 surrogate', bytes(0x22, 0xed, 0xa0, 0x80), 'an encoded UTF-16 surrogate (CESU-8, 0xed 0xa0) at byte 1'],
    ['a truncated character at the end', bytes(0x22, 0xe3, 0x81), 'a truncated character at the end of the body at byte 1'],
    ['a truncated character inside', bytes(0xe3, 0x81, 0x22), 'a truncated character (0xe3 then 0x22) at byte 0'],
    ['a code point beyond U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 'a code point beyond U+10FFFF (0xf4 0x90) at byte 0'],
    ['0xff', bytes(0xff), 'a byte (0xff) that never occurs in UTF-8 at byte 0'],
  ])('refuses %s, naming it and where', (_label, input, described) => {
    expect(() => decodeUtf8Body(input)).toThrow(BadRequestError);
    expect(() => decodeUtf8Body(input)).toThrow(described);
  });

  it('refuses every byte string the fatal decoder refuses, and names a problem for each', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (input) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(input);
        } catch {
          valid = false;
        }
        expect(firstUtf8Problem(input) === undefined).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses base64 that is not base64, and decodes the bytes of base64 fatally', () => {
    expect(decodeBase64Body(Buffer.from('{"objects":[]}').toString('base64'))).toBe('{"objects":[]}');
    expect(() => decodeBase64Body('not base64!')).toThrow(/marked base64 but is not/);
    expect(() => decodeBase64Body('QQ=A')).toThrow(/marked base64 but is not/);
    expect(() => decodeBase64Body('QQ')).toThrow(/marked base64 but is not/);
    const large = 'x'.repeat(4 * 1024 * 1024);
    expect(decodeBase64Body(Buffer.from(large).toString('base64'))).toBe(large);
    expect(() => decodeBase64Body(Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]).toString('base64'))).toThrow(/overlong/);
  });

  it('refuses text holding a lone surrogate, and keeps a pair', () => {
    expect(() => assertWellFormedText('{"a":"\ud800"}')).toThrow(/lone UTF-16 surrogate at character 6/);
    expect(assertWellFormedText('😀')).toBe('😀');
  });
});
