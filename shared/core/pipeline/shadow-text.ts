import { composeJamo, isJamo, isLookAlikeKana, skeletonOf } from './look-alikes';
import { Builder, decodeUnits } from './shadow-builder';

/**
 * The normalised "shadow" of a text: what a reader reads, with a map from every shadow code unit back to the span
 * of the original it came from. Victim identifiers are looked for in the shadow and redacted in the original, so a
 * spelling the matcher reads through (full-width, percent-encoded, defanged, zero-width, …) is removed whole.
 *
 * Properties, each kept by one pass over the previous pass's output (every pass is linear, none recurses):
 * 1. Unicode NFKC, the TR39 skeleton of look-alike letters and lower case (look-alikes.ts: `Асme` with Cyrillic
 *    А and с reads `acme`, `Kantō` reads `kanto`, decomposed Hangul composes), per code point with its combining
 *    marks (half-width katakana voicing marks ﾞ ﾟ count as combining: ｶﾞ reads ガ); Default_Ignorable code points (zero-width, bidi controls, soft hyphen,
 *    variation selectors, tags) are dropped; the ideographic full stops 。．｡ read `.`; whitespace runs read one space.
 * 2. Percent-decoding: `%2E`, and `%E9%96%A2` when the bytes are well-formed UTF-8; anything else stays. Up to
 *    three levels (`%252E`, and `％2%EF%BC%A5` — a `%2` and an encoded full-width Ｅ), as WAF bypasses nest them.
 * 3. Refanging: `[.]` `(.)` `{.}` `[dot]` `(dot)` ` dot ` `\.` ` . ` ` .` (between words) read `.`; `[@]` `[at]` `(at)` read `@`; `[:]` `[/]`
 *    `[://]` read themselves; `hxxp(s):`/`fxp:` read `http(s):`/`ftp:`.
 * A shadow unit maps to [start, end) of the original; a shadow span [a, b) maps to [start[a], end[b - 1]).
 */

export interface Shadow {
  /** The normalised text. */
  text: string;
  /** Original offset where the source of each shadow code unit begins. */
  start: Int32Array;
  /** Original offset where the source of each shadow code unit ends (exclusive). */
  end: Int32Array;
}

const SPACE = 0x20;
const DOT = 0x2e;
const _AT = 0x40;
const PERCENT = 0x25;
const MAX_MARKS = 32;

const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const MARK = /^[\p{M}\uff9e\uff9f]$/u;
const WHITESPACE = /^\s$/u;

// Memos of pure functions of one BMP code unit: bounded (2¹⁶ entries), so shared by every scan of a warm Lambda.
/** Single BMP characters normalised, by code unit. */
const UNIT_NORMALISED: Array<string | undefined> = [];
/** BMP marks, by code unit: 0 not yet known, 1 no, 2 yes. */
const BMP_MARKS = new Uint8Array(0x10000);

/** NFKC per character is the expensive step and a text repeats its characters: memoised, longer segments per scan. */
const UNKNOWN = 0;
const SEVERAL = 0x10000;
/** Per non-ASCII BMP unit: its normalised form when one unit, SEVERAL (none or more: ask `of`), or UNKNOWN yet. */
const UNIT_CODE = new Int32Array(0x10000);

class Normaliser {
  private readonly segments = new Map<string, string>();

  /** NFKC, lower case, ignorables removed, whitespace as a space, ideographic full stops as `.`. */
  of(segment: string): string {
    if (segment.length === 1) {
      const unit = segment.charCodeAt(0);
      return (UNIT_NORMALISED[unit] ??= this.compute(segment));
    }
    let out = this.segments.get(segment);
    if (out === undefined) {
      out = this.compute(segment);
      this.segments.set(segment, out);
    }
    return out;
  }

  /** A BMP unit's normalised form when that is exactly one unit; -1 when it is none or several (use `of`). */
  unitOf(unit: number): number {
    let known = UNIT_CODE[unit]!;
    if (known === UNKNOWN) {
      const out = this.of(String.fromCharCode(unit));
      known = out.length === 1 ? out.charCodeAt(0) : SEVERAL;
      UNIT_CODE[unit] = known;
    }
    return known === SEVERAL ? -1 : known;
  }

  private compute(segment: string): string {
    let out = '';
    for (const ch of skeletonOf(segment.normalize('NFKC'))) {
      if (IGNORABLE.test(ch)) continue;
      if (ch === '\u3002') out += '.';
      else if (WHITESPACE.test(ch)) out += ' ';
      else out += ch;
    }
    return out;
  }

  isMark(codePoint: number): boolean {
    if (codePoint < 0x300) return false;
    if (codePoint > 0xffff) return MARK.test(String.fromCodePoint(codePoint));
    let known = BMP_MARKS[codePoint]!;
    if (known === 0) {
      known = MARK.test(String.fromCharCode(codePoint)) ? 2 : 1;
      BMP_MARKS[codePoint] = known;
    }
    return known === 2;
  }
}

