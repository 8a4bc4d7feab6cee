import { mapBounded } from '../bounded';
import type { Principal } from '../directory/model';
import { BadRequestError } from '../errors';
import { corroborationSightingId, samenessClaims } from '../pipeline/dedupe';
import { canSee } from '../policy/visibility';
import type { DirectoryStore, FlagDecisionStore, ObjectStore, SearchIndex } from '../ports';
import { assertOwnApiRoot } from '../taxii/api-root';
import { readerViews } from '../taxii/collections';
import { present } from '../policy/present';
import type { AccessScope, ReaderView, StixObject, TimelineEntry, Tlp } from '../taxii/model';
import { tallyOf, type FeedbackTally } from './feedback';
import { CollectionPolicySchema } from '../pipeline/collection-policy';
import { lookupsOf, referencedIds, referencePartition, type Posting } from './postings';
import { parseSearchValue, SearchValueError, termAnswers, termsOfObject, type SearchQuery } from './terms';

/** Values in one request at most (issue #15: a bulk search of 1,000 values). */
export const MAX_SEARCH_VALUES = 1000;
/** Related items listed per hit at most, newest reference first. */
export const MAX_RELATED_PER_HIT = 50;
/** Object reads in flight at once for one request. */
const READS_IN_FLIGHT = 32;

/**
 * What one request may cost, so that a crowded network or a popular domain tree answers in time and under Lambda's
 * 6 MB response instead of timing out: objects read to confirm candidates (per value, and per request shared among
 * its values), objects read per hit to find what refers to it, and the bytes of the hits returned. An answer that
 * reached a limit says `truncated`: search a narrower network or fewer values.
 */
export interface SearchLimits {
  candidatesPerValue: number;
  candidatesPerRequest: number;
  /** Every value gets at least this many, however many values the request has. */
  minCandidatesPerValue: number;
  referringPerHit: number;
  answerBytes: number;
}

export const SEARCH_LIMITS: SearchLimits = {
  candidatesPerValue: 1000,
  candidatesPerRequest: 10_000,
  minCandidatesPerValue: 10,
  referringPerHit: 200,
  answerBytes: 5_000_000,
};

export interface SearchDeps {
  directory: DirectoryStore;
  objects: ObjectStore;
  index: SearchIndex;
  /** The pipeline's sameness (core/pipeline/observables.ts), to find an object's corroboration sighting. */
  samenessOf: (object: StixObject) => string | undefined;
  /** Moderators' confirmations and lifts of false-positive flags (feedback.ts rule 5). */
  flags: Pick<FlagDecisionStore, 'ofCollection'>;
  limits?: SearchLimits;
}

/** An object one hop away from a hit, summarised; never who shared it. */
export interface RelatedItem {
  id: string;
  type: string;
  name?: string;
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  opinion?: string;
  count?: number;
}

export interface SearchHit {
  /** `exact`: the value itself; `covers`: a network holding the address or network asked about; `inside`: within it. */
  match: 'exact' | 'covers' | 'inside';
  /** The value of the hit that matched, canonical. */
  value: string;
  collection: { id: string; title: string };
  id: string;
  type: string;
  version: string;
  tlp: Tlp;
  /** When the first and the latest version the reader may see were added to the collection. */
  first_seen: string;
  last_seen: string;
  /** How many members reported it independently (the corroboration sighting's count; 1 when nobody else did). */
  corroboration: number;
  feedback?: FeedbackTally;
  /** The latest version the reader may see, as a TAXII read returns it. */
  object: StixObject;
  related: RelatedItem[];
}

export interface SearchAnswer {
  value: string;
  canonical?: string;
  kind?: SearchQuery['kind'];
  /** Why the value could not be searched (the value itself was not understood); no hits then. */
  error?: string;
  hits: SearchHit[];
  /** More objects state the value than this request could read or return (SearchLimits): search narrower. */
  truncated?: true;
}

interface Readable {
  title: string;
  reader: ReaderView;
  /** The collection policy's `falsePositiveMembers` (feedback.ts rule 4). */
  minMembers: number;
}

/**
 * "Have we seen this?" across every collection the member may read (issue #15). The index only proposes
 * candidates; each is confirmed on the latest version the member may see, under the rules of a TAXII read
 * (policy/visibility.ts canSee), not revoked, and still stating the value. A value the member may not see answers
 * exactly like a value nobody shared: no hit, no count, no error.
 */
