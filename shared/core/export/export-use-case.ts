import { createHash } from 'node:crypto';
import type { Principal } from '../directory/model';
import { BadRequestError } from '../errors';
import type { WarningListMatcher } from '../pipeline/warning-lists';
import { assertCanRead } from '../policy/collection-access';
import { present } from '../policy/present';
import type { FeedbackReader } from '../ports';
import { collectionContext, readerViews } from '../taxii/collections';
import type { ReaderView, StixObject, Tlp } from '../taxii/model';
import { MAX_PAGE_SIZE, parseObjectQuery, type QueryParameters } from '../taxii/query';
import { readVersions, type ReadDeps } from '../taxii/read-objects';
import { exportFormat, type ExportFormat } from './formats';
import { newExportStats, type ExportInclusions, type ExportOptions, type ExportStats } from './items';

/**
 * GET …/exports/{format}/ (issue #15): what a member may read, as a block list, rules or a bundle.
 *
 * 1. Visibility is exactly that of TAXII reads: the collection is resolved by `collectionContext` and
 *    `assertCanRead` (a hidden or foreign collection is the same 404 as a missing one, TAXII 2.1 §5.2), and objects
 *    come from `readVersions` with the default `match[version]=last` (§3.4.2): the latest version the member may
 *    see. A revoked latest version therefore takes the object out of every list (STIX 2.1 §3.2 `revoked`).
 * 2. Scope: one collection, or every collection the member may read (`can_read`), in collection id order so that
 *    an unchanged scope exports the same bytes. Across collections an object shared into two is exported once
 *    (a second YARA rule with the same name breaks the whole file); this remembers the ids of earlier collections.
 * 3. Default exclusions (items.ts rule 1): revoked, expired and false-positive-flagged objects, each switchable
 *    with `include=revoked,expired,flagged`. Warning lists are the ones the filter stage uses.
 * 4. Memory: pages of at most MAX_PAGE_SIZE versions, the next read while the current one is written, and formats
 *    that are generators.
 */

export interface ExportRequest {
  principal: Principal;
  tenantId: string;
  /** The collection of the path (…/collections/{id}/exports/…); the query's `collection` otherwise. */
  collectionId?: string;
  format: string;
  query: QueryParameters;
}

export interface ExportDeps extends ReadDeps {
  feedback: FeedbackReader;
  warningLists: WarningListMatcher;
}

export interface ExportQuery {
  /** Undefined: every collection the member may read. */
  collectionId?: string;
  include: ExportInclusions;
}

const INCLUSIONS = ['revoked', 'expired', 'flagged'] as const;

const single = (query: QueryParameters, name: string): string | undefined => {
  const values = query[name] ?? [];
  if (values.length > 1) throw new BadRequestError(`${name}: give it once (it was given ${values.length} times)`);
  return values[0];
};

export function parseExportQuery(query: QueryParameters, pathCollectionId: string | undefined): ExportQuery {
  const collection = single(query, 'collection');
  if (collection !== undefined && pathCollectionId !== undefined && collection !== pathCollectionId) {
    throw new BadRequestError(
      `collection: the path names collection ${pathCollectionId}; leave the collection parameter out or give the same id`,
    );
  }
  if (collection === '')
    throw new BadRequestError('collection: empty; give a collection id, or leave it out to export every collection you may read');
  const include: ExportInclusions = {};
  for (const word of (single(query, 'include') ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)) {
    if (!(INCLUSIONS as readonly string[]).includes(word)) {
      throw new BadRequestError(
        `include: "${word.slice(0, 40)}" is not an exclusion that can be lifted; use any of ${INCLUSIONS.join(', ')}, comma-separated`,
      );
    }
    include[word as (typeof INCLUSIONS)[number]] = true;
  }
  const collectionId = pathCollectionId ?? collection;
  return { ...(collectionId !== undefined ? { collectionId } : {}), include };
}

interface ReadableCollection {
  id: string;
  defaultTlp: Tlp;
  reader: ReaderView;
}

