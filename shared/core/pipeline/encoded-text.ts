// node:url is the WHATWG URL Standard's domain-to-Unicode (UTS #46 + Punycode), a pure function of its argument.
import { domainToUnicode } from 'node:url';

/**
 * Text carried encoded inside a text, decoded the way a reader's tools (CyberChef, a browser, a resolver) decode
 * it, so the victim matcher can read it too (victim-identifiers.ts matches the decoded text and redacts the whole
 * encoded run):
 * 1. Base64 (RFC 4648 §4) and base64url (§5) runs of at least four characters, decoded from their start and, when
 *    their length is no multiple of four and they have no padding, also aligned to their end; MIME line breaks
 *    inside a run (§3.1) are read through.
 * 2. Hexadecimal runs of at least six digits (an even number), and `\x4b\x61…` escapes.
 * 3. Punycode labels (`xn--…`, RFC 3492) of a host name, in Unicode.
 * Only what decodes to text is kept: well-formed UTF-8 (or UTF-16LE, as PowerShell's -EncodedCommand writes it,
 * and as East Asian text is often stored) without control characters — a hash, a word or an id that merely uses the alphabet decodes to bytes that are
 * not text. Each run is decoded once, in one left-to-right scan: the decoded text is at most as long as the input,
 * and the matcher decodes decoded text only once more (base64 inside base64), so the work stays linear.
 */

export interface EncodedRun {
  /** The original span of the encoded run. */
  start: number;
  end: number;
  decoded: string;
}

const MIN_BASE64 = 4;
const MIN_HEX = 6;

const isBase64Char = (c: number) =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x2d || c === 0x5f;
const isHexChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

const SEXTET = new Int8Array(128).fill(-1);
for (let k = 0; k < 64; k += 1) SEXTET['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(k)] = k;
SEXTET[0x2d] = 62; // base64url -
SEXTET[0x5f] = 63; // base64url _

const UTF8 = new TextDecoder('utf-8');
const UTF16 = new TextDecoder('utf-16le');

/** Whether a code point is one that text holds: no control character but tab and line breaks, no surrogate. */
const isTextCodePoint = (c: number) =>
  !((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff);

/** Well-formed UTF-8 of text code points (RFC 3629 §4), checked by hand: most candidates fail at once. */
function isUtf8Text(bytes: Uint8Array): boolean {
  let k = 0;
  while (k < bytes.length) {
    const lead = bytes[k]!;
    const size =
      lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (size === 0 || k + size > bytes.length) return false;
    let c = size === 1 ? lead : lead & (0xff >> (size + 1));
    for (let m = 1; m < size; m += 1) {
      const next = bytes[k + m]!;
      if ((next & 0xc0) !== 0x80) return false;
      c = (c << 6) | (next & 0x3f);
    }
    if ((size === 3 && c < 0x800) || (size === 4 && c < 0x10000) || !isTextCodePoint(c)) return false;
    k += size;
  }
  return true;
}

/** Bytes as text when they are text: UTF-16LE when every other byte is zero, else UTF-8; undefined otherwise. */
export function asText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes.length % 2 === 0 && bytes[1] === 0) {
    let oddZeros = 0;
    for (let k = 1; k < bytes.length; k += 2) if (bytes[k] === 0) oddZeros += 1;
    if (oddZeros * 2 >= bytes.length) {
      const text = UTF16.decode(bytes);
      for (const ch of text) if (!isTextCodePoint(ch.codePointAt(0)!) || ch === '\ufffd') return undefined;
      return text;
    }
  }
  if (isUtf8Text(bytes)) return UTF8.decode(bytes);
  // UTF-16LE of East Asian text: any byte pair is some character, so only whole runs of letters a name is
  // written in count (Hangul syllables, kana and CJK ideographs, printable ASCII).
  if (bytes.length % 2 !== 0 || bytes.length < 4) return undefined;
  for (let k = 0; k < bytes.length; k += 2) {
    const c = bytes[k]! | (bytes[k + 1]! << 8);
    const letter = (c >= 0x20 && c < 0x7f) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x3041 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff);
    if (!letter) return undefined;
  }
  return UTF16.decode(bytes);
}

/** Decoding scratch, reused: most runs are rejected within their first bytes, so none needs its own buffer. */
let scratch = new Uint8Array(1024);
const room = (size: number) => {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  return scratch;
};

