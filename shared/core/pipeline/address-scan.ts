import { cidrContains, cidrsOverlap, parseIpv6, type Cidr } from './ip';

/**
 * Addresses inside registered ranges, in every textual form a reader (or a resolver) reads as that address, found
 * in a shadow text (shadow-text.ts: already lower-cased, refanged, full-width folded) in one pass:
 * - IPv4 as four dot-separated octets, each decimal (zero-padded `010` read as 10, and — as inet_aton reads it —
 *   as octal 8 too), or `0x` hex; any four consecutive octet labels count, so `1.133.242.10.5` and
 *   `133.242.10.5.nip.io` name 133.242.10.5;
 * - IPv4 as one 32-bit integer (`2247232005`) or `0x` hex (`0x85f20a05`), from 1.0.0.0 up: smaller numbers are
 *   everyday numbers, and 0.0.0.0/8 is nobody's range;
 * - IPv6 compressed or expanded, in brackets or with a zone (`%eth0` ends the token), and IPv4-mapped
 *   (`::ffff:133.242.10.5`, `::ffff:85f2:a05`) checked against the IPv4 ranges.
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

/** The octet values a label reads as: decimal, octal when zero-led, or `0x` hex. */
function octetReadings(label: string): number[] {
  if (label.length > 12) return [];
  if (/^\d+$/.test(label)) {
    const readings: number[] = [];
    const decimal = Number(label);
    if (decimal <= 255) readings.push(decimal);
    if (label.length > 1 && label.startsWith('0') && /^[0-7]+$/.test(label)) {
      const octal = parseInt(label, 8);
      if (octal <= 255 && octal !== decimal) readings.push(octal);
    }
    return readings;
  }
  if (/^0x[0-9a-f]+$/.test(label)) {
    const hex = parseInt(label.slice(2), 16);
    return hex <= 255 ? [hex] : [];
  }
  return [];
}

/** A label that reads as a whole 32-bit address: `2247232005` or `0x85f20a05`. */
function integerReading(label: string): number | undefined {
  let value: number | undefined;
  if (/^\d{8,10}$/.test(label)) value = Number(label);
  else if (/^0x[0-9a-f]{7,8}$/.test(label)) value = parseInt(label.slice(2), 16);
  return value !== undefined && value >= 0x1000000 && value <= 0xffffffff ? value : undefined;
}

export function addressRanges<T>(ranges: ReadonlyArray<readonly [Cidr, T]>): AddressRanges<T> {
  const v4: V4Range<T>[] = ranges
    .filter(([cidr]) => cidr.version === 4)
    .map(([cidr, value]) => ({ network: Number(cidr.network), prefix: cidr.prefix, value }));
  const v6 = ranges.filter(([cidr]) => cidr.version === 6);

  const v4Values = (address: number): T[] =>
    v4.filter((r) => r.prefix === 0 || Math.floor(address / 2 ** (32 - r.prefix)) === Math.floor(r.network / 2 ** (32 - r.prefix))).map((r) => r.value);

  const v6Values = (address: bigint): T[] => {
    const found = v6.filter(([cidr]) => cidrContains(cidr, { version: 6, value: address })).map(([, value]) => value);
    if (address >> 32n === MAPPED_PREFIX) found.push(...v4Values(Number(address & 0xffffffffn)));
    return found;
  };

  function scanV4(shadow: string, visit: (value: T, start: number, end: number) => void): void {
    // The last (up to) four octet labels, each directly after the previous one and a dot.
    const window: Array<{ start: number; end: number; readings: number[] }> = [];
    let i = 0;
    while (i < shadow.length) {
      if (!isLowerAlnum(shadow.charCodeAt(i))) {
        i += 1;
        continue;
      }
      let j = i + 1;
      while (j < shadow.length && isLowerAlnum(shadow.charCodeAt(j))) j += 1;
      // Every reading starts with a digit (`0x` too): words are skipped without slicing them.
      const numeric = isDigit(shadow.charCodeAt(i)) && j - i <= 12;
      const label = numeric ? shadow.slice(i, j) : '';
      const whole = numeric ? integerReading(label) : undefined;
      if (whole !== undefined) for (const value of v4Values(whole)) visit(value, i, j);

      const readings = numeric ? octetReadings(label) : [];
      const continues = window.length > 0 && window[window.length - 1]!.end === i - 1 && shadow.charCodeAt(i - 1) === 0x2e;
      if (!continues) window.length = 0;
      if (readings.length === 0) window.length = 0;
      else {
        window.push({ start: i, end: j, readings });
        if (window.length > 4) window.shift();
        if (window.length === 4) {
          const found = new Set<T>();
          for (const a of window[0]!.readings) for (const b of window[1]!.readings) for (const c of window[2]!.readings) for (const d of window[3]!.readings) {
            for (const value of v4Values(a * 0x1000000 + b * 0x10000 + c * 0x100 + d)) found.add(value);
          }
          for (const value of found) visit(value, window[0]!.start, j);
        }
      }
      i = j;
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
      const runEnd = j;
      if (colons >= 2) {
        let from = i;
        let to = j;
        while (from < to && shadow.charCodeAt(from) === 0x2e) from += 1;
        while (to > from && shadow.charCodeAt(to - 1) === 0x2e) to -= 1;
        // "addr: 2001:db8::1" and "2001:db8::1: seen" — a lone colon at an edge is prose, "::" is the address.
        if (shadow.charCodeAt(from) === 0x3a && shadow.charCodeAt(from + 1) !== 0x3a) from += 1;
        if (to - from > 1 && shadow.charCodeAt(to - 1) === 0x3a && shadow.charCodeAt(to - 2) !== 0x3a) to -= 1;
        if (to - from <= MAX_IPV6_TEXT) {
          const address = parseIpv6(shadow.slice(from, to));
          if (address !== undefined) for (const value of v6Values(address)) visit(value, from, to);
        }
      }
      i = runEnd;
    }
  }

  return {
    forEachIn(shadow, visit) {
      if (v4.length > 0) scanV4(shadow, visit);
      if (v4.length > 0 || v6.length > 0) scanV6(shadow, visit);
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
