import type { Principal } from '../directory/model';
import { NotFoundError } from '../errors';
import { assertCanRead } from '../policy/collection-access';
import { predefinedMarkingDefinition, present } from '../policy/present';
import { canSee } from '../policy/visibility';
import type { DirectoryStore, ObjectStore } from '../ports';
import { collectionContext } from './collections';
import { encodeCursor, resolveListing, type CursorKey, type CursorScope, type Listing } from './cursor';
import type { ReaderView, StixObject, TimelineEntry } from './model';
import { parseObjectQuery, type ListingEndpoint, type QueryParameters } from './query';
import { formatDateAddedForHeader } from './timestamps';
import { matchesIdAndType, selectedFromFlags, selectVersions } from './version-selection';

export interface ReadDeps {
  directory: DirectoryStore;
  objects: ObjectStore;
  cursorKeys: readonly CursorKey[];
  now?: () => number;
}

/** One page of versions the reader may see, in date_added order. */
export interface VersionPage {
  entries: TimelineEntry[];
  more: boolean;
  next?: string;
  /** X-TAXII-Date-Added-First/-Last (TAXII 2.1 §3.3.1); absent on an empty page (TAXII-CLIENTS #16). */
  headers: Record<string, string>;
}

/** A scan step reads a little more than the page needs, since some entries will not be visible. */
const SCAN_STEP = 1000;
/** Keep every response well under Lambda's 6 MB response payload limit. */
const PAGE_BYTE_BUDGET = 4 * 1024 * 1024;
/** Answer within API Gateway's 29 s (TAXII-CLIENTS #25) even if visibility filtering discards almost everything. */
const SCAN_TIME_BUDGET_MS = 20_000;
/** Up to this many match[id] values are read object by object instead of scanning the collection. */
const DIRECT_ID_LOOKUP_LIMIT = 50;

const msOf = (entry: TimelineEntry): number => Date.parse(entry.dateAdded);

function pageHeaders(entries: TimelineEntry[]): Record<string, string> {
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return {};
  return {
    'X-TAXII-Date-Added-First': formatDateAddedForHeader(msOf(first)),
    'X-TAXII-Date-Added-Last': formatDateAddedForHeader(msOf(last)),
  };
}

export async function visibleVersionsOf(
  reader: ReaderView,
  scope: CursorScope & { objectId: string },
  deps: ReadDeps,
): Promise<TimelineEntry[]> {
  const versions = await deps.objects.versionsOf(scope.tenantId, scope.collectionId, scope.objectId);
  return versions.filter((v) => canSee(reader, v));
}

/** The visible versions of a few named objects, selected, in date_added order, after the listing's position. */
async function candidatesByIds(reader: ReaderView, scope: CursorScope, listing: Listing, deps: ReadDeps): Promise<TimelineEntry[]> {
  const ids = scope.objectId ? [scope.objectId] : listing.filters.ids;
  const perObject = await Promise.all(ids.map((objectId) => visibleVersionsOf(reader, { ...scope, objectId }, deps)));
  return selectVersions(perObject.flat(), listing.filters)
    .filter((v) => matchesIdAndType(v, listing.filters))
    .filter((v) => listing.afterMs === undefined || msOf(v) > listing.afterMs)
    .sort((a, b) => msOf(a) - msOf(b));
}

function finish(entries: TimelineEntry[], more: boolean, scope: CursorScope, listing: Listing, keys: readonly CursorKey[]): VersionPage {
  const last = entries[entries.length - 1];
  // TAXII-CLIENTS #10: more:true exactly when a next token is given.
  const next = more && last ? encodeCursor({ scope, filters: listing.filters, afterMs: msOf(last) }, keys[0]!) : undefined;
  return { entries, more: next !== undefined, ...(next ? { next } : {}), headers: pageHeaders(entries) };
}

/**
 * Pages through what the reader may see. The cost of a page depends on the page, not on the collection: the
 * scan starts at the cursor's position in the collection timeline, and stops when the page is full. Entries the
 * reader may not see are skipped, never counted, and the scan goes on so that no page is empty while more is
 * true (TAXII-CLIENTS #11).
 */
export async function readVersions(reader: ReaderView, scope: CursorScope, listing: Listing, deps: ReadDeps): Promise<VersionPage> {
  const now = deps.now ?? Date.now;
  if (scope.objectId || (listing.filters.ids.length > 0 && listing.filters.ids.length <= DIRECT_ID_LOOKUP_LIMIT)) {
    const candidates = await candidatesByIds(reader, scope, listing, deps);
    const entries = candidates.slice(0, listing.limit);
    return finish(entries, candidates.length > entries.length, scope, listing, deps.cursorKeys);
  }
  const entries: TimelineEntry[] = [];
  const started = now();
  let afterMs = listing.afterMs;
  let bytes = 0;
  for (;;) {
    const step = await deps.objects.scan(
      scope.tenantId,
      scope.collectionId,
      afterMs,
      Math.min(SCAN_STEP, Math.max(listing.limit * 2, 100)),
    );
    for (const [i, entry] of step.entries.entries()) {
      afterMs = msOf(entry);
      if (!matchesIdAndType(entry, listing.filters) || !canSee(reader, entry)) continue;
      let selected = selectedFromFlags(entry, listing.filters);
      if (selected === undefined) {
        const history = await visibleVersionsOf(reader, { ...scope, objectId: entry.objectId }, deps);
        selected = selectVersions(history, listing.filters).some((v) => v.version === entry.version && v.specVersion === entry.specVersion);
      }
      if (!selected) continue;
      entries.push(entry);
      bytes += JSON.stringify(entry.object).length;
      if (entries.length >= listing.limit || bytes >= PAGE_BYTE_BUDGET) {
        const more = i < step.entries.length - 1 || !step.exhausted;
        return finish(entries, more, scope, listing, deps.cursorKeys);
      }
    }
    if (step.exhausted) return finish(entries, false, scope, listing, deps.cursorKeys);
    if (entries.length > 0 && now() - started > SCAN_TIME_BUDGET_MS) return finish(entries, true, scope, listing, deps.cursorKeys);
  }
}