/** The base64 run text[from, to) (line breaks skipped), whose `count` sextets from the `skip`-th are decoded. */
function base64Bytes(text: string, from: number, to: number, skip: number, count: number): Uint8Array {
  const usable = count - skip - ((count - skip) % 4 === 1 ? 1 : 0);
  const out = room(Math.ceil((usable * 3) / 4));
  let bits = 0;
  let held = 0;
  let n = 0;
  let seen = 0;
  for (let k = from; k < to && seen < skip + usable; k += 1) {
    const sextet = SEXTET[text.charCodeAt(k)] ?? -1;
    if (sextet < 0) continue;
    seen += 1;
    if (seen <= skip) continue;
    bits = ((bits << 6) | sextet) & 0xffffff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      out[n++] = (bits >> held) & 0xff;
    }
  }
  return out.subarray(0, n);
}

function hexBytes(text: string, from: number, to: number, step: number, skip: number): Uint8Array {
  const out = room(Math.ceil((to - from) / step));
  let n = 0;
  for (let k = from + skip; k + 1 < to; k += step) out[n++] = hexDigit(text.charCodeAt(k)) * 16 + hexDigit(text.charCodeAt(k + 1));
  return out.subarray(0, n);
}

const hexDigit = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);

/** Every encoded run of `text` that decodes to text, in order of its start. */
export function encodedRuns(text: string): EncodedRun[] {
  const runs: EncodedRun[] = [];
  const keep = (start: number, end: number, bytes: Uint8Array) => {
    const decoded = asText(bytes);
    if (decoded !== undefined) runs.push({ start, end, decoded });
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && text.charCodeAt(i + 1) === 0x78 && isHexChar(text.charCodeAt(i + 2)) && isHexChar(text.charCodeAt(i + 3))) {
      let j = i;
      while (
        text.charCodeAt(j) === 0x5c &&
        text.charCodeAt(j + 1) === 0x78 &&
        isHexChar(text.charCodeAt(j + 2)) &&
        isHexChar(text.charCodeAt(j + 3))
      )
        j += 4;
      keep(i, j, hexBytes(text, i, j, 4, 2));
      i = j;
      continue;
    }
    if (!isBase64Char(c)) {
      i += 1;
      continue;
    }
    // One run: base64 characters, MIME line breaks after whole quanta, then padding.
    let count = 0;
    let j = i;
    let allHex = true;
    for (;;) {
      while (j < text.length && isBase64Char(text.charCodeAt(j))) {
        if (allHex && !isHexChar(text.charCodeAt(j))) allHex = false;
        count += 1;
        j += 1;
      }
      const br = text.charCodeAt(j) === 0x0d ? 1 : 0;
      if (count >= 16 && count % 4 === 0 && text.charCodeAt(j + br) === 0x0a && isBase64Char(text.charCodeAt(j + br + 1))) {
        j += br + 1;
        allHex = false;
        continue;
      }
      break;
    }
    let end = j;
    while (end < text.length && end - j < 2 && text.charCodeAt(end) === 0x3d) end += 1;
    if (allHex && count >= MIN_HEX && count % 2 === 0) keep(i, j, hexBytes(text, i, j, 2, 0));
    if (count >= MIN_BASE64) {
      keep(i, end, base64Bytes(text, i, j, 0, count));
      const offset = count % 4;
      if (offset !== 0 && end === j && count - offset >= MIN_BASE64) keep(i, end, base64Bytes(text, i, j, offset, count));
    }
    i = end;
  }
  return runs;
}

/** Host names with a Punycode label, in Unicode: `[start, end)` are offsets into `shadow` (already lower-case). */
export function punycodeHosts(shadow: string): EncodedRun[] {
  const hosts: EncodedRun[] = [];
  const isHostChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e;
  let last = -1;
  for (let at = shadow.indexOf('xn--'); at >= 0; at = shadow.indexOf('xn--', at + 4)) {
    if (at < last) continue;
    let start = at;
    while (start > 0 && isHostChar(shadow.charCodeAt(start - 1))) start -= 1;
    let end = at + 4;
    while (end < shadow.length && isHostChar(shadow.charCodeAt(end))) end += 1;
    last = end;
    if (end - start > 253) continue;
    const unicode = domainToUnicode(shadow.slice(start, end));
    if (unicode && unicode !== shadow.slice(start, end)) hosts.push({ start, end, decoded: unicode });
  }
  return hosts;
}