/** CJK ideographs, hiragana and katakana: already NFKC, caseless, not marks — the bulk of Japanese prose. */
const isStableCjk = (c: number) =>
  (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3041 && c <= 0x3096) || (c >= 0x30a1 && c <= 0x30fa && !isLookAlikeKana(c));

const isAsciiWhitespace = (c: number) => c === SPACE || (c >= 0x09 && c <= 0x0d);

/** Pass 1: NFKC, case, ignorables, full stops, whitespace — on the original text. */
function normalisePass(text: string, normaliser: Normaliser): Builder {
  const out = new Builder(text.length + 16);
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 0x80 && !(text.charCodeAt(i + 1) >= 0x300 && normaliser.isMark(text.codePointAt(i + 1)!))) {
      const unit = isAsciiWhitespace(c) ? SPACE : c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
      out.emit(unit, i, i + 1);
      i += 1;
      continue;
    }
    if (isStableCjk(c) && !normaliser.isMark(text.codePointAt(i + 1) ?? 0)) {
      out.push(c, i, i + 1);
      i += 1;
      continue;
    }
    if (isJamo(c)) {
      let j = i + 1;
      while (j < text.length && isJamo(text.charCodeAt(j))) j += 1;
      const units: number[] = [];
      for (let k = i; k < j; k += 1) units.push(text.charCodeAt(k));
      const from = i;
      composeJamo(units, (unit, a, b) => out.emit(unit, from + a, from + b));
      i = j;
      continue;
    }
    const first = text.codePointAt(i)!;
    if (first <= 0xffff && !normaliser.isMark(text.codePointAt(i + 1) ?? 0)) {
      // One BMP unit without combining marks, the bulk of full-width and other non-ASCII text: no slice, no string.
      const unit = normaliser.unitOf(c);
      if (unit >= 0) out.emit(unit, i, i + 1);
      else out.emitString(normaliser.of(text[i]!), i, i + 1);
      i += 1;
      continue;
    }
    let j = i + (first > 0xffff ? 2 : 1);
    for (let marks = 0; j < text.length && marks < MAX_MARKS; marks += 1) {
      const next = text.codePointAt(j)!;
      if (!normaliser.isMark(next)) break;
      j += next > 0xffff ? 2 : 1;
    }
    out.emitString(normaliser.of(text.slice(i, j)), i, j);
    i = j;
  }
  return out;
}

const hexValue = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

const PERCENT_LEVELS = 3;

/** Pass 2: one level of percent-decoding, UTF-8 sequences only when well-formed; undefined when nothing decodes. */
function percentPass(input: Builder, normaliser: Normaliser): Builder | undefined {
  const { units, start, end, length } = input;
  const out = new Builder(length + 16);
  let decoded = false;
  const byteAt = (i: number): number => {
    if (i + 2 >= length || units[i] !== PERCENT) return -1;
    const high = hexValue(units[i + 1]!);
    const low = hexValue(units[i + 2]!);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
  };
  let i = 0;
  while (i < length) {
    const lead = units[i] === PERCENT ? byteAt(i) : -1;
    if (lead >= 0) {
      const size =
        lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
      let codePoint = size === 1 ? lead : size === 2 ? lead & 0x1f : size === 3 ? lead & 0x0f : lead & 0x07;
      let k = 1;
      for (; k < size; k += 1) {
        const byte = byteAt(i + 3 * k);
        if (byte < 0x80 || byte > 0xbf) break;
        codePoint = (codePoint << 6) | (byte & 0x3f);
      }
      const minimum = size === 3 ? 0x800 : size === 4 ? 0x10000 : 0;
      const wellFormed =
        size > 0 && k === size && codePoint >= minimum && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
      if (wellFormed) {
        const last = i + 3 * size - 1;
        out.emitString(normaliser.of(String.fromCodePoint(codePoint)), start[i]!, end[last]!);
        decoded = true;
        i = last + 1;
        continue;
      }
    }
    // Copy up to the next `%` in one go; the first unit is this `%` (or a run start) and is always copied.
    let j = units.indexOf(PERCENT, i + 1);
    if (j < 0 || j > length) j = length;
    out.emit(units[i]!, start[i]!, end[i]!);
    if (j > i + 1) out.copy(input, i + 1, j);
    i = j;
  }
  return decoded ? out : undefined;
}

/** The characters a refanged spelling starts with: `[ ( { \\`, space (` dot `), `h` (hxxp), `f` (fxp). */
const REFANG_TRIGGERS = new Uint8Array(0x80);
for (const ch of '[({\\ hf') REFANG_TRIGGERS[ch.charCodeAt(0)] = 1;

const OPENERS: Record<number, number> = { 91: 0x5d, 40: 0x29, 123: 0x7d }; // [] () {}
const BRACKETED: Record<string, string> = { '.': '.', dot: '.', '@': '@', at: '@', ':': ':', '/': '/', '://': '://' };

/** A letter or digit of any script, or a hyphen: what a dot between words joins. */
const isWordUnit = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c >= 0x80;

