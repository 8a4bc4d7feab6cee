// node:url is the WHATWG URL Standard's domain-to-ASCII (UTS #46 + Punycode), a pure function of its argument.
import { domainToASCII, domainToUnicode } from 'node:url';
import { addressRanges } from './address-scan';
import { encodedRuns, punycodeHosts, type EncodedRun } from './encoded-text';
import { parseCidr, type Cidr } from '../observable/ip';
import { phraseAutomaton } from './phrase-automaton';
import { compact, compactOf, normalised, shadowOf, type Shadow } from './shadow-text';

/**
 * Finds and removes what identifies a victim — names (Japanese and English), domains and their subdomains, e-mail
 * domains, internal host names, IP ranges, brand strings, ticket numbers — as listed in the members' identifier
 * registries (BRIEF, anonymize).
 *
 * 1. Match what a reader reads, redact what was written: identifiers are looked for in the text's shadow
 *    (shadow-text.ts: NFKC, case, zero-width, percent-encoding, defanging) and the original span behind a match is
 *    replaced, so `ｋａｎｔｏ－ｐｏｗｅｒ[.]co%2Ejp` goes whole, never "almost clean".
 * 2. Domains (and e-mail domains, internal host suffixes) match at label boundaries — `notkanto-power.co.jp` is
 *    somebody else, `kanto-power.co.jp.evil.com` still names the victim — in Unicode and Punycode form; the whole
 *    host token goes, and the local part of an e-mail address with it. `_` bounds a label like `.` does: it is
 *    no DNS label character, and file names join words with it (`report_kanto-power.co.jp.pdf`).
 * 3. Names and brands match as phrases however their words are split or joined (Kanto Power, Kanto-Power,
 *    KantoPower, 関東・電力); an ASCII letter or digit at an edge needs a word boundary ("KPC" is not in "KPCA") or
 *    a camel-case one (KantoPowerReport), or an English plural ending (KPCs, Acmes, Acme's); Japanese needs none.
 * 4. Reference prefixes (INC-, KP-SEC-) at a token start take the rest of their token: `INC-2024-0412`.
 * 5. Addresses in registered ranges in any notation (address-scan.ts); a CIDR value overlapping a range.
 * 6. Text carried encoded (base64, base64url, hex, Punycode: encoded-text.ts) is decoded and read too; a run whose
 *    decoded text names a victim is redacted whole.
 * 7. Entries shorter than three characters once normalised are ignored: they would redact ordinary words.
 * Everything is one automaton pass per view of the text plus linear token scans: no backtracking on crafted input.
 */

export const REDACTED = '[REDACTED]';

/** What identifies one member, from its identifier registry. */
export interface VictimIdentifiers {
  /** Whose registry: reported back in `members`. */
  memberId: string;
  /** Organisation names and abbreviations, Japanese and English. */
  names: readonly string[];
  /** Registered domains; subdomains count too. */
  domains: readonly string[];
  emailDomains: readonly string[];
  /** CIDR ranges or single addresses, IPv4 or IPv6. */
  ipRanges: readonly string[];
  /** Product, brand and project strings. */
  brands: readonly string[];
  /** Host names ending so are the member's: "corp.kanto.local", ".kp-internal". */
  internalHostSuffixes: readonly string[];
  /** Ticket and case number shapes: "INC-", "KP-SEC-". */
  referencePrefixes: readonly string[];
}

/** The text redacted, and the members whose identifiers were in it; `members` is empty exactly when `text` is unchanged. */
export interface VictimScan {
  text: string;
  members: readonly string[];
}

export interface VictimMatcher {
  /** The text with every span whose reading names a victim replaced by REDACTED; members whose identifiers matched. */
  scan(text: string): VictimScan;
  /** = scan(text).text */
  redact(text: string): string;
  /** Members that a structured value (domain, address, CIDR, e-mail, URL, name, file name) identifies; [] = none. */
  identifying(value: string): readonly string[];
  /** = identifying(value).length > 0 */
  identifies(value: string): boolean;
}

const MIN_LENGTH = 3;
/** Decoded text is decoded once more (base64 inside base64), no further: the work stays linear. */
const DECODING_DEPTH = 2;
/** Between decoded texts matched together: no name separator, host or word character, so no match spans two. */
const DECODED_SEPARATOR = '\u0000';

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAsciiAlnum = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x7a);
/** What a host token is made of, so what a redacted host name takes with it. */
const isHostChar = (c: number) => isAsciiAlnum(c) || c === 0x2e || c === 0x2d || c === 0x5f;
/** What continues a DNS label: a registered domain glued to one of these is another domain. */
const isLabelChar = (c: number) => isAsciiAlnum(c) || c === 0x2d;
const isReferenceChar = (c: number) => isAsciiAlnum(c) || c === 0x2d || c === 0x5f;
/** RFC 5322 atext and dots, for the local part of an address at a victim's domain. */
const isLocalChar = (c: number) => isAsciiAlnum(c) || (c < 0x80 && "!#$%&'*+=?^_`{|}~.-".includes(String.fromCharCode(c)));
const isUpperAscii = (c: number) => c >= 0x41 && c <= 0x5a;
const isLowerAscii = (c: number) => c >= 0x61 && c <= 0x7a;