export async function searchValues(
  principal: Principal,
  tenantId: string,
  values: readonly string[],
  deps: SearchDeps,
): Promise<SearchAnswer[]> {
  if (values.length === 0) throw new BadRequestError('Give at least one value to search for');
  if (values.length > MAX_SEARCH_VALUES)
    throw new BadRequestError(`At most ${MAX_SEARCH_VALUES} values per search; this one has ${values.length}`);
  const queries = values.map((value) => {
    try {
      return parseSearchValue(value);
    } catch (error) {
      if (error instanceof SearchValueError) return { value, error: `${value.slice(0, 80)}: ${error.message}` };
      throw error;
    }
  });
  // Nothing is read for a caller of another tenant. The index does not depend on who asks: its lookups (after the
  // network prefix lengths in use, for addresses) run beside the reads of the caller's grants, and visibility is
  // decided on the candidates they find.
  await assertOwnApiRoot(principal, tenantId);
  const [viewOf, collections, postingsPerQuery] = await Promise.all([
    readerViews(principal, tenantId, deps),
    deps.directory.listCollections(tenantId),
    candidatePostings(tenantId, queries, deps.index),
  ]);
  const readable = new Map<string, Readable>();
  for (const collection of collections) {
    const { access, reader } = viewOf(collection.id);
    if (access.canRead)
      readable.set(collection.id, {
        title: collection.title,
        reader,
        minMembers: (collection.policy ?? CollectionPolicySchema.parse({})).falsePositiveMembers,
      });
  }
  const latest = new LatestVisible(tenantId, readable, deps.objects);
  const limits = deps.limits ?? SEARCH_LIMITS;
  const perValue = Math.min(
    limits.candidatesPerValue,
    Math.max(limits.minCandidatesPerValue, Math.floor(limits.candidatesPerRequest / queries.length)),
  );
  // Postings come in the order of their lookups (exact, then covering networks, then inside): a cut keeps exact hits.
  const candidatesPerQuery = postingsPerQuery.map((postings) => uniqueObjects(postings.filter((p) => readable.has(p.collectionId))));
  // What refers to each candidate is looked up while the candidates are confirmed, not after.
  const [answers, referring] = await Promise.all([
    confirmAll(queries, candidatesPerQuery, perValue, latest),
    referringPostings(
      tenantId,
      candidatesPerQuery.flatMap((candidates) => candidates.slice(0, perValue)),
      deps.index,
    ),
  ]);
  // Related items, corroboration and feedback, once per object however many values found it.
  const unique = new Map(answers.flatMap((a) => a.hits).map((hit) => [`${hit.collection.id}|${hit.id}`, hit]));
  const details = await detailsOfHits(tenantId, [...unique.values()], referring, latest, limits, deps);
  let bytesLeft = limits.answerBytes;
  return answers.map(({ hits, ...answer }) => {
    const kept: SearchHit[] = [];
    for (const { access: _access, ...confirmed } of hits) {
      const hit = { ...confirmed, ...details.get(`${confirmed.collection.id}|${confirmed.id}`)! };
      const bytes = Buffer.byteLength(JSON.stringify(hit));
      if (bytes > bytesLeft) {
        bytesLeft = 0;
        break;
      }
      bytesLeft -= bytes;
      kept.push(hit);
    }
    return kept.length < hits.length ? { ...answer, hits: kept, truncated: true as const } : { ...answer, hits: kept };
  });
}

const MATCH_ORDER: Record<SearchHit['match'], number> = { exact: 0, covers: 1, inside: 2 };
/** Exact hits first, then networks around, then what is inside; newest first within each. */
const byRelevance = (a: ConfirmedHit, b: ConfirmedHit) =>
  MATCH_ORDER[a.match] - MATCH_ORDER[b.match] || (a.last_seen < b.last_seen ? 1 : a.last_seen > b.last_seen ? -1 : 0);

type ConfirmedHit = Omit<SearchHit, 'related' | 'corroboration' | 'feedback'> & { access: AccessScope };

type Confirmed = Omit<SearchAnswer, 'hits'> & { hits: ConfirmedHit[] };

/**
 * Each value's candidates (at most `perValue`) confirmed on the latest version the reader may see: one queue for all
 * values, so that at most READS_IN_FLIGHT reads are in flight for the whole request.
 */
