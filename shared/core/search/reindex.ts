import { mapBounded } from '../bounded';
import type { Caller } from '../directory/model';
import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../errors';
import { administeredTenant } from '../policy/admin-access';
import type { DirectoryStore, ObjectStore, SearchIndex } from '../ports';
import { indexedPostings } from './indexed-object-store';
import { postingsOf } from './postings';

export interface ReindexDeps {
  directory: DirectoryStore;
  objects: ObjectStore;
  index: SearchIndex;
  now: () => number;
}

/** One call rebuilds for this long at most, then answers with where to go on (`next`): well inside API Gateway's 29 s. */
const TIME_BUDGET_MS = 15_000;
const SCAN_STEP = 1000;

export interface ReindexProgress {
  collectionId: string;
  /** Objects whose postings were written again (or removed, once revoked). */
  objects: number;
  postings: number;
  /** Pass back to continue; absent once the collection is done. */
  next?: string;
}

/**
 * Rebuilds a collection's part of the search index from its stored versions (issue #15: after a restore, or when
 * the indexing rules change): every object's postings are written again, a revoked object's removed. Idempotent, and
 * safe while members publish: a posting put twice is one posting.
 */
const ReindexInputSchema = z.object({ next: z.string().max(32).optional() }).strict();

export async function reindexCollection(
  caller: Caller,
  tenantId: string,
  collectionId: string,
  input: unknown,
  deps: ReindexDeps,
): Promise<ReindexProgress> {
  await administeredTenant(caller, tenantId, deps);
  const parsed = ReindexInputSchema.safeParse(input ?? {});
  if (!parsed.success) throw new BadRequestError('The body is {} or {"next": "<the next of the previous answer>"}');
  const next = parsed.data.next;
  if (!(await deps.directory.getCollection(tenantId, collectionId)))
    throw new NotFoundError(`No collection ${collectionId} in tenant ${tenantId}`);
  const started = deps.now();
  let afterMs = next === undefined ? undefined : Number(next);
  if (afterMs !== undefined && !Number.isSafeInteger(afterMs)) throw new NotFoundError(`next ${next} is not a position this command gave`);
  const done = new Set<string>();
  let postings = 0;
  for (;;) {
    const page = await deps.objects.scan(tenantId, collectionId, afterMs, SCAN_STEP);
    const objectIds = [...new Set(page.entries.map((e) => e.objectId))].filter((id) => !done.has(id));
    await mapBounded(objectIds, 16, async (objectId) => {
      const versions = await deps.objects.versionsOf(tenantId, collectionId, objectId);
      const wanted = indexedPostings(collectionId, versions);
      if (wanted.length === 0) {
        await deps.index.remove(
          tenantId,
          versions.flatMap((v) => postingsOf(collectionId, v.object).postings),
        );
      } else {
        const prefixLengths = [...new Set(versions.flatMap((v) => postingsOf(collectionId, v.object).prefixLengths))];
        await deps.index.put(tenantId, wanted, prefixLengths);
      }
      postings += wanted.length;
      done.add(objectId);
    });
    afterMs = page.lastScannedMs ?? afterMs;
    if (page.exhausted) return { collectionId, objects: done.size, postings };
    if (deps.now() - started > TIME_BUDGET_MS) return { collectionId, objects: done.size, postings, next: String(afterMs) };
  }
}
