import type { ObjectStore, SearchIndex } from '../ports';
import type { CommitResult, NewVersion, StixObject, TimelineEntry, TimelinePage } from '../taxii/model';
import { postingKey, postingsOf, type Posting } from './postings';

/**
 * The object store, with the search index kept at commit (issue #15): every path that publishes — the pipeline's
 * commit, a moderator's decision, a takedown's revocation or correction — and every DELETE goes through here, so
 * the index follows them all without any of them knowing.
 *
 * - A version being committed adds its postings (again, when it is redelivered after a failed indexing).
 * - A revoked version (STIX 2.1 §3.6: revocation is final) removes the postings of every version of the object.
 * - A deletion removes the postings that only the deleted versions had.
 * Postings of a superseded version stay until a revocation, deletion or rebuild: search confirms every candidate
 * against the latest version the reader may see (search.ts), so a stale posting can cost a read, never a wrong hit.
 */
export class IndexedObjectStore implements ObjectStore {
  constructor(
    private readonly inner: ObjectStore,
    private readonly index: SearchIndex,
  ) {}

  async commit(tenantId: string, collectionId: string, versions: NewVersion[], nowMs: number): Promise<CommitResult[]> {
    // Postings are written alongside the versions, not after them: a posting whose version is then refused (another
    // member's object) or never stored points at nothing that states its value, which search.ts never answers.
    const live = versions.filter((v) => v.object.revoked !== true);
    const postings = live.map((v) => postingsOf(collectionId, v.object));
    const [results] = await Promise.all([
      this.inner.commit(tenantId, collectionId, versions, nowMs),
      this.index.put(
        tenantId,
        postings.flatMap((p) => p.postings),
        [...new Set(postings.flatMap((p) => p.prefixLengths))],
      ),
    ]);
    const revoked = [
      ...new Set(versions.filter((v, i) => v.object.revoked === true && results[i]?.kind !== 'foreign').map((v) => v.objectId)),
    ];
    await Promise.all(
      revoked.map(async (objectId) =>
        this.index.remove(tenantId, postingsOfVersions(collectionId, await this.inner.versionsOf(tenantId, collectionId, objectId))),
      ),
    );
    return results;
  }

  async deleteVersions(tenantId: string, collectionId: string, objectId: string, versions: string[]): Promise<number> {
    const before = await this.inner.versionsOf(tenantId, collectionId, objectId);
    const removed = await this.inner.deleteVersions(tenantId, collectionId, objectId, versions);
    const gone = new Set(versions);
    const remaining = before.filter((v) => !gone.has(v.version));
    const kept = new Set(indexedPostings(collectionId, remaining).map(postingKey));
    await this.index.remove(
      tenantId,
      postingsOfVersions(collectionId, before).filter((p) => !kept.has(postingKey(p))),
    );
    return removed;
  }

  scan(tenantId: string, collectionId: string, afterMs: number | undefined, maxEntries: number): Promise<TimelinePage> {
    return this.inner.scan(tenantId, collectionId, afterMs, maxEntries);
  }

  versionsOf(tenantId: string, collectionId: string, objectId: string): Promise<TimelineEntry[]> {
    return this.inner.versionsOf(tenantId, collectionId, objectId);
  }

  hasVersions(tenantId: string, collectionId: string, objectId: string): Promise<boolean> {
    return this.inner.hasVersions(tenantId, collectionId, objectId);
  }
}

function postingsOfVersions(collectionId: string, versions: ReadonlyArray<{ object: StixObject }>): Posting[] {
  return versions.flatMap((v) => postingsOf(collectionId, v.object).postings);
}

/** What the index holds for an object whose stored versions are these: nothing once it is revoked. */
export function indexedPostings(collectionId: string, versions: ReadonlyArray<{ object: StixObject }>): Posting[] {
  return versions.some((v) => v.object.revoked === true) ? [] : postingsOfVersions(collectionId, versions);
}