async function confirmAll(
  queries: ReadonlyArray<SearchQuery | { value: string; error: string }>,
  candidatesPerQuery: ReadonlyArray<ReadonlyArray<{ collectionId: string; objectId: string }>>,
  perValue: number,
  latest: LatestVisible,
): Promise<Confirmed[]> {
  const work = queries.flatMap((query, i) =>
    'error' in query ? [] : candidatesPerQuery[i]!.slice(0, perValue).map((candidate) => ({ query, i, candidate })),
  );
  const confirmed = await mapBounded(work, READS_IN_FLIGHT, ({ query, candidate }) => confirm(query, candidate, latest));
  const hitsPerQuery = queries.map((): ConfirmedHit[] => []);
  work.forEach(({ i }, k) => {
    const hit = confirmed[k];
    if (hit) hitsPerQuery[i]!.push(hit);
  });
  return queries.map((query, i): Confirmed => {
    if ('error' in query) return { value: query.value, error: query.error, hits: [] };
    return {
      value: query.input,
      canonical: query.canonical,
      kind: query.kind,
      hits: hitsPerQuery[i]!.sort(byRelevance),
      ...(candidatesPerQuery[i]!.length > perValue ? { truncated: true as const } : {}),
    };
  });
}

/** Per query, the postings of every lookup that answers it, in one index call for all queries. */
async function candidatePostings(
  tenantId: string,
  queries: ReadonlyArray<SearchQuery | { error: string }>,
  index: SearchIndex,
): Promise<Posting[][]> {
  const prefixLengths = queries.some((q) => 'exact' in q && q.coveredBy) ? await index.prefixLengths(tenantId) : new Set<string>();
  const lookupsPerQuery = queries.map((q) => ('error' in q ? [] : lookupsOf(q, prefixLengths)));
  // Every lookup of every value in one call: the index answers the misses of a bulk search in a few batches.
  const found = await index.lookup(tenantId, lookupsPerQuery.flat());
  let next = 0;
  return lookupsPerQuery.map((lookups) => found.slice(next, (next += lookups.length)).flat());
}

/** What refers to each object (its reference partition), by `collection|object`. */
async function referringPostings(
  tenantId: string,
  candidates: ReadonlyArray<{ collectionId: string; objectId: string }>,
  index: SearchIndex,
): Promise<Map<string, Posting[]>> {
  const unique = uniqueObjects(candidates);
  const found = await index.lookup(
    tenantId,
    unique.map((c) => ({ partition: referencePartition(c.collectionId, c.objectId) })),
  );
  return new Map(unique.map((c, i) => [`${c.collectionId}|${c.objectId}`, found[i]!]));
}

function uniqueObjects(
  postings: ReadonlyArray<{ collectionId: string; objectId: string }>,
): Array<{ collectionId: string; objectId: string }> {
  const seen = new Map<string, { collectionId: string; objectId: string }>();
  for (const p of postings) seen.set(`${p.collectionId}|${p.objectId}`, { collectionId: p.collectionId, objectId: p.objectId });
  return [...seen.values()];
}

/** The versions of an object a reader may see, read once per request (several values may find one object). */
class LatestVisible {
  private readonly cache = new Map<string, Promise<TimelineEntry[]>>();
  constructor(
    private readonly tenantId: string,
    readonly readable: ReadonlyMap<string, Readable>,
    private readonly objects: ObjectStore,
  ) {}

  visibleVersions(collectionId: string, objectId: string): Promise<TimelineEntry[]> {
    const key = `${collectionId}|${objectId}`;
    let versions = this.cache.get(key);
    if (!versions) {
      const collection = this.readable.get(collectionId);
      versions = collection
        ? this.objects.versionsOf(this.tenantId, collectionId, objectId).then((all) => all.filter((v) => canSee(collection.reader, v)))
        : Promise.resolve([]);
      this.cache.set(key, versions);
    }
    return versions;
  }

  /** TAXII's default selection (§3.4.1, match[version]=last) among what the reader may see; nothing once revoked. */
  async latest(collectionId: string, objectId: string): Promise<TimelineEntry | undefined> {
    const versions = await this.visibleVersions(collectionId, objectId);
    const last = versions[versions.length - 1];
    return last && last.object.revoked !== true ? last : undefined;
  }
}

