import type { Cidr } from '../observable/ip';

/**
 * Textual and embedded forms of an address beyond its plain notation (address-scan.ts finds them in a shadow text):
 * 1. IPv4 inside IPv6, where a router or resolver reads it out again: IPv4-mapped `::ffff:0:0/96` and
 *    IPv4-translated `::ffff:0:0:0/96` (RFC 4291 §2.5.5, RFC 2765), IPv4-compatible `::/96` (deprecated, still
 *    parsed), 6to4 `2002:WWXX:YYZZ::/48` (RFC 3056), NAT64 `64:ff9b::/96` and the local-use `64:ff9b:1::/48` in each
 *    RFC 6052 §2.2 layout (/48, /56, /64, /96), Teredo `2001:0::/32` server and obfuscated client (RFC 4380 §4),
 *    ISATAP interface identifiers `…:0:5efe:a.b.c.d` (RFC 5214 §6.1).
 * 2. Reverse-DNS names (RFC 1035 §3.5, RFC 3596 §2.5): `5.10.242.133.in-addr.arpa` is 133.242.10.5, and a zone
 *    name with fewer labels (`10.242.133.in-addr.arpa`) is a network; nibble names under `ip6.arpa` likewise.
 * 3. IPv4 as inet_aton reads two or three parts (`a.b` = a.0.0.b with a 24-bit b, `a.b.c` with a 16-bit c), each
 *    part decimal, octal when zero-led or `0x` hex: what `ping 10.1` or `http://133.242.2565/` reaches.
 */

/** The IPv4 addresses (as numbers) an IPv6 address of eight 16-bit groups carries; [] when it carries none. */
export function embeddedV4(g: readonly number[]): number[] {
  const v4 = (high: number, low: number) => high * 0x10000 + low;
  const zeros = (from: number, to: number) => {
    for (let k = from; k < to; k += 1) if (g[k] !== 0) return false;
    return true;
  };
  const found: number[] = [];
  const last = v4(g[6]!, g[7]!);
  if (zeros(0, 5) && g[5] === 0xffff) found.push(last);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) found.push(last);
  // ::1 and :: are IPv6's own; an IPv4-compatible address is at least 1.0.0.0.
  if (zeros(0, 6) && last >= 0x1000000) found.push(last);
  if (g[0] === 0x2002) found.push(v4(g[1]!, g[2]!));
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    if (zeros(2, 6)) found.push(last);
    if (g[2] === 1) {
      found.push(v4(g[3]!, (g[4]! & 0xff) * 0x100 + (g[5]! >> 8)));
      found.push((g[3]! & 0xff) * 0x1000000 + (g[4]! & 0xff) * 0x10000 + g[5]!);
      found.push((g[4]! & 0xff) * 0x1000000 + g[5]! * 0x100 + (g[6]! >> 8));
      found.push(last);
    }
  }
  if (g[0] === 0x2001 && g[1] === 0) found.push(v4(g[2]!, g[3]!), v4(g[6]! ^ 0xffff, g[7]! ^ 0xffff));
  if ((g[4]! & 0xfcff) === 0 && g[5] === 0x5efe) found.push(last);
  return found;
}

/** The first groups an IPv6 address embedding an IPv4 one may start with (ISATAP may start with any). */
export const EMBEDDING_FIRST_GROUPS = [0, 0x2002, 0x64, 0x2001];

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHexDigit = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66);
const isLowerAlnum = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x7a);
const hexValue = (c: number) => (isDigit(c) ? c - 0x30 : c - 0x57);

const IN_ADDR = 'in-addr.arpa';
const IP6 = 'ip6.arpa';

/** A reverse name's network (an address when complete), for `visit(cidr, start, end)` over the shadow span. */
export function forEachReverseName(shadow: string, visit: (cidr: Cidr, start: number, end: number) => void): void {
  for (const [suffix, v6] of [
    [IN_ADDR, false],
    [IP6, true],
  ] as const) {
    for (let at = shadow.indexOf(suffix); at >= 0; at = shadow.indexOf(suffix, at + suffix.length)) {
      if (isLowerAlnum(shadow.charCodeAt(at + suffix.length)) || shadow.charCodeAt(at - 1) !== 0x2e) continue;
      const reverse = v6 ? nibblesBefore(shadow, at - 1) : octetsBefore(shadow, at - 1);
      if (reverse) visit(reverse.cidr, reverse.start, at + suffix.length);
    }
  }
}

/** Up to four decimal labels ending at the dot `dot`, nearest first = the address's first octet. */
function octetsBefore(shadow: string, dot: number): { cidr: Cidr; start: number } | undefined {
  const octets: number[] = [];
  let end = dot;
  let start = dot;
  while (octets.length < 4) {
    let from = end;
    while (from > 0 && isDigit(shadow.charCodeAt(from - 1)) && end - from < 3) from -= 1;
    if (from === end || isLowerAlnum(shadow.charCodeAt(from - 1))) break;
    const value = Number(shadow.slice(from, end));
    if (value > 255) break;
    octets.push(value);
    start = from;
    if (shadow.charCodeAt(from - 1) !== 0x2e) break;
    end = from - 1;
  }
  if (octets.length === 0) return undefined;
  let network = 0n;
  for (let k = 0; k < 4; k += 1) network = (network << 8n) | BigInt(octets[k] ?? 0);
  return { cidr: { version: 4, network, prefix: octets.length * 8 }, start };
}

