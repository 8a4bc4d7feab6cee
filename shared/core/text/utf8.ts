import { BadRequestError } from '../errors';

/**
 * Request bodies are UTF-8 or they are refused (RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8).
 * A replacing decoder would turn a broken byte into U+FFFD and store it for every member to receive, and would
 * let two different byte strings (an overlong "/" and a real one) become the same text; a fatal one refuses both.
 */

const hex = (byte: number): string => `0x${byte.toString(16).padStart(2, '0')}`;
const isContinuation = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x80 && byte <= 0xbf;

/** The first ill-formed sequence (Unicode 15 §3.9, Table 3-7) and what is wrong with it; undefined if none. */
export function firstUtf8Problem(bytes: Uint8Array): { offset: number; problem: string } | undefined {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const at = (problem: string) => ({ offset: i, problem });
    if (lead <= 0xbf) return at(`a continuation byte (${hex(lead)}) with no lead byte`);
    if (lead === 0xc0 || lead === 0xc1) return at(`an overlong encoding (${hex(lead)})`);
    if (lead >= 0xf5) return at(`a byte (${hex(lead)}) that never occurs in UTF-8`);
    const length = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return at('a truncated character at the end of the body');
      if (!isContinuation(bytes[i + k])) return at(`a truncated character (${hex(lead)} then ${hex(bytes[i + k]!)})`);
    }
    const second = bytes[i + 1]!;
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xf0 && second < 0x90))
      return at(`an overlong encoding (${hex(lead)} ${hex(second)})`);
    if (lead === 0xed && second >= 0xa0) return at(`an encoded UTF-16 surrogate (CESU-8, ${hex(lead)} ${hex(second)})`);
    if (lead === 0xf4 && second >= 0x90) return at(`a code point beyond U+10FFFF (${hex(lead)} ${hex(second)})`);
    i += length;
  }
  return undefined;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a request body; a body that is not UTF-8 is a 400 naming the first bad byte. A leading BOM is dropped. */
export function decodeUtf8Body(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const found = firstUtf8Problem(bytes);
    const where = found ? `: ${found.problem} at byte ${found.offset}` : '';
    throw new BadRequestError(`The body is not valid UTF-8 (RFC 8259 §8.1)${where}; send JSON encoded as UTF-8`);
  }
}

/** A body that arrived already decoded as text: refused if it holds a lone surrogate, which no UTF-8 can encode. */
export function assertWellFormedText(text: string): string {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  if (lone) throw new BadRequestError(`The body is not valid UTF-8 (RFC 8259 §8.1): a lone UTF-16 surrogate at character ${lone.index}`);
  return text;
}

/** Checked without a repeated group: a regular expression like (?:[…]{4})* overflows the stack on a 4 MiB body. */
function isBase64(text: string): boolean {
  if (text.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(text)) return false;
  const padding = text.indexOf('=');
  return padding === -1 || (padding >= text.length - 2 && /^=+$/.test(text.slice(padding)));
}

/** API Gateway hands binary bodies over as base64; anything else in that field is refused, not half-decoded. */
export function decodeBase64Body(text: string): string {
  if (!isBase64(text)) throw new BadRequestError('The body could not be decoded: it was marked base64 but is not');
  return decodeUtf8Body(Buffer.from(text, 'base64'));
}
