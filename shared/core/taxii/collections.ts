import { CollectionSchema, type Collection, type Principal } from '../directory/model';
import {
  collectionAccess,
  collectionNotFound,
  assertCollectionVisible,
  isCollectionVisible,
  limitedByMember,
  type CollectionAccess,
} from '../policy/collection-access';
import { narrowByRole } from '../policy/roles';
import { readerView } from '../policy/visibility';
import type { DirectoryStore } from '../ports';
import { assertOwnApiRoot } from './api-root';
import { STIX_MEDIA_TYPE } from './media-types';
import type { ReaderView } from './model';

/** TAXII 2.1 §5.2.1 collection resource. */
export interface CollectionResource {
  id: string;
  title: string;
  description?: string;
  alias?: string;
  can_read: boolean;
  can_write: boolean;
  media_types: string[];
}

export interface CollectionContext {
  collection: Collection;
  access: CollectionAccess;
  reader: ReaderView;
}

/** The member's own grants and those of every group it belongs to (secret groups included), read per request. */
async function accessOf(principal: Principal, deps: { directory: DirectoryStore }) {
  const [own, groups] = await Promise.all([
    deps.directory.grantsOfMember(principal.tenantId, principal.memberId),
    deps.directory.listGroups(principal.tenantId),
  ]);
  const groupIds = groups.filter((g) => g.memberIds.includes(principal.memberId)).map((g) => g.id);
  const groupGrants = await Promise.all(groupIds.map((groupId) => deps.directory.grantsOfGroup(principal.tenantId, groupId)));
  const grants = [...own, ...groupGrants.flat()];
  return (collectionId: string) =>
    narrowByRole(
      collectionAccess(grants, { tenantId: principal.tenantId, memberId: principal.memberId, groupIds }, collectionId),
      principal.role,
    );
}

function resource(collection: Collection, access: CollectionAccess): CollectionResource {
  return {
    id: collection.id,
    title: collection.title,
    ...(collection.description ? { description: collection.description } : {}),
    ...(collection.alias ? { alias: collection.alias } : {}),
    can_read: access.canRead,
    can_write: access.canWrite && access.postingSuspended === undefined,
    media_types: [STIX_MEDIA_TYPE],
  };
}

/**
 * The collection a request names, with the caller's access and reader view. A collection the caller may not
 * see is the same 404 as one that does not exist (TAXII 2.1 §5.2).
 */
export async function collectionContext(
  principal: Principal,
  tenantId: string,
  collectionId: string,
  deps: { directory: DirectoryStore },
): Promise<CollectionContext> {
  await assertOwnApiRoot(principal, tenantId);
  // Every collection id is a UUID (TAXII 2.1 §2); anything else names no collection and is never used as a key
  // (a 10 KB one exceeds the directory's key size and would fail the read).
  if (!CollectionSchema.shape.id.safeParse(collectionId).success)
    throw collectionNotFound(collectionId.length > 64 ? `${collectionId.slice(0, 64)}…` : collectionId);
  const [collection, accessFor, member] = await Promise.all([
    deps.directory.getCollection(tenantId, collectionId),
    accessOf(principal, deps),
    deps.directory.getMember(principal.tenantId, principal.memberId),
  ]);
  if (!collection || !member) throw collectionNotFound(collectionId);
  const access = limitedByMember(accessFor(collectionId), member);
  assertCollectionVisible(access, collectionId);
  return { collection, access, reader: readerView(principal, member, access) };
}

/**
 * The caller's access and reader view for any collection of its own tenant, from one read of its grants: for
 * listings that span collections (the moderation queue).
 */
export async function readerViews(
  principal: Principal,
  tenantId: string,
  deps: { directory: DirectoryStore },
): Promise<(collectionId: string) => { access: CollectionAccess; reader: ReaderView }> {
  await assertOwnApiRoot(principal, tenantId);
  const [accessFor, member] = await Promise.all([
    accessOf(principal, deps),
    deps.directory.getMember(principal.tenantId, principal.memberId),
  ]);
  return (collectionId) => {
    const access = limitedByMember(accessFor(collectionId), member);
    return { access, reader: readerView(principal, member ?? { secretOptIn: false }, access) };
  };
}

/** TAXII 2.1 §5.1: only the collections the caller's grants let it see, with can_read/can_write from them. */
export async function listCollections(
  principal: Principal,
  tenantId: string,
  deps: { directory: DirectoryStore },
): Promise<{ collections: CollectionResource[] }> {
  await assertOwnApiRoot(principal, tenantId);
  const [collections, accessOfCollection, member] = await Promise.all([
    deps.directory.listCollections(tenantId),
    accessOf(principal, deps),
    deps.directory.getMember(principal.tenantId, principal.memberId),
  ]);
  const accessFor = (collectionId: string) => limitedByMember(accessOfCollection(collectionId), member);
  return {
    collections: collections
      .map((collection) => ({ collection, access: accessFor(collection.id) }))
      .filter(({ access }) => isCollectionVisible(access))
      .sort((a, b) => a.collection.title.localeCompare(b.collection.title))
      .map(({ collection, access }) => resource(collection, access)),
  };
}

/** TAXII 2.1 §5.2: the same object the listing shows. */
export async function getCollection(
  principal: Principal,
  tenantId: string,
  collectionId: string,
  deps: { directory: DirectoryStore },
): Promise<CollectionResource> {
  const { collection, access } = await collectionContext(principal, tenantId, collectionId, deps);
  return resource(collection, access);
}
