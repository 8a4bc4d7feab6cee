import type { Principal } from '../directory/model';
import { isCollectionVisible } from '../policy/collection-access';
import { latestIfVisible, latestVisible } from '../policy/visibility';
import type { DirectoryStore, ObjectStore } from '../ports';
import { readerViews } from '../taxii/collections';
import type { TimelineEntry } from '../taxii/model';

/**
 * What a member's request to the hub (a takedown, a support thread) may be about, and who may handle it. Requests
 * must not become an oracle on either side (docs/moderation.md):
 * 1. The asker acts on what it reads: the latest version of the object it may see by the TAXII read rules (a read
 *    grant, `canSee`). A newer version it may not see changes nothing for it: no 404 that a version exists.
 * 2. A moderator handles a request only about an object whose latest version it may read — what a decision acts
 *    on — as it would read it published (RED's named recipients, clearance; docs/moderation.md).
 * 3. The provider never learns who asked: no user of a member that provided any version of the object handles,
 *    lists or reads a request about it, whatever its role (tenant admins included). A moderator or tenant admin of
 *    another member decides it.
 * To everyone a request is hidden from, it is the 404 of a request that does not exist.
 */

export interface ObjectAccessDeps {
  directory: DirectoryStore;
  objects: Pick<ObjectStore, 'versionsOf'>;
}

export interface AboutObject {
  collectionId: string;
  objectId: string;
}

/** Rule 1: the latest version `principal` may see, or undefined (the same for "absent" and "not yours"). */
export async function latestVisibleTo(
  principal: Principal,
  tenantId: string,
  { collectionId, objectId }: AboutObject,
  deps: ObjectAccessDeps,
): Promise<TimelineEntry | undefined> {
  const view = (await readerViews(principal, tenantId, deps))(collectionId);
  if (!view.access.canRead) return undefined;
  const versions = await deps.objects.versionsOf(tenantId, collectionId, objectId);
  return latestVisible(view.reader, versions);
}

/** Rules 2 and 3: the object's latest version when `principal` may handle a request about it, else undefined. */
export async function handledVersion(
  principal: Principal,
  tenantId: string,
  { collectionId, objectId }: AboutObject,
  deps: ObjectAccessDeps,
): Promise<TimelineEntry | undefined> {
  const view = (await readerViews(principal, tenantId, deps))(collectionId);
  if (!view.access.canRead) return undefined;
  const versions = await deps.objects.versionsOf(tenantId, collectionId, objectId);
  if (versions.some((v) => v.access.providerMemberId === principal.memberId)) return undefined;
  return latestIfVisible(view.reader, versions);
}

/** Whether `principal` may see a collection (listed to it by TAXII 2.1 §5.1): what a request about one needs. */
export async function collectionVisibleTo(
  principal: Principal,
  tenantId: string,
  collectionId: string,
  deps: ObjectAccessDeps,
): Promise<boolean> {
  return isCollectionVisible((await readerViews(principal, tenantId, deps))(collectionId).access);
}
