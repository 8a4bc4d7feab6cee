import { parse as parseHost } from 'tldts';
import { z } from 'zod';
import { cidrsOverlap, parseCidr, type Cidr } from '../observable/ip';
import { REGISTRY_LISTS, type RegistryLists } from '../directory/registry';

/**
 * What a member may put in its identifier registry. Everything in a registry is withheld from every object shared
 * in the tenant, so one careless or hostile entry (`com`, `0.0.0.0/0`, `CVE-`) would silence the whole tenant.
 * These rules refuse such entries at the door; each refusal names the value and the rule it breaks:
 *
 * 1. Every entry has at least MIN_ENTRY_LENGTH characters (`ab` would match inside countless words) and at most
 *    MAX_ENTRY_LENGTH (a domain's limit; it also keeps a full registry within one DynamoDB item).
 * 2. A registry holds at most MAX_REGISTRY_ENTRIES entries in all: a member's identifiers are a short list, and
 *    every entry costs every message of the tenant a comparison.
 * 3. Domains and e-mail domains are registrable domains or names below one, by the Public Suffix List, private
 *    section included (`github.io` is a suffix: its subdomains belong to different people). `com`, `co.jp`,
 *    `tokyo.jp`, `xn--p1ai` are refused, and so is a name under no known suffix at all.
 * 4. Internal host suffixes have at least two labels and obey rule 3: `corp.kanto.local` yes, `local` or `co.jp` no.
 * 5. IP ranges are no broader than /16 (IPv4) or /32 (IPv6, a typical allocation to one organisation). An IPv6
 *    range over the blocks that embed IPv4 addresses (::ffff:0:0/96 and friends) is held to the IPv4 limit there.
 * 6. Reference prefixes are ASCII letters, digits, `-` and `_` (no full-width look-alikes slipping past rule 7),
 *    at least 3 characters, and never a public identifier scheme (PUBLIC_REFERENCE_SCHEMES).
 *
 * The decision: these rules apply to what callers send, not to what is stored. A registry stored before a rule
 * existed keeps loading (directory/registry.ts reads leniently) and keeps protecting its member until it is next
 * edited, when it must pass.
 */

export const MIN_ENTRY_LENGTH = 3;
export const MAX_ENTRY_LENGTH = 253;
export const MAX_REGISTRY_ENTRIES = 300;
export const BROADEST_IPV4_PREFIX = 16;
export const BROADEST_IPV6_PREFIX = 32;

/**
 * Identifier schemes whose values are public attack technical information, the very content the tenant exists to
 * share: vulnerabilities (CVE-, CWE-, CAPEC-, GitHub GHSA-, Microsoft KB and MS bulletins, Japan's JVN and JVNDB-)
 * and MITRE ATT&CK ids (T1xxx techniques, TA0xxx tactics, S0xxx software, G0xxx groups, M1xxx mitigations, DS0xxx
 * data sources). A member's ticket prefix overlapping one would withhold every object that names one, so a prefix
 * that starts with one of these, or that one of these starts with (`CV`, `cve-2024`), is refused, in any case.
 */
export const PUBLIC_REFERENCE_SCHEMES = [
  'CVE-',
  'CWE-',
  'CAPEC-',
  'GHSA-',
  'KB',
  'MS',
  'JVN',
  'T1',
  'TA0',
  'S0',
  'G0',
  'M1',
  'DS0',
] as const;

/**
 * IPv6 blocks whose last 32 bits are an IPv4 address: IPv4-mapped, the NAT64 well-known prefix, IPv4-compatible.
 * `::ffff:0:0/96` is only a /96, yet it stands for all of IPv4.
 */
const IPV4_EMBEDDING_BLOCKS: readonly Cidr[] = ['::ffff:0:0/96', '64:ff9b::/96', '::/96'].map((block) => parseCidr(block)!);
const IPV4_BITS_IN_IPV6 = 96;

/** The Public Suffix List with its private section: `github.io`, `s3.amazonaws.com` count as suffixes. */
const PSL = { allowPrivateDomains: true } as const;

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const CIDR_SHAPE = /^[0-9a-f:.]+(?:\/\d{1,3})?$/i;
const REFERENCE_PREFIX = /^[A-Za-z0-9_-]+$/;

const hostForm = (value: string): string => value.trim().toLowerCase().replace(/\.$/, '');

