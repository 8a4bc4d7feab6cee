import type { Principal } from '../directory/model';
import { NotFoundError } from '../errors';
import type { AuditDeps } from '../audit/record';
import { recordOriginalsRead } from '../audit/record';
import { present } from '../policy/present';
import { canSee } from '../policy/visibility';
import type { DirectoryStore, OriginalsReader } from '../ports';
import type { AccessScope, StixObject } from './model';
import { collectionContext } from './collections';

export interface KeptOriginal {
  objectId: string;
  version: string;
  providerMemberId: string;
  publishedId?: string;
  /** The scope the provider set; absent on originals kept before it was recorded. */
  access?: AccessScope;
  original: StixObject;
}

/**
 * GET …/objects/{id}/originals/ (a Kyoyu extension): what the provider submitted before anonymisation. Its provider
 * reads its own; a moderator or tenant admin reads an original only where it may read the published item — the
 * collection, the TLP clearance, RED recipients, the secret opt-in moderators are exempt from (policy/visibility) —
 * and not one kept without its scope. Everyone else gets the 404 of an absent object. Every read is in the audit log
 * before the answer: no entry, no original.
 */
export async function getOriginals(
  request: { principal: Principal; tenantId: string; collectionId: string; objectId: string },
  deps: { directory: DirectoryStore; originals: OriginalsReader } & AuditDeps,
): Promise<{ more: false; objects: StixObject[] }> {
  const { access, reader } = await collectionContext(request.principal, request.tenantId, request.collectionId, deps);
  const all = await deps.originals.originalsOf(request.tenantId, request.collectionId, request.objectId);
  const readable = all.filter(
    (o) =>
      o.providerMemberId === request.principal.memberId ||
      (reader.isModerator && access.canRead && o.access !== undefined && canSee(reader, { tenantId: request.tenantId, access: o.access })),
  );
  if (readable.length === 0)
    throw new NotFoundError(`No original of ${request.objectId} in collection ${request.collectionId} for these credentials`);
  await recordOriginalsRead(
    request.principal,
    { collectionId: request.collectionId, objectId: request.objectId, versions: readable.map((o) => o.version) },
    deps,
  );
  return { more: false, objects: readable.map((o) => (o.access ? present(reader, { object: o.original, access: o.access }) : o.original)) };
}
