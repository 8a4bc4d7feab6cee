import type { Principal } from '../directory/model';
import { NotFoundError } from '../errors';
import type { DirectoryStore } from '../ports';
import type { StixObject } from './model';
import { collectionContext } from './collections';

export interface KeptOriginal {
  objectId: string;
  version: string;
  providerMemberId: string;
  publishedId?: string;
  original: StixObject;
}

export interface OriginalsReader {
  originalsOf(tenantId: string, collectionId: string, objectId: string): Promise<KeptOriginal[]>;
}

const MODERATING = new Set(['moderator', 'tenant-admin']);

/**
 * GET …/objects/{id}/originals/ (a Kyoyu extension): what the provider submitted before anonymisation. Only its
 * provider and the tenant's moderators may read it (BRIEF); everyone else gets the 404 of an absent object.
 */
export async function getOriginals(
  request: { principal: Principal; tenantId: string; collectionId: string; objectId: string },
  deps: { directory: DirectoryStore; originals: OriginalsReader },
): Promise<{ more: false; objects: StixObject[] }> {
  await collectionContext(request.principal, request.tenantId, request.collectionId, deps);
  const all = await deps.originals.originalsOf(request.tenantId, request.collectionId, request.objectId);
  const readable = MODERATING.has(request.principal.role) ? all : all.filter((o) => o.providerMemberId === request.principal.memberId);
  if (readable.length === 0) throw new NotFoundError(`No original of ${request.objectId} in collection ${request.collectionId} for these credentials`);
  return { more: false, objects: readable.map((o) => o.original) };
}