async function readableCollections(request: ExportRequest, scope: ExportQuery, deps: ExportDeps): Promise<ReadableCollection[]> {
  if (scope.collectionId !== undefined) {
    const { collection, access, reader } = await collectionContext(request.principal, request.tenantId, scope.collectionId, deps);
    assertCanRead(access, scope.collectionId);
    return [{ id: collection.id, defaultTlp: collection.defaultTlp, reader }];
  }
  const [viewOf, collections] = await Promise.all([
    readerViews(request.principal, request.tenantId, deps),
    deps.directory.listCollections(request.tenantId),
  ]);
  return collections
    .map((collection) => ({ collection, ...viewOf(collection.id) }))
    .filter(({ access }) => access.canRead)
    .sort((a, b) => (a.collection.id < b.collection.id ? -1 : a.collection.id > b.collection.id ? 1 : 0))
    .map(({ collection, reader }) => ({ id: collection.id, defaultTlp: collection.defaultTlp, reader }));
}

/** How many objects each collection gave the export, for the audit record of the read. */
export type ExportReads = Array<{ collectionId: string; objects: number }>;

export interface PreparedExport {
  format: ExportFormat;
  /** The export's lines; read them once. */
  lines: AsyncIterable<string>;
  /** Filled in while `lines` is read. */
  stats: ExportStats;
  reads: ExportReads;
  /** A download name: `kyoyu-<scope>-<format>.<ext>`. */
  fileName: string;
}

/** A STIX bundle id stable per member, scope and inclusions (bundle.ts rule 3); UUID-shaped from a SHA-256. */
function bundleIdOf(request: ExportRequest, scope: ExportQuery): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([request.tenantId, request.principal.memberId, scope.collectionId ?? '*', scope.include]))
    .digest('hex');
  return `bundle--${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function prepareExport(request: ExportRequest, deps: ExportDeps): Promise<PreparedExport> {
  const format = exportFormat(request.format);
  const scope = parseExportQuery(request.query, request.collectionId);
  const collections = await readableCollections(request, scope, deps);
  const stats = newExportStats();
  const reads: ExportReads = collections.map((c) => ({ collectionId: c.id, objects: 0 }));
  // The collection being read: its default TLP and flagged objects apply to the objects it hands over (rule 2).
  let current: { collection: ReadableCollection; flagged: Set<string> } | undefined;
  const options: ExportOptions = {
    now: (deps.now ?? Date.now)(),
    warningLists: deps.warningLists,
    get defaultTlp() {
      return current?.collection.defaultTlp ?? 'amber';
    },
    excluded: (objectId) => current?.flagged.has(objectId) ?? false,
    include: scope.include,
    stats,
  };
  const latest = parseObjectQuery('objects', {}).filters;
  const seenBefore = new Set<string>();
  async function* objects(): AsyncGenerator<StixObject> {
    for (const [index, collection] of collections.entries()) {
      current = { collection, flagged: await deps.feedback.flaggedIn(collection.reader, request.tenantId, collection.id) };
      const seenHere: string[] = [];
      const read = (afterMs: number | undefined) =>
        readVersions(
          collection.reader,
          { tenantId: request.tenantId, collectionId: collection.id, endpoint: 'objects' },
          { filters: latest, limit: MAX_PAGE_SIZE, afterMs },
          deps,
        );
      let pending = read(undefined);
      for (;;) {
        const page = await pending;
        const last = page.entries[page.entries.length - 1];
        const more = page.more && last !== undefined;
        // The next page is read while this one is written (rule 4: two pages in memory at most): the store and
        // the format's CPU work overlap instead of taking turns.
        if (more) {
          pending = read(Date.parse(last.dateAdded));
          pending.catch(() => undefined); // awaited above on the next turn; this only keeps an abandoned read quiet
        }
        for (const entry of page.entries) {
          reads[index]!.objects++;
          if (seenBefore.has(entry.objectId)) continue;
          if (collections.length > 1) seenHere.push(entry.objectId);
          yield present(collection.reader, entry);
        }
        if (!more) break;
      }
      for (const id of seenHere) seenBefore.add(id);
    }
  }
  const scopeName = scope.collectionId ?? 'all';
  return {
    format,
    lines: format.lines(objects(), options, bundleIdOf(request, scope)),
    stats,
    reads,
    fileName: `kyoyu-${scopeName}-${format.name}.${format.extension}`,
  };
}