/** Up to 32 one-hex-digit labels ending at the dot `dot`, nearest first = the address's first nibble. */
function nibblesBefore(shadow: string, dot: number): { cidr: Cidr; start: number } | undefined {
  let network = 0n;
  let count = 0;
  let start = dot;
  for (let at = dot - 1; count < 32 && isHexDigit(shadow.charCodeAt(at)) && !isLowerAlnum(shadow.charCodeAt(at - 1)); at -= 2) {
    network = (network << 4n) | BigInt(hexValue(shadow.charCodeAt(at)));
    count += 1;
    start = at;
    if (shadow.charCodeAt(at - 1) !== 0x2e) break;
  }
  if (count === 0) return undefined;
  return { cidr: { version: 6, network: network << BigInt(128 - 4 * count), prefix: 4 * count }, start };
}

/**
 * The readings of one dotted part shadow[i, j) as inet_aton reads it — decimal, octal when zero-led, `0x` hex — up to
 * `max`, written into `out` (at most two); how many. Character arithmetic, no slicing: every label of the text passes
 * here. Twelve characters at most (zero padding included): every value stays exact in a double.
 */
export function partReadings(shadow: string, i: number, j: number, max: number, out: number[]): number {
  if (j - i > 12) return 0;
  if (j - i > 2 && shadow.charCodeAt(i) === 0x30 && shadow.charCodeAt(i + 1) === 0x78) {
    let hex = 0;
    for (let k = i + 2; k < j; k += 1) {
      if (!isHexDigit(shadow.charCodeAt(k))) return 0;
      hex = hex * 16 + hexValue(shadow.charCodeAt(k));
    }
    out[0] = hex;
    return hex <= max ? 1 : 0;
  }
  let decimal = 0;
  let octal = 0;
  let octalOk = j - i > 1 && shadow.charCodeAt(i) === 0x30;
  for (let k = i; k < j; k += 1) {
    const c = shadow.charCodeAt(k);
    if (!isDigit(c)) return 0;
    decimal = decimal * 10 + (c - 0x30);
    octal = octal * 8 + (c - 0x30);
    if (c > 0x37) octalOk = false;
  }
  let count = 0;
  if (decimal <= max) out[count++] = decimal;
  if (octalOk && octal <= max && octal !== decimal) out[count++] = octal;
  return count;
}

/**
 * Every run of exactly two or three dot-joined labels that inet_aton reads as an IPv4 address: `visit(address,
 * start, end)` for each reading. A run inside a longer run of labels (`1.2.3.4`, `v1.2`, `10.1.example`) is no
 * short form; a trailing full stop ends a sentence.
 */
export function forEachShortV4(shadow: string, visit: (address: number, start: number, end: number) => void): void {
  const bounds: number[] = [];
  const first: number[] = [0, 0];
  const second: number[] = [0, 0];
  const third: number[] = [0, 0];
  let i = 0;
  while (i < shadow.length) {
    const c = shadow.charCodeAt(i);
    if (!isLowerAlnum(c)) {
      i += 1;
      continue;
    }
    // One run of labels: [i, end), its label bounds in `bounds`.
    bounds.length = 0;
    let k = i;
    for (;;) {
      let j = k;
      while (j < shadow.length && isLowerAlnum(shadow.charCodeAt(j))) j += 1;
      if (bounds.length < 8) bounds.push(k, j);
      else bounds[7] = j;
      if (shadow.charCodeAt(j) === 0x2e && isLowerAlnum(shadow.charCodeAt(j + 1))) k = j + 1;
      else {
        k = j;
        break;
      }
    }
    const labels = bounds.length / 2;
    const previous = shadow.charCodeAt(i - 1);
    if ((labels === 2 || labels === 3) && isDigit(c) && previous !== 0x2e) {
      const n1 = partReadings(shadow, bounds[0]!, bounds[1]!, 255, first);
      if (labels === 2) {
        const n2 = partReadings(shadow, bounds[2]!, bounds[3]!, 0xffffff, second);
        for (let a = 0; a < n1; a += 1) for (let b = 0; b < n2; b += 1) visit(first[a]! * 0x1000000 + second[b]!, i, k);
      } else {
        const n2 = partReadings(shadow, bounds[2]!, bounds[3]!, 255, second);
        const n3 = partReadings(shadow, bounds[4]!, bounds[5]!, 0xffff, third);
        for (let a = 0; a < n1; a += 1)
          for (let b = 0; b < n2; b += 1)
            for (let d = 0; d < n3; d += 1) visit(first[a]! * 0x1000000 + second[b]! * 0x10000 + third[d]!, i, k);
      }
    }
    i = k;
  }
}
