import { createHash } from 'node:crypto';
import type { Cidr } from '../observable/ip';
import { parseCidr } from '../observable/ip';
import type { StixObject } from '../taxii/model';
import { domainZone, reversedLabels, termKey, termsOfObject, WIDEST_SEARCH_PREFIX, type IndexTerm, type SearchQuery } from './terms';

/**
 * The search index as postings: one small record per (term, object), grouped in partitions that one query reads.
 * The layout is logical — the adapter prefixes the tenant (shared/adapters/dynamodb/keys.ts) — and every sort key
 * ends with `collection|object`, so a posting is unique and names what it points at.
 *
 * - `E|<kind>:<value>`: exact values (a hash, a URL, an e-mail address, a CVE id…).
 * - `R4|<first 16 bits>` / `R6|<first 32 bits>`, sorted by network start: addresses and networks no wider than the
 *   widest searched network (WIDEST_SEARCH_PREFIX), so "what is inside 198.51.100.0/24" is one range query and an
 *   address one prefix query; wider networks have an `E|` partition.
 * - `C4|<prefix>|<network>` / `C6|…`: networks, so "what covers 203.0.113.7" is one query per prefix length in use
 *   (the tenant's set of lengths, kept beside the postings).
 * - `Z|<registrable domain>`, sorted by reversed labels: a domain is a key prefix, and so is its subtree
 *   (`*.example.com`); a domain with no registrable domain (a public suffix) has an `E|` partition.
 * - `REF|<collection>|<object>`: who refers to an object (relationships, sightings, reports, notes, opinions),
 *   for the related items one hop away.
 * - `OPN|<collection>`: opinions by the object they are about, for the feedback tally exports exclude by.
 */
export interface Posting {
  partition: string;
  sort: string;
  collectionId: string;
  objectId: string;
}

/** A range of one partition: every posting whose sort key starts with `prefix`, or lies in [from, to]. */
export type Lookup = { partition: string; prefix?: string } | { partition: string; from: string; to: string };

const SEPARATOR = '|';
const owner = (collectionId: string, objectId: string) => `${collectionId}${SEPARATOR}${objectId}`;

const hexWidth = (version: 4 | 6) => (version === 4 ? 8 : 32);
const bitsOf = (version: 4 | 6) => (version === 4 ? 32 : 128);
const hex = (value: bigint, version: 4 | 6) => value.toString(16).padStart(hexWidth(version), '0');
const rangePartition = (network: Cidr) => {
  const head = network.version === 4 ? 16 : 32;
  return `R${network.version}${SEPARATOR}${hex(network.network, network.version).slice(0, head / 4)}`;
};
/** `C4|24` + `|0a000000`: a network's cover key; prefix lengths zero-padded so that they read as numbers. */
const coverPartition = (version: 4 | 6, prefix: number, network: bigint) =>
  `C${version}${SEPARATOR}${String(prefix).padStart(3, '0')}${SEPARATOR}${hex(network, version)}`;

/** `4/24`: a prefix length in use, as the tenant's set holds it. */
export const prefixLengthKey = (version: 4 | 6, prefix: number) => `${version}/${prefix}`;

/** Key bytes a value may take in a partition key; longer ones (URLs, free text) are keyed by their SHA-256 (DynamoDB keys are ≤ 2 KB). */
const MAX_KEYED_VALUE_BYTES = 400;

/**
 * Where a term's own posting lives, and the sort-key prefix that is exactly this term: an address or a network no
 * wider than WIDEST_SEARCH_PREFIX in its range partition, a domain under a registrable domain in its zone, anything
 * else in a partition of its own. One posting per term, found exactly and by range alike (fewer writes at commit).
 */
function homeOf(term: IndexTerm): { partition: string; prefix: string } {
  if (term.kind === 'ipv4' || term.kind === 'ipv6') {
    const network = parseCidr(term.value);
    if (network && network.prefix >= WIDEST_SEARCH_PREFIX[network.version]) {
      return {
        partition: rangePartition(network),
        prefix: `${hex(network.network, network.version)}/${String(network.prefix).padStart(3, '0')}${SEPARATOR}`,
      };
    }
  }
  if (term.kind === 'domain') {
    const zone = domainZone(term.value);
    if (zone) return { partition: `Z${SEPARATOR}${zone}`, prefix: `${reversedLabels(term.value)}${SEPARATOR}` };
  }
  const key = termKey(term);
  if (new TextEncoder().encode(key).length <= MAX_KEYED_VALUE_BYTES) return { partition: `E${SEPARATOR}${key}`, prefix: '' };
  return { partition: `E${SEPARATOR}${term.kind}#sha256:${createHash('sha256').update(term.value).digest('hex')}`, prefix: '' };
}