async function confirm(
  query: SearchQuery,
  candidate: { collectionId: string; objectId: string },
  latest: LatestVisible,
): Promise<ConfirmedHit | undefined> {
  const entry = await latest.latest(candidate.collectionId, candidate.objectId);
  if (!entry) return undefined;
  let match: { how: SearchHit['match']; value: string } | undefined;
  for (const term of termsOfObject(entry.object)) {
    const how = termAnswers(term, query);
    // An exact match wins over a containment the same object also has.
    if (how && (!match || how === 'exact')) match = { how, value: term.value };
  }
  if (!match) return undefined;
  const versions = await latest.visibleVersions(candidate.collectionId, candidate.objectId);
  // ISO 8601 instants of one width: string order is time order.
  const added = versions.map((v) => v.dateAdded).sort();
  return {
    match: match.how,
    value: match.value,
    collection: { id: candidate.collectionId, title: latest.readable.get(candidate.collectionId)!.title },
    id: entry.objectId,
    type: entry.type,
    version: entry.version,
    tlp: entry.access.tlp,
    first_seen: added[0] ?? entry.dateAdded,
    last_seen: added.at(-1) ?? entry.dateAdded,
    object: present(latest.readable.get(candidate.collectionId)!.reader, entry),
    access: entry.access,
  };
}

function summary(object: StixObject): RelatedItem {
  const item: RelatedItem = { id: object.id, type: object.type };
  if (typeof object.name === 'string') item.name = object.name;
  if (typeof object.relationship_type === 'string') item.relationship_type = object.relationship_type;
  if (typeof object.source_ref === 'string') item.source_ref = object.source_ref;
  if (typeof object.target_ref === 'string') item.target_ref = object.target_ref;
  if (typeof object.opinion === 'string') item.opinion = object.opinion;
  if (typeof object.count === 'number') item.count = object.count;
  return item;
}

/** For each hit: what still refers to it in its latest visible version (newest first), its corroboration and feedback. */
async function detailsOfHits(
  tenantId: string,
  hits: readonly ConfirmedHit[],
  referring: ReadonlyMap<string, Posting[]>,
  latest: LatestVisible,
  limits: SearchLimits,
  deps: SearchDeps,
): Promise<Map<string, Pick<SearchHit, 'related' | 'corroboration' | 'feedback'>>> {
  // Moderators' decisions, read once per collection that has hits.
  const decisions = new Map<string, Promise<Map<string, { state: 'confirmed' | 'lifted'; at: string }>>>();
  const decisionsIn = (collectionId: string) => {
    if (!decisions.has(collectionId))
      decisions.set(
        collectionId,
        deps.flags.ofCollection(tenantId, collectionId).then((ds) => new Map(ds.map((d) => [d.objectId, { state: d.state, at: d.at }]))),
      );
    return decisions.get(collectionId)!;
  };
  const details = await mapBounded(hits, READS_IN_FLIGHT, async (hit) => {
    const [claim] = samenessClaims([hit], deps.samenessOf);
    const sightingId = claim && corroborationSightingId(tenantId, hit.collection.id, claim.key);
    // Read first what the counts need (the corroboration sighting, opinions), then the rest up to the limit.
    const rank = (id: string) => (id === sightingId ? 0 : id.startsWith('opinion--') ? 1 : 2);
    const toRead = [...new Set((referring.get(`${hit.collection.id}|${hit.id}`) ?? []).map((p) => p.objectId))]
      .sort((a, b) => rank(a) - rank(b))
      .slice(0, limits.referringPerHit);
    const entries = await Promise.all(toRead.map((id) => latest.latest(hit.collection.id, id)));
    const related = entries
      .filter((e): e is TimelineEntry => e !== undefined && referencedIds(e.object).includes(hit.id))
      .sort((a, b) => (a.dateAdded < b.dateAdded ? 1 : -1));
    const corroboration = related.find((r) => r.objectId === sightingId)?.object.count;
    const verdict = (await decisionsIn(hit.collection.id)).get(hit.id);
    const feedback = tallyOf(
      related.map((r) => ({ memberId: r.access.providerMemberId, dateAdded: r.dateAdded, object: r.object })),
      {
        minMembers: latest.readable.get(hit.collection.id)!.minMembers,
        providerMemberId: hit.access.providerMemberId,
        ...(verdict ? { verdict } : {}),
      },
    );
    return {
      related: related.slice(0, MAX_RELATED_PER_HIT).map((r) => summary(r.object)),
      corroboration: typeof corroboration === 'number' ? corroboration : 1,
      ...(feedback ? { feedback } : {}),
    };
  });
  return new Map(hits.map((hit, i) => [`${hit.collection.id}|${hit.id}`, details[i]!]));
}
