import { z } from 'zod';
import { cidrContains, cidrsOverlap, parseCidr, parseIp, type Cidr } from '../observable/ip';

/**
 * MISP warning lists (the misp-warninglists `list.json` format): known-benign values that must not be shared as
 * indicators (BRIEF, filter). Types: `string` (exact; an entry starting with "." also matches subdomains),
 * `hostname` (the value or any subdomain of it), `substring`, `regex`, `cidr`.
 */
export const WarningListSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  type: z.enum(['string', 'substring', 'hostname', 'regex', 'cidr']),
  matching_attributes: z.array(z.string()).default([]),
  list: z.array(z.string()),
});
export type WarningList = z.infer<typeof WarningListSchema>;

/** What kind of value is checked, in STIX terms. */
export type ObservableKind = 'ip' | 'domain' | 'url' | 'email' | 'hash' | 'filename';

/** MISP attribute types each kind is checked against (a list applies to the kinds its matching_attributes name). */
const MISP_TYPES: Record<ObservableKind, string[]> = {
  ip: ['ip-src', 'ip-dst', 'domain|ip', 'ip-src|port', 'ip-dst|port'],
  domain: ['domain', 'hostname', 'domain|ip'],
  url: ['url', 'uri', 'link'],
  email: ['email', 'email-src', 'email-dst'],
  hash: ['md5', 'sha1', 'sha224', 'sha256', 'sha512', 'ssdeep', 'filename|md5', 'filename|sha1', 'filename|sha256', 'filename|sha512'],
  filename: ['filename'],
};

export interface WarningListHit {
  list: string;
  entry: string;
}

interface CompiledList {
  name: string;
  kinds: Set<ObservableKind>;
  test: (value: string) => string | undefined;
  /** CIDR lists only: the first entry sharing an address with the network. */
  overlaps?: (network: Cidr) => string | undefined;
}

function hostOf(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url);
  return match?.[1]?.replace(/^\[|\]$/g, '').toLowerCase();
}

function compile(list: WarningList): CompiledList {
  const kinds = new Set<ObservableKind>(
    (Object.keys(MISP_TYPES) as ObservableKind[]).filter(
      (kind) => list.matching_attributes.length === 0 || MISP_TYPES[kind].some((t) => list.matching_attributes.includes(t)),
    ),
  );
  const entries = list.list.map((e) => e.trim()).filter(Boolean);
  let test: (value: string) => string | undefined;
  let overlaps: CompiledList['overlaps'];
  switch (list.type) {
    case 'cidr': {
      const parsed = entries.map((e) => [e, parseCidr(e)] as const).filter((r): r is readonly [string, Cidr] => r[1] !== undefined);
      // Single addresses (most of a resolver list's 60,000 entries) are a set lookup; only real ranges are scanned.
      const single = new Map(
        parsed.filter(([, c]) => c.prefix === (c.version === 4 ? 32 : 128)).map(([e, c]) => [`${c.version}:${c.network}`, e]),
      );
      const ranges = parsed.filter(([, c]) => c.prefix !== (c.version === 4 ? 32 : 128));
      test = (value) => {
        const ip = parseIp(value);
        if (!ip) return undefined;
        return single.get(`${ip.version}:${ip.value}`) ?? ranges.find(([, cidr]) => cidrContains(cidr, ip))?.[0];
      };
      overlaps = (network) => parsed.find(([, cidr]) => cidrsOverlap(cidr, network))?.[0];
      break;
    }
    case 'hostname':
    case 'string': {
      const exact = new Set(entries.filter((e) => list.type === 'string' && !e.startsWith('.')).map((e) => e.toLowerCase()));
      const suffixes = new Set(
        entries.filter((e) => list.type === 'hostname' || e.startsWith('.')).map((e) => e.replace(/^\./, '').toLowerCase()),
      );
      const longestSuffix = [...suffixes].reduce((longest, e) => Math.max(longest, e.length), -1);
      test = (value) => {
        const v = value.toLowerCase().replace(/\.$/, '');
        if (exact.has(v)) return v;
        // The value itself or any parent domain, longest first: "a.b.example.com" is checked as example.com too.
        // Only parents as long as some entry at most are looked up: building and hashing every parent of a value
        // of many labels was quadratic in its length.
        for (let start = 0; start >= 0; start = v.indexOf('.', start) + 1 || -1) {
          if (v.length - start > longestSuffix) continue;
          const candidate = v.slice(start);
          if (suffixes.has(candidate)) return candidate;
        }
        return undefined;
      };
      break;
    }
    case 'substring': {
      const lowered = entries.map((e) => e.toLowerCase());
      test = (value) => {
        const v = value.toLowerCase();
        return lowered.find((e) => v.includes(e));
      };
      break;
    }
    case 'regex': {
      const patterns = entries.flatMap((e) => {
        try {
          return [[e, new RegExp(e.replace(/^\/(.*)\/[a-z]*$/, '$1'), 'i')] as const];
        } catch {
          return [];
        }
      });
      test = (value) => patterns.find(([, re]) => re.test(value))?.[0];
      break;
    }
  }
  return { name: list.name, kinds, test, ...(overlaps ? { overlaps } : {}) };
}

export interface WarningListMatcher {
  match(kind: ObservableKind, value: string): WarningListHit | undefined;
  /**
   * A network (`45.33.0.0/16`, `2a01:4f8::/32`) that shares any address with an IP list's entry: blocking it would
   * block that entry. `match` reads a value as one address and never matches a network.
   */
  matchNetwork(network: string): WarningListHit | undefined;
}

/** Compiles lists once; matching a value is then a set lookup (or a scan of the CIDR lists). */
export function compileWarningLists(lists: readonly WarningList[]): WarningListMatcher {
  const compiled = lists.map(compile);
  return {
    match(kind, value) {
      const candidates = kind === 'url' ? [value, hostOf(value)].filter((v): v is string => v !== undefined) : [value];
      for (const list of compiled) {
        const kindsToTry: ObservableKind[] = kind === 'url' ? ['url', 'domain', 'ip'] : [kind];
        for (const [i, candidate] of candidates.entries()) {
          const asKind = i === 0 ? kind : parseIp(candidate) ? 'ip' : 'domain';
          if (!kindsToTry.includes(asKind) || !list.kinds.has(asKind)) continue;
          const entry = list.test(candidate);
          if (entry !== undefined) return { list: list.name, entry };
        }
      }
      return undefined;
    },
    matchNetwork(network) {
      const cidr = parseCidr(network);
      if (!cidr) return undefined;
      for (const list of compiled) {
        const entry = list.kinds.has('ip') ? list.overlaps?.(cidr) : undefined;
        if (entry !== undefined) return { list: list.name, entry };
      }
      return undefined;
    },
  };
}