/** Rule 1, for every list: a problem, said after the quoted value, or undefined. */
function lengthProblem(value: string): string | undefined {
  const length = [...value].length;
  if (length < MIN_ENTRY_LENGTH) return `is shorter than ${MIN_ENTRY_LENGTH} characters, too short to identify a member`;
  if (length > MAX_ENTRY_LENGTH) return `is longer than ${MAX_ENTRY_LENGTH} characters`;
  return undefined;
}

/** Rule 3. */
function domainProblem(host: string): string | undefined {
  if (!HOSTNAME.test(host)) return 'is not a domain name such as example.co.jp';
  const parsed = parseHost(host, PSL);
  if (parsed.isIp) return 'is an IP address, not a domain (put it in ipRanges)';
  if (parsed.domain === null || parsed.publicSuffix === host) {
    return 'is a public suffix (Public Suffix List) or under none, and would withhold every domain of the tenant under it (give a registrable domain such as example.co.jp or a name below one)';
  }
  return undefined;
}

/** Rule 4. */
function internalSuffixProblem(host: string): string | undefined {
  if (HOSTNAME.test(host) && host.split('.').length < 2) return 'has fewer than two labels (give a suffix such as corp.example.local)';
  return domainProblem(host);
}

/** Rule 5. */
function ipRangeProblem(range: string): string | undefined {
  const cidr = CIDR_SHAPE.test(range) ? parseCidr(range) : undefined;
  if (!cidr) return 'is not an IP address or CIDR range such as 192.0.2.0/24 or 2001:db8::/32';
  if (cidr.version === 4 && cidr.prefix < BROADEST_IPV4_PREFIX)
    return `is broader than /${BROADEST_IPV4_PREFIX}, the broadest IPv4 range a member may register`;
  if (cidr.version === 6 && cidr.prefix < BROADEST_IPV6_PREFIX)
    return `is broader than /${BROADEST_IPV6_PREFIX}, the broadest IPv6 range a member may register`;
  if (
    cidr.version === 6 &&
    cidr.prefix < IPV4_BITS_IN_IPV6 + BROADEST_IPV4_PREFIX &&
    IPV4_EMBEDDING_BLOCKS.some((block) => cidrsOverlap(cidr, block))
  ) {
    return `covers IPv4 addresses embedded in IPv6 (::ffff:0:0/96, 64:ff9b::/96) more broadly than an IPv4 /${BROADEST_IPV4_PREFIX}`;
  }
  return undefined;
}

/** Rule 6. */
function referencePrefixProblem(prefix: string): string | undefined {
  if (!REFERENCE_PREFIX.test(prefix)) return 'may hold only ASCII letters, digits, - and _';
  const upper = prefix.toUpperCase();
  const scheme = PUBLIC_REFERENCE_SCHEMES.find((s) => upper.startsWith(s) || s.startsWith(upper));
  if (scheme) return `overlaps the public identifier scheme ${scheme}, whose values are attack information the tenant shares`;
  return undefined;
}

/** One entry: normalised by `normalise`, refused with the value as sent and the first rule it breaks. */
function entry(normalise: (value: string) => string, rule: (value: string) => string | undefined = () => undefined) {
  return z
    .string()
    .superRefine((sent, ctx) => {
      const value = normalise(sent);
      const problem = lengthProblem(value) ?? rule(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(sent)} ${problem}` });
    })
    .transform(normalise);
}

const trimmed = (value: string): string => value.trim();
const entries = (schema: ReturnType<typeof entry>) => z.array(schema).default([]);

/** What a member sends (PUT …/registry): every list, checked and normalised (trimmed; host names lower-cased, no final dot). */
export const RegistryInputSchema = z
  .object({
    names: entries(entry(trimmed)),
    domains: entries(entry(hostForm, domainProblem)),
    emailDomains: entries(entry(hostForm, domainProblem)),
    ipRanges: entries(entry(trimmed, ipRangeProblem)),
    brands: entries(entry(trimmed)),
    internalHostSuffixes: entries(entry(hostForm, internalSuffixProblem)),
    referencePrefixes: entries(entry(trimmed, referencePrefixProblem)),
  })
  .strict()
  .superRefine((lists, ctx) => {
    const total = registryEntries(lists);
    if (total > MAX_REGISTRY_ENTRIES)
      ctx.addIssue({ code: 'custom', message: `${total} entries in all; a registry holds at most ${MAX_REGISTRY_ENTRIES}` });
  });
export type RegistryInput = z.output<typeof RegistryInputSchema>;

/** How many identifiers a registry holds, over all its lists. */
export function registryEntries(lists: RegistryLists): number {
  return REGISTRY_LISTS.reduce((sum, name) => sum + lists[name].length, 0);
}