/** The maximal runs of characters satisfying `inside`: each position's run start and end (trailing dots trimmed). */
function runsOf(text: string, inside: (c: number) => boolean, trimDots: boolean): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(text.length);
  const end = new Int32Array(text.length);
  let i = 0;
  while (i < text.length) {
    if (!inside(text.charCodeAt(i))) {
      i += 1;
      continue;
    }
    let j = i + 1;
    while (j < text.length && inside(text.charCodeAt(j))) j += 1;
    let last = j;
    // "… at kanto-power.co.jp." ends a sentence, not the host name.
    while (trimDots && last > i + 1 && text.charCodeAt(last - 1) === 0x2e) last -= 1;
    start.fill(i, i, j);
    end.fill(last, i, j);
    i = j;
  }
  return { start, end };
}

/** A registered domain in every form it is written: as given, Punycode, Unicode — each normalised. */
function domainForms(value: string): string[] {
  const domain = normalised(value)
    .replace(/^\*?\.+/, '')
    .replace(/\.+$/, '');
  if (domain.length < MIN_LENGTH) return [];
  const forms = new Set([domain]);
  const ascii = domainToASCII(domain);
  if (ascii) forms.add(ascii);
  const unicode = domainToUnicode(ascii || domain);
  if (unicode) forms.add(normalised(unicode));
  return [...forms].filter((form) => form.length >= MIN_LENGTH);
}

/** An address or CIDR as a whole value: brackets and an IPv6 zone are notation, not address. */
function cidrOf(value: string): Cidr | undefined {
  const bare = normalised(value)
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%[^/]*/, '');
  return parseCidr(bare);
}

interface Found {
  /** Original spans, flat: start, end, start, end, … */
  spans: number[];
  members: Set<number>;
}