function termPostings(term: IndexTerm, collectionId: string, objectId: string): Posting[] {
  const at = owner(collectionId, objectId);
  const home = homeOf(term);
  const postings: Posting[] = [{ partition: home.partition, sort: `${home.prefix}${at}`, collectionId, objectId }];
  const network = term.kind === 'ipv4' || term.kind === 'ipv6' ? parseCidr(term.value) : undefined;
  if (network && network.prefix < bitsOf(network.version)) {
    postings.push({ partition: coverPartition(network.version, network.prefix, network.network), sort: at, collectionId, objectId });
  }
  return postings;
}

/**
 * What an object refers to, as related items one hop away see it (STIX 2.1 §5 relationship and sighting ends, the
 * `object_refs` of reports, notes, opinions, groupings, observed data). Never `created_by_ref`: a search must not
 * turn into "what did this provider share".
 */
export function referencedIds(object: StixObject): string[] {
  const ids = new Set<string>();
  for (const property of ['source_ref', 'target_ref', 'sighting_of_ref']) {
    const value = object[property];
    if (typeof value === 'string') ids.add(value);
  }
  if (Array.isArray(object.object_refs)) for (const value of object.object_refs) if (typeof value === 'string') ids.add(value);
  ids.delete(object.id);
  return [...ids];
}

export const referencePartition = (collectionId: string, objectId: string) => `REF${SEPARATOR}${collectionId}${SEPARATOR}${objectId}`;
export const opinionPartition = (collectionId: string) => `OPN${SEPARATOR}${collectionId}`;

/** Every posting of one version of an object, once each, and the network prefix lengths they use. */
export function postingsOf(collectionId: string, object: StixObject): { postings: Posting[]; prefixLengths: string[] } {
  const postings = termsOfObject(object).flatMap((term) => termPostings(term, collectionId, object.id));
  const prefixLengths = new Set<string>();
  for (const term of termsOfObject(object)) {
    const network = term.kind === 'ipv4' || term.kind === 'ipv6' ? parseCidr(term.value) : undefined;
    if (network && network.prefix < bitsOf(network.version)) prefixLengths.add(prefixLengthKey(network.version, network.prefix));
  }
  for (const target of referencedIds(object)) {
    postings.push({ partition: referencePartition(collectionId, target), sort: object.id, collectionId, objectId: object.id });
    if (object.type === 'opinion')
      postings.push({
        partition: opinionPartition(collectionId),
        sort: `${target}${SEPARATOR}${object.id}`,
        collectionId,
        objectId: object.id,
      });
  }
  const seen = new Set<string>();
  return {
    postings: postings.filter((p) => {
      const key = postingKey(p);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    prefixLengths: [...prefixLengths],
  };
}

export const postingKey = (p: Pick<Posting, 'partition' | 'sort'>) => `${p.partition}\n${p.sort}`;

/** The target of an opinion posting's sort key (`<target>|<opinion>`). */
export const opinionTarget = (sort: string): string => sort.slice(0, sort.lastIndexOf(SEPARATOR));

/** The partitions and ranges that answer a query, given the network prefix lengths the tenant's index holds. */
export function lookupsOf(query: SearchQuery, prefixLengths: ReadonlySet<string>): Lookup[] {
  const lookups: Lookup[] = query.exact.map((term) => {
    const home = homeOf(term);
    return home.prefix === '' ? { partition: home.partition } : { partition: home.partition, prefix: home.prefix };
  });
  const covered = query.coveredBy;
  if (covered) {
    for (let prefix = 0; prefix < covered.prefix; prefix++) {
      if (!prefixLengths.has(prefixLengthKey(covered.version, prefix))) continue;
      const shift = BigInt(bitsOf(covered.version) - prefix);
      lookups.push({ partition: coverPartition(covered.version, prefix, (covered.network >> shift) << shift) });
    }
  }
  const inside = query.inside;
  if (inside) {
    const last = inside.network | ((1n << BigInt(bitsOf(inside.version) - inside.prefix)) - 1n);
    lookups.push({ partition: rangePartition(inside), from: hex(inside.network, inside.version), to: `${hex(last, inside.version)}~` });
  }
  if (query.domainTree) {
    const zone = domainZone(query.domainTree);
    if (zone) lookups.push({ partition: `Z${SEPARATOR}${zone}`, prefix: reversedLabels(query.domainTree) });
  }
  return lookups;
}
