import { ForbiddenError, NotFoundError } from '../errors';
import type { Tlp } from '../taxii/model';
import type { Grant } from './grants';
import { compareTlp } from './tlp';

/** What a member may do with one collection: TAXII's can_read / can_write (§5.1) and its read clearance. */
export interface CollectionAccess {
  canRead: boolean;
  canWrite: boolean;
  /** The most restrictive TLP it may read there; `clear` when it may not read at all. */
  clearance: Tlp;
  /** A sample recipient: may download the collection's malware samples it can see. */
  canReceiveSamples: boolean;
  /** Why the moderators suspended the member's posting, while they do: its grants' writes are refused. */
  postingSuspended?: string;
}

/** The member asking, with the groups it belongs to. */
export interface GrantHolder {
  tenantId: string;
  memberId: string;
  groupIds: readonly string[];
}

const NO_ACCESS: CollectionAccess = Object.freeze({ canRead: false, canWrite: false, clearance: 'clear', canReceiveSamples: false });

/**
 * A member's access to a collection from every grant that names it or one of its groups. Grants only add: read
 * and write are each allowed by any grant, the clearance is the highest any read grant gives. Grants of other
 * tenants or collections are ignored, so the caller may pass all it has.
 */
export function collectionAccess(grants: readonly Grant[], holder: GrantHolder, collectionId: string): CollectionAccess {
  const applicable = grants.filter(
    (g) =>
      g.tenantId === holder.tenantId &&
      g.collectionId === collectionId &&
      (g.grantee.kind === 'member' ? g.grantee.memberId === holder.memberId : holder.groupIds.includes(g.grantee.groupId)),
  );
  const readGrants = applicable.filter((g) => g.read);
  return {
    canRead: readGrants.length > 0,
    canWrite: applicable.some((g) => g.write),
    clearance: readGrants.reduce<Tlp>((best, g) => (compareTlp(g.clearance, best) > 0 ? g.clearance : best), NO_ACCESS.clearance),
    canReceiveSamples: readGrants.some((g) => g.samples),
  };
}

/** A collection is listed (TAXII 2.1 §5.1) to a member that may read or write it, and exists for nobody else. */
export function isCollectionVisible(access: CollectionAccess | undefined): boolean {
  return access !== undefined && (access.canRead || access.canWrite);
}

/**
 * The one 404 for a collection, whether it is missing or hidden from the caller: the same status and the same
 * words, so a member cannot probe which collections exist (TAXII 2.1 §5.2 allows 404 for "does not have access";
 * BRIEF: secret groups' existence is hidden). Handlers use it for missing collections too.
 */
export function collectionNotFound(collectionId: string): NotFoundError {
  return new NotFoundError(`Collection ${collectionId} was not found in this API root`);
}

/** Throws the missing-collection 404 unless the caller may see the collection. */
export function assertCollectionVisible(access: CollectionAccess | undefined, collectionId: string): asserts access is CollectionAccess {
  if (!isCollectionVisible(access)) throw collectionNotFound(collectionId);
}

/**
 * For the GET endpoints (TAXII 2.1 §5.3–5.8): 404 when the collection is hidden, 403 when the caller knows it
 * (it may write) but may not read it.
 */
export function assertCanRead(access: CollectionAccess | undefined, collectionId: string): asserts access is CollectionAccess {
  assertCollectionVisible(access, collectionId);
  if (!access.canRead) throw new ForbiddenError(`You may add objects to collection ${collectionId} but not read it (can_read is false)`);
}

/** For POST objects (TAXII 2.1 §5.5): 404 when hidden, 403 when the caller may only read or its posting is suspended. */
export function assertCanWrite(access: CollectionAccess | undefined, collectionId: string): asserts access is CollectionAccess {
  assertCollectionVisible(access, collectionId);
  if (access.postingSuspended !== undefined)
    throw new ForbiddenError(`The moderators suspended your member's posting: ${access.postingSuspended}`);
  if (!access.canWrite) throw new ForbiddenError(`Collection ${collectionId} is read-only for you (can_write is false)`);
}

/** A member's access as its own state limits it: a member whose posting is suspended writes nowhere (issue #14). */
export function limitedByMember(access: CollectionAccess, member: { postingSuspended?: { reason: string } } | undefined): CollectionAccess {
  return member?.postingSuspended ? { ...access, postingSuspended: member.postingSuspended.reason } : access;
}