export interface ReadRequest {
  principal: Principal;
  tenantId: string;
  collectionId: string;
  objectId?: string;
  query: QueryParameters;
}

async function readFor(endpoint: ListingEndpoint, request: ReadRequest, deps: ReadDeps): Promise<VersionPage & { reader: ReaderView }> {
  const { reader, access } = await collectionContext(request.principal, request.tenantId, request.collectionId, deps);
  assertCanRead(access, request.collectionId);
  const scope: CursorScope = {
    tenantId: request.tenantId,
    collectionId: request.collectionId,
    ...(request.objectId ? { objectId: request.objectId } : {}),
    endpoint,
  };
  const listing = resolveListing(parseObjectQuery(endpoint, request.query), deps.cursorKeys, scope);
  const page = await readVersions(reader, scope, listing, deps);
  if (request.objectId && page.entries.length === 0 && listing.afterMs === undefined && !servedTlpDefinition(endpoint, request.objectId)) {
    // TAXII 2.1 §5.6: an object the caller cannot see is as absent as one that was never shared.
    throw new NotFoundError(`No object ${request.objectId} in collection ${request.collectionId} for these credentials`);
  }
  return { ...page, reader };
}

/**
 * Every object leaves marked with a TLP marking definition (policy/present.ts), so each collection serves the predefined
 * ones (TLP 2.0, and STIX 2.1's TLP 1.0) at GET …/objects/{id}/ for a member's tool to resolve the reference, whether or not a provider shared one.
 */
const servedTlpDefinition = (endpoint: ListingEndpoint, objectId: string) =>
  endpoint === 'object' && predefinedMarkingDefinition(objectId) !== undefined;

/** TAXII 2.1 §3.7 envelope. `objects` is always present, `next` only with more (TAXII-CLIENTS #9, #10). */
export interface Envelope {
  more: boolean;
  next?: string;
  objects: StixObject[];
}

const envelopeOf = (page: VersionPage & { reader: ReaderView }): Envelope => ({
  more: page.more,
  ...(page.next ? { next: page.next } : {}),
  objects: page.entries.map((e) => present(page.reader, e)),
});

/** GET …/objects/ — TAXII 2.1 §5.4 */
export async function getObjects(request: ReadRequest, deps: ReadDeps): Promise<{ body: Envelope; headers: Record<string, string> }> {
  const page = await readFor('objects', request, deps);
  return { body: envelopeOf(page), headers: page.headers };
}

/** GET …/objects/{id}/ — TAXII 2.1 §5.6 */
export async function getObject(
  request: ReadRequest & { objectId: string },
  deps: ReadDeps,
): Promise<{ body: Envelope; headers: Record<string, string> }> {
  const page = await readFor('object', request, deps);
  const predefined = predefinedMarkingDefinition(request.objectId);
  if (page.entries.length === 0 && predefined && !page.more) return { body: { more: false, objects: [predefined] }, headers: {} };
  return { body: envelopeOf(page), headers: page.headers };
}

/** TAXII 2.1 §5.3.1 manifest record. */
export interface ManifestRecord {
  id: string;
  date_added: string;
  version: string;
  media_type: string;
}

/** GET …/manifest/ — TAXII 2.1 §5.3 */
export async function getManifest(
  request: ReadRequest,
  deps: ReadDeps,
): Promise<{ body: { more: boolean; next?: string; objects: ManifestRecord[] }; headers: Record<string, string> }> {
  const page = await readFor('manifest', request, deps);
  return {
    body: {
      more: page.more,
      ...(page.next ? { next: page.next } : {}),
      objects: page.entries.map((e) => ({
        id: e.objectId,
        date_added: formatDateAddedForHeader(msOf(e)),
        version: e.version,
        media_type: e.mediaType,
      })),
    },
    headers: page.headers,
  };
}

/** GET …/objects/{id}/versions/ — TAXII 2.1 §5.8 */
export async function getVersions(
  request: ReadRequest & { objectId: string },
  deps: ReadDeps,
): Promise<{ body: { more: boolean; next?: string; versions: string[] }; headers: Record<string, string> }> {
  const page = await readFor('versions', request, deps);
  return {
    body: { more: page.more, ...(page.next ? { next: page.next } : {}), versions: page.entries.map((e) => e.version) },
    headers: page.headers,
  };
}
