import { EMBEDDING_FIRST_GROUPS, embeddedV4, forEachReverseName, forEachShortV4, partReadings } from './address-forms';
import { cidrsOverlap, type Cidr } from '../observable/ip';

/**
 * Addresses inside registered ranges, in every textual form a reader (or a resolver) reads as that address, found
 * in a shadow text (shadow-text.ts: already lower-cased, refanged, full-width folded) in one pass:
 * - IPv4 as four dot-separated octets, each decimal (zero-padded `010` read as 10, and — as inet_aton reads it —
 *   as octal 8 too), or `0x` hex; any four consecutive octet labels count, so `1.133.242.10.5` and
 *   `133.242.10.5.nip.io` name 133.242.10.5;
 * - IPv4 as one 32-bit integer (`2247232005`) or `0x` hex (`0x85f20a05`), from 1.0.0.0 up: smaller numbers are
 *   everyday numbers, and 0.0.0.0/8 is nobody's range;
 * - IPv4 in two or three parts as inet_aton reads them (`133.242.2565`), and as an octal integer;
 * - IPv6 compressed or expanded, in brackets or with a zone (`%eth0` ends the token), and every IPv6 form that
 *   carries an IPv4 address (mapped `::ffff:133.242.10.5`, 6to4, NAT64, Teredo, ISATAP: address-forms.ts)
 *   checked against the IPv4 ranges;
 * - reverse-DNS names of an address or of a network inside a range (`5.10.242.133.in-addr.arpa`, nibbles under
 *   `ip6.arpa`).
 */

export interface AddressRanges<T> {
  /** Calls `visit` for each address in `shadow` inside a range, with the range's value and the address span. */
  forEachIn(shadow: string, visit: (value: T, start: number, end: number) => void): void;
  /** The values of the ranges a CIDR (or single address) shares an address with. */
  overlapping(cidr: Cidr): T[];
}

interface V4Range<T> {
  network: number;
  prefix: number;
  value: T;
}

const MAPPED_PREFIX = 0xffffn;
const MAX_IPV6_TEXT = 45; // ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLowerAlnum = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x7a);
const isHexDigit = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66);
const isIpv6Char = (c: number) => isHexDigit(c) || c === 0x3a || c === 0x2e;
const NONE: readonly never[] = [];

/** The octet values of the label shadow[i, j) (address-forms.ts `partReadings` up to 255). */
const octetReadings = (shadow: string, i: number, j: number, out: number[]): number => partReadings(shadow, i, j, 255, out);

/** The label shadow[i, j) as a whole 32-bit address: `2247232005` or `0x85f20a05`; -1 if it is not one. */
function integerReading(shadow: string, i: number, j: number): number {
  let value = -1;
  if (j - i >= 8 && j - i <= 10) {
    value = 0;
    for (let k = i; k < j && value >= 0; k += 1) {
      const c = shadow.charCodeAt(k);
      value = isDigit(c) ? value * 10 + (c - 0x30) : -1;
    }
  }
  if (j - i >= 9 && j - i <= 12 && shadow.charCodeAt(i) === 0x30 && shadow.charCodeAt(i + 1) !== 0x78) {
    // inet_aton reads a zero-led number as octal: 020474405005 is 133.242.10.5.
    let octal = 0;
    for (let k = i; k < j && octal >= 0; k += 1) {
      const c = shadow.charCodeAt(k);
      octal = c >= 0x30 && c <= 0x37 ? octal * 8 + (c - 0x30) : -1;
    }
    if (octal >= 0x1000000 && octal <= 0xffffffff) return octal;
  }
  if (value < 0 && (j - i === 9 || j - i === 10) && shadow.charCodeAt(i) === 0x30 && shadow.charCodeAt(i + 1) === 0x78) {
    value = 0;
    for (let k = i + 2; k < j && value >= 0; k += 1) {
      const c = shadow.charCodeAt(k);
      value = isHexDigit(c) ? value * 16 + (isDigit(c) ? c - 0x30 : c - 0x57) : -1;
    }
  }
  return value >= 0x1000000 && value <= 0xffffffff ? value : -1;
}

/**
 * An IPv6 text as eight 16-bit groups, or undefined: ip.ts parseIpv6 without BigInt, for the hot path (a text may
 * hold 100k candidates); the tests check the two agree.
 */