/** Pass 3: refanging. Bracketed dots and ats also swallow one space either side (`kanto [.] co`). */
function refangPass(input: Builder): Builder {
  const { units, start, end, length } = input;
  const out = new Builder(length + 16);
  const at = (i: number) => (i < length ? units[i]! : -1);
  const word = (i: number, w: string) => {
    for (let k = 0; k < w.length; k += 1) if (at(i + k) !== w.charCodeAt(k)) return false;
    return true;
  };
  let i = 0;
  while (i < length) {
    const c = units[i]!;
    if (c >= 0x80 || REFANG_TRIGGERS[c] === 0) {
      let j = i + 1;
      while (j < length && (units[j]! >= 0x80 || REFANG_TRIGGERS[units[j]!] === 0)) j += 1;
      out.copy(input, i, j);
      i = j;
      continue;
    }
    const close = OPENERS[c];
    if (close !== undefined) {
      // The longest inner text is "://" or "dot": look at most four units ahead, never further.
      let j = i + 1;
      while (j < length && j <= i + 4 && units[j] !== close) j += 1;
      const inner = j < length && units[j] === close ? String.fromCharCode(...units.subarray(i + 1, j)) : undefined;
      const replacement = inner === undefined ? undefined : BRACKETED[inner];
      if (replacement !== undefined) {
        let from = start[i]!;
        let to = end[j]!;
        let next = j + 1;
        if (replacement === '.' || replacement === '@') {
          if (out.last() === SPACE) from = out.start[--out.length]!;
          if (at(next) === SPACE) to = end[next++]!;
        }
        for (let k = 0; k < replacement.length; k += 1) out.push(replacement.charCodeAt(k), from, to);
        i = next;
        continue;
      }
    }
    if (c === SPACE && at(i + 1) === DOT && isWordUnit(out.last())) {
      // `kanto . co . jp`, `kanto .co`: a dot with a space before it, between two words, is the dot of a name.
      const after = at(i + 2) === SPACE ? i + 3 : i + 2;
      if (isWordUnit(at(after))) {
        out.push(DOT, start[i]!, end[after - 1]!);
        i = after;
        continue;
      }
    }
    if (c === SPACE && word(i + 1, 'dot ')) {
      out.push(DOT, start[i]!, end[i + 4]!);
      i += 5;
      continue;
    }
    if (c === 0x5c && at(i + 1) === DOT) {
      out.push(DOT, start[i]!, end[i + 1]!);
      i += 2;
      continue;
    }
    const scheme = word(i, 'hxxp') ? 'http' : word(i, 'fxp') ? 'ftp' : undefined;
    if (scheme !== undefined) {
      // Only before a scheme separator: "fxp" in a name is a name.
      let k = i + scheme.length;
      if (scheme === 'http' && at(k) === 0x73) k += 1;
      if (at(k) === 0x3a || word(k, '[:]')) {
        for (let m = 0; m < scheme.length; m += 1) out.push(scheme.charCodeAt(m), start[i + m]!, end[i + m]!);
        i += scheme.length;
        continue;
      }
    }
    out.push(c, start[i]!, end[i]!);
    i += 1;
  }
  return out;
}

export function shadowOf(text: string): Shadow {
  const normaliser = new Normaliser();
  let shadow = normalisePass(text, normaliser);
  for (let level = 0; level < PERCENT_LEVELS && shadow.units.subarray(0, shadow.length).includes(PERCENT); level += 1) {
    const decoded = percentPass(shadow, normaliser);
    if (!decoded) break;
    shadow = decoded;
  }
  shadow = refangPass(shadow);
  return { text: shadow.text(), start: shadow.start.subarray(0, shadow.length), end: shadow.end.subarray(0, shadow.length) };
}

/** A registry value as the matcher reads it: its shadow, trimmed. */
export const normalised = (value: string): string => shadowOf(value).text.trim();

/**
 * Characters a name may be written with or without: "Kanto Power", "Kanto-Power", "Kanto_Power", "KantoPower",
 * "関東・電力" all read the same name.
 */
export const isNameSeparator = (c: number): boolean =>
  c === SPACE || c === 0x2d || c === 0x5f || c === DOT || c === 0x30fb || c === 0xb7 || (c >= 0x2010 && c <= 0x2015) || c === 0x2212;

export interface CompactText {
  text: string;
  /** Shadow index of each compact code unit. */
  at: Int32Array;
}

/** The shadow without name separators, for matching names however they are split or joined. */
export function compactOf(shadow: string): CompactText {
  const units = new Uint16Array(shadow.length);
  const at = new Int32Array(shadow.length);
  let length = 0;
  for (let i = 0; i < shadow.length; i += 1) {
    const c = shadow.charCodeAt(i);
    if (isNameSeparator(c)) continue;
    units[length] = c;
    at[length] = i;
    length += 1;
  }
  return { text: length === shadow.length ? shadow : decodeUnits(units.subarray(0, length)), at: at.subarray(0, length) };
}

export const compact = (value: string): string => compactOf(value).text;