export function victimMatcher(registries: readonly VictimIdentifiers[]): VictimMatcher {
  const hostPhrases: Array<[string, { kind: 'host' | 'reference'; member: number }]> = [];
  const namePhrases: Array<[string, number]> = [];
  const ranges: Array<[Cidr, number]> = [];
  registries.forEach((registry, member) => {
    const hosts = new Set([...registry.domains, ...registry.emailDomains, ...registry.internalHostSuffixes].flatMap(domainForms));
    for (const host of hosts) hostPhrases.push([host, { kind: 'host', member }]);
    for (const prefix of new Set(registry.referencePrefixes.map(normalised))) {
      if (prefix.length >= MIN_LENGTH) hostPhrases.push([prefix, { kind: 'reference', member }]);
    }
    for (const name of new Set([...registry.names, ...registry.brands].map((n) => compact(normalised(n))))) {
      if (name.length >= MIN_LENGTH) namePhrases.push([name, member]);
    }
    for (const range of registry.ipRanges) {
      const cidr = cidrOf(range);
      if (cidr) ranges.push([cidr, member]);
    }
  });
  const plain = phraseAutomaton(hostPhrases);
  const names = phraseAutomaton(namePhrases);
  const addresses = addressRanges(ranges);

  function find(text: string, depth = 0): Found {
    const shadow: Shadow = shadowOf(text);
    const s = shadow.text;
    const n = s.length;
    const at = (i: number) => (i >= 0 && i < n ? s.charCodeAt(i) : -1);
    const found: Found = { spans: [], members: new Set() };
    const add = (a: number, b: number, member: number) => {
      found.spans.push(shadow.start[a]!, shadow.end[b - 1]!);
      found.members.add(member);
    };
    /** A lower-case letter written before an upper-case one: "Kanto|Power" reads as two words. */
    const camelBoundary = (i: number) =>
      isLowerAscii(text.charCodeAt(shadow.end[i - 1]! - 1)) && isUpperAscii(text.charCodeAt(shadow.start[i]!));

    /** Where an English plural after a name ending at `b` ends (`KPCs`, `Acmes`; a possessive needs nothing); -1 if none. */
    const pluralEnd = (b: number) => {
      if (!isLowerAscii(at(b - 1)) && !isDigit(at(b - 1))) return -1;
      const suffix = at(b) === 0x73 ? 1 : at(b) === 0x65 && at(b + 1) === 0x73 ? 2 : 0;
      return suffix > 0 && !isAsciiAlnum(at(b + suffix)) ? b + suffix : -1;
    };
    let hostRuns: ReturnType<typeof runsOf> | undefined;
    let referenceRuns: ReturnType<typeof runsOf> | undefined;
    const hostTokens = new Set<number>();
    let referenceCoveredTo = -1;
    plain.forEachMatch(s, (entry, a, b) => {
      if (entry.kind === 'reference') {
        if (isAsciiAlnum(at(a - 1))) return;
        referenceRuns ??= runsOf(s, isReferenceChar, false);
        const to = Math.max(b, isReferenceChar(at(b)) ? referenceRuns.end[b]! : b);
        found.members.add(entry.member);
        // A prefix repeated inside one token (INC-INC-…) is redacted once, with the token.
        if (a < referenceCoveredTo) return;
        referenceCoveredTo = to;
        add(a, to, entry.member);
        return;
      }
      if (isAsciiAlnum(at(a)) && isLabelChar(at(a - 1))) return;
      if (isAsciiAlnum(at(b - 1)) && isLabelChar(at(b))) return;
      hostRuns ??= runsOf(s, isHostChar, true);
      let from = isHostChar(at(a)) ? hostRuns.start[a]! : isHostChar(at(a - 1)) ? hostRuns.start[a - 1]! : a;
      const to = Math.max(b, isHostChar(at(b - 1)) ? hostRuns.end[b - 1]! : isHostChar(at(b)) ? hostRuns.end[b]! : b);
      found.members.add(entry.member);
      // One host token is redacted once, however many registered domains it contains.
      if (hostTokens.has(from)) return;
      hostTokens.add(from);
      if (at(from - 1) === 0x40) {
        let local = from - 1;
        while (isLocalChar(at(local - 1))) local -= 1;
        if (local < from - 1) from = local;
      }
      add(from, to, entry.member);
    });

    if (namePhrases.length > 0) {
      const view = compactOf(s);
      names.forEachMatch(view.text, (member, ca, cb) => {
        const a = view.at[ca]!;
        const b = view.at[cb - 1]! + 1;
        if (isAsciiAlnum(at(a)) && isAsciiAlnum(at(a - 1)) && !camelBoundary(a)) return;
        const plural = pluralEnd(b);
        if (isAsciiAlnum(at(b - 1)) && isAsciiAlnum(at(b)) && !camelBoundary(b) && plural < 0) return;
        add(a, plural > 0 ? plural : b, member);
      });
    }

    addresses.forEachIn(s, (member, a, b) => add(a, b, member));
    if (depth < DECODING_DEPTH) {
      const punycode = punycodeHosts(s).map((run) => ({ ...run, start: shadow.start[run.start]!, end: shadow.end[run.end - 1]! }));
      decoded([...encodedRuns(text), ...punycode], depth, found);
    }
    return found;
  }

  /** Encoded runs whose decoded text names a victim are redacted whole: one match over all decoded texts. */
  function decoded(runs: EncodedRun[], depth: number, found: Found): void {
    if (runs.length === 0) return;
    const offsets: number[] = [];
    let length = 0;
    for (const run of runs) {
      offsets.push(length);
      length += run.decoded.length + 1;
    }
    const inner = find(runs.map((run) => run.decoded).join(DECODED_SEPARATOR), depth + 1);
    if (inner.members.size === 0) return;
    const runAt = (offset: number) => {
      let lo = 0;
      let hi = offsets.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (offsets[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return runs[lo]!;
    };
    for (let k = 0; k < inner.spans.length; k += 2) found.spans.push(runAt(inner.spans[k]!).start, runAt(inner.spans[k + 1]! - 1).end);
    for (const member of inner.members) found.members.add(member);
  }

  const memberIds = (members: Iterable<number>): string[] => [
    ...new Set([...members].sort((x, y) => x - y).map((m) => registries[m]!.memberId)),
  ];

  function redacted(text: string, spans: number[]): string {
    if (spans.length === 0) return text;
    const order: Array<[number, number]> = [];
    for (let k = 0; k < spans.length; k += 2) order.push([spans[k]!, spans[k + 1]!]);
    order.sort((x, y) => x[0] - y[0]);
    const parts: string[] = [];
    let copied = 0;
    let open = -1;
    let close = -1;
    for (const [start, end] of order) {
      if (open >= 0 && start <= close) {
        close = Math.max(close, end);
        continue;
      }
      if (open >= 0) {
        parts.push(text.slice(copied, open), REDACTED);
        copied = close;
      }
      open = start;
      close = end;
    }
    parts.push(text.slice(copied, open), REDACTED, text.slice(close));
    return parts.join('');
  }

  const scan = (text: string): VictimScan => {
    const found = find(text);
    return { text: redacted(text, found.spans), members: memberIds(found.members) };
  };

  const identifying = (value: string): readonly string[] => {
    const members = find(value).members;
    const cidr = cidrOf(value);
    if (cidr) for (const member of addresses.overlapping(cidr)) members.add(member);
    return memberIds(members);
  };

  return {
    scan,
    redact: (text) => scan(text).text,
    identifying,
    identifies: (value) => identifying(value).length > 0,
  };
}