export function ipv6Groups(text: string): number[] | undefined {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  if (body.indexOf('.', lastColon) >= 0) {
    const octets = body.slice(lastColon + 1).split('.');
    if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return undefined;
    const [a, b, c, d] = octets.map(Number) as [number, number, number, number];
    body = `${body.slice(0, lastColon + 1)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups: number[] = [];
    for (const group of half.split(':')) {
      if (group.length < 1 || group.length > 4) return undefined;
      let value = 0;
      for (let k = 0; k < group.length; k += 1) {
        const c = group.charCodeAt(k);
        if (!isHexDigit(c)) return undefined;
        value = value * 16 + (isDigit(c) ? c - 0x30 : c - 0x57);
      }
      groups.push(value);
    }
    return groups;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const explicit = head.length + tail.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  return [...head, ...Array<number>(8 - explicit).fill(0), ...tail];
}

interface V6Range<T> {
  groups: number[];
  prefix: number;
  value: T;
}

const v6Contains = (range: V6Range<unknown>, groups: number[]) => {
  for (let g = 0; g < 8; g += 1) {
    const bits = Math.min(16, Math.max(0, range.prefix - 16 * g));
    if (bits === 0) return true;
    const mask = (0xffff << (16 - bits)) & 0xffff;
    if ((groups[g]! & mask) !== (range.groups[g]! & mask)) return false;
  }
  return true;
};

/** The value of the first group of an IPv6 text (0 for one starting "::"); -1 if it has none. */
function firstGroup(shadow: string, from: number, to: number): number {
  let value = 0;
  for (let k = from; k < to && k < from + 5; k += 1) {
    const c = shadow.charCodeAt(k);
    if (c === 0x3a) return value;
    if (!isHexDigit(c)) return -1;
    value = value * 16 + (isDigit(c) ? c - 0x30 : c - 0x57);
  }
  return -1;
}

export function addressRanges<T>(ranges: ReadonlyArray<readonly [Cidr, T]>): AddressRanges<T> {
  // IPv4 ranges of /16 or narrower by their first 16 bits; wider ones are few and checked one by one.
  const narrow = new Map<number, V4Range<T>[]>();
  const wide: V4Range<T>[] = [];
  for (const [cidr, value] of ranges) {
    if (cidr.version !== 4) continue;
    const range = { network: Number(cidr.network), prefix: cidr.prefix, value };
    if (range.prefix >= 16) {
      const key = Math.floor(range.network / 0x10000);
      narrow.set(key, [...(narrow.get(key) ?? []), range]);
    } else wide.push(range);
  }
  const hasV4 = narrow.size > 0 || wide.length > 0;
  const v6 = ranges.filter(([cidr]) => cidr.version === 6);
  const v6Groups: V6Range<T>[] = v6.map(([cidr, value]) => ({
    groups: Array.from({ length: 8 }, (_, g) => Number((cidr.network >> BigInt(112 - 16 * g)) & 0xffffn)),
    prefix: cidr.prefix,
    value,
  }));
  // An IPv6 candidate is parsed only if its first group could start a registered range (or an IPv4-mapped address).
  const v6FirstGroups = new Set(v6.filter(([cidr]) => cidr.prefix >= 16).map(([cidr]) => Number(cidr.network >> 112n)));
  const v6AnyFirstGroup = v6.some(([cidr]) => cidr.prefix < 16);
  if (hasV4) for (const group of EMBEDDING_FIRST_GROUPS) v6FirstGroups.add(group);

  const inRange = (range: V4Range<T>, address: number) =>
    range.prefix === 0 || Math.floor(address / 2 ** (32 - range.prefix)) === Math.floor(range.network / 2 ** (32 - range.prefix));
  const forEachV4 = (address: number, visit: (value: T) => void) => {
    for (const range of narrow.get(Math.floor(address / 0x10000)) ?? NONE)
      if (inRange(range as V4Range<T>, address)) visit((range as V4Range<T>).value);
    for (const range of wide) if (inRange(range, address)) visit(range.value);
  };

  // Ranges of /32 or narrower indexed by their first 32 bits (what registries hold): a candidate meets only those
  // that can contain it, however many members registered ranges.
  const v6Narrow = new Map<number, V6Range<T>[]>();
  const v6Wide: V6Range<T>[] = [];
  for (const range of v6Groups) {
    if (range.prefix < 32) v6Wide.push(range);
    else {
      const key = range.groups[0]! * 0x10000 + range.groups[1]!;
      if (!v6Narrow.has(key)) v6Narrow.set(key, []);
      v6Narrow.get(key)!.push(range);
    }
  }
  const v6Values = (groups: number[]): T[] => {
    const found: T[] = [];
    for (const range of v6Narrow.get(groups[0]! * 0x10000 + groups[1]!) ?? []) if (v6Contains(range, groups)) found.push(range.value);
    for (const range of v6Wide) if (v6Contains(range, groups)) found.push(range.value);
    if (hasV4) for (const v4 of embeddedV4(groups)) forEachV4(v4, (value) => found.push(value));
    return found;
  };

  function scanV4(shadow: string, visit: (value: T, start: number, end: number) => void): void {
    // The last (up to) four octet labels, each directly after the previous one and a dot, as a ring.
    const starts = [0, 0, 0, 0];
    const readings = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ] as number[][];
    const counts = [0, 0, 0, 0];
    let size = 0;
    let lastEnd = -2;
    let i = 0;
    while (i < shadow.length) {
      if (!isLowerAlnum(shadow.charCodeAt(i))) {
        i += 1;
        continue;
      }
      let j = i + 1;
      while (j < shadow.length && isLowerAlnum(shadow.charCodeAt(j))) j += 1;
      // Every reading starts with a digit (`0x` too): words are skipped at their first character.
      const numeric = isDigit(shadow.charCodeAt(i));
      const whole = numeric ? integerReading(shadow, i, j) : -1;
      if (whole >= 0) forEachV4(whole, (value) => visit(value, i, j));

      if (!(lastEnd === i - 1 && shadow.charCodeAt(i - 1) === 0x2e)) size = 0;
      const slot = size % 4;
      const count = numeric ? octetReadings(shadow, i, j, readings[slot]!) : 0;
      if (count === 0) size = 0;
      else {
        starts[slot] = i;
        counts[slot] = count;
        size += 1;
        if (size >= 4) {
          // Slots hold labels size-4 … size-1 (mod 4); the oldest is the first octet.
          const [s0, s1, s2, s3] = [(size - 4) % 4, (size - 3) % 4, (size - 2) % 4, slot];
          let found: Set<T> | undefined;
          for (let a = 0; a < counts[s0]!; a += 1)
            for (let b = 0; b < counts[s1]!; b += 1)
              for (let c = 0; c < counts[s2]!; c += 1)
                for (let d = 0; d < counts[s3]!; d += 1) {
                  const address =
                    readings[s0]![a]! * 0x1000000 + readings[s1]![b]! * 0x10000 + readings[s2]![c]! * 0x100 + readings[s3]![d]!;
                  forEachV4(address, (value) => (found ??= new Set()).add(value));
                }
          for (const value of found ?? NONE) visit(value, starts[s0]!, j);
        }
      }
      lastEnd = j;
      i = j;
    }
  }

  /** The address in shadow[from, to) after a lone colon at either edge is dropped ("addr: 2001:db8::1"), if any. */
  function parsedBetween(shadow: string, from: number, to: number): { groups: number[]; from: number; to: number } | undefined {
    if (shadow.charCodeAt(from) === 0x3a && shadow.charCodeAt(from + 1) !== 0x3a) from += 1;
    if (to - from > 1 && shadow.charCodeAt(to - 1) === 0x3a && shadow.charCodeAt(to - 2) !== 0x3a) to -= 1;
    if (to - from < 2 || to - from > MAX_IPV6_TEXT) return undefined;
    // ISATAP embeds IPv4 after any prefix: `…:5efe:` is its mark.
    const isatap = hasV4 && shadow.slice(from, to).includes('5efe');
    if (!v6AnyFirstGroup && !isatap && !v6FirstGroups.has(firstGroup(shadow, from, to))) return undefined;
    const groups = ipv6Groups(shadow.slice(from, to));
    return groups === undefined ? undefined : { groups, from, to };
  }

  const isDecimalLabel = (shadow: string, from: number, to: number) => {
    if (to - from < 1 || to - from > 3) return false;
    for (let k = from; k < to; k += 1) if (!isDigit(shadow.charCodeAt(k))) return false;
    return true;
  };

  /**
   * The IPv6 addresses in a run of address characters. A dot is part of an IPv6 address only inside the four
   * octets that may end it, so the run is read as dot-separated segments: each segment with colons is an address,
   * or starts one that the next three (decimal) segments end. Refanging glues neighbours on with dots —
   * `2001:db8::1 dot dead` reads `2001:db8::1.dead`, `cafe: dot 2001:db8::1` reads `cafe:.2001:db8::1` — and both
   * still name 2001:db8::1.
   */
  function scanRun(shadow: string, runFrom: number, runTo: number, visit: (value: T, start: number, end: number) => void): void {
    // One pass: where each segment ends, and whether it has a colon.
    const ends: number[] = [];
    const withColon: boolean[] = [];
    let colon = false;
    for (let k = runFrom; k < runTo; k += 1) {
      const c = shadow.charCodeAt(k);
      if (c === 0x3a) colon = true;
      else if (c === 0x2e) {
        ends.push(k);
        withColon.push(colon);
        colon = false;
      }
    }
    ends.push(runTo);
    withColon.push(colon);
    let segmentFrom = runFrom;
    for (let n = 0; n < ends.length; n += 1) {
      const segmentTo = ends[n]!;
      if (withColon[n]) {
        const quad = n + 3 < ends.length && [1, 2, 3].every((d) => isDecimalLabel(shadow, ends[n + d - 1]! + 1, ends[n + d]!));
        const mapped = quad ? parsedBetween(shadow, segmentFrom, ends[n + 3]!) : undefined;
        const match = mapped ?? parsedBetween(shadow, segmentFrom, segmentTo);
        if (match) {
          for (const value of v6Values(match.groups)) visit(value, match.from, match.to);
          if (mapped) n += 3;
        }
      }
      segmentFrom = ends[n]! + 1;
    }
  }

  function scanV6(shadow: string, visit: (value: T, start: number, end: number) => void): void {
    let i = 0;
    while (i < shadow.length) {
      if (!isIpv6Char(shadow.charCodeAt(i))) {
        i += 1;
        continue;
      }
      let j = i + 1;
      let colons = shadow.charCodeAt(i) === 0x3a ? 1 : 0;
      while (j < shadow.length && isIpv6Char(shadow.charCodeAt(j))) {
        if (shadow.charCodeAt(j) === 0x3a) colons += 1;
        j += 1;
      }
      if (colons >= 2) scanRun(shadow, i, j, visit);
      i = j;
    }
  }

  /** A reverse name names the address, or a network inside a range or one that is at most a /24 (/48) wide. */
  function reverseValues(cidr: Cidr): T[] {
    const complete = cidr.prefix === (cidr.version === 4 ? 32 : 128);
    if (complete && cidr.version === 4) {
      const found: T[] = [];
      forEachV4(Number(cidr.network), (value) => found.push(value));
      return found;
    }
    if (complete) return v6Values(Array.from({ length: 8 }, (_, g) => Number((cidr.network >> BigInt(112 - 16 * g)) & 0xffffn)));
    const narrowest = cidr.version === 4 ? 24 : 48;
    return ranges
      .filter(([range]) => cidrsOverlap(range, cidr) && (cidr.prefix >= range.prefix || cidr.prefix >= narrowest))
      .map(([, value]) => value);
  }

  return {
    forEachIn(shadow, visit) {
      if (hasV4) scanV4(shadow, visit);
      if (hasV4) forEachShortV4(shadow, (address, start, end) => forEachV4(address, (value) => visit(value, start, end)));
      if (hasV4 || v6.length > 0) {
        scanV6(shadow, visit);
        forEachReverseName(shadow, (cidr, start, end) => {
          for (const value of reverseValues(cidr)) visit(value, start, end);
        });
      }
    },
    overlapping(cidr) {
      const found = ranges.filter(([range]) => cidrsOverlap(range, cidr)).map(([, value]) => value);
      // ::ffff:0:0/96 is IPv4 written as IPv6.
      if (cidr.version === 6 && cidr.prefix >= 96 && cidr.network >> 32n === MAPPED_PREFIX) {
        const asV4: Cidr = { version: 4, network: cidr.network & 0xffffffffn, prefix: cidr.prefix - 96 };
        found.push(...ranges.filter(([range]) => cidrsOverlap(range, asV4)).map(([, value]) => value));
      }
      return found;
    },
  };
}
