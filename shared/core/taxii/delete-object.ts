import { recordDelete, type AuditDeps } from '../audit/record';
import { ForbiddenError, NotFoundError } from '../errors';
import { assertCanRead } from '../policy/collection-access';
import { isModeratingRole, mayDelete } from '../policy/roles';
import type { CorroborationRelease, OriginalsEraser } from '../ports';
import { corroborationSightingId, samenessClaims } from '../pipeline/dedupe';
import { collectionContext } from './collections';
import type { StixObject } from './model';
import { parseObjectQuery } from './query';
import { visibleVersionsOf, type ReadDeps, type ReadRequest } from './read-objects';
import { selectVersions } from './version-selection';

/** What a DELETE removes besides the versions: everything kept because they were published. */
export interface DeleteDeps extends Omit<ReadDeps, 'now'>, AuditDeps {
  originals: OriginalsEraser;
  corroboration: CorroborationRelease;
  /** The pipeline's sameness (core/pipeline/observables.ts), to find the corroboration key the object holds. */
  samenessOf: (object: StixObject) => string | undefined;
}

/**
 * DELETE …/objects/{id}/ — TAXII 2.1 §5.7: removes the versions match[version]/match[spec_version] select (all
 * by default). Only the provider of every such version, or a moderator, may. Deleting means deleting: the
 * originals of those versions go with them, and once no version that says the same thing is left, so do the
 * corroboration record and its sighting — a later identical report is published anew, not merged into an
 * object nobody can read. Every deletion is in the audit log before anything is removed: no entry, no deletion.
 */
export async function deleteObject(request: ReadRequest & { objectId: string }, deps: DeleteDeps): Promise<void> {
  const { reader, access } = await collectionContext(request.principal, request.tenantId, request.collectionId, deps);
  assertCanRead(access, request.collectionId);
  // TAXII 2.1 §5.7: a member that may read but not write the collection is refused (403) before any lookup, so
  // the answer is the same whether the object exists or not. Moderators moderate what they may read.
  if (!access.canWrite && !isModeratingRole(request.principal.role)) {
    throw new ForbiddenError(
      `Collection ${request.collectionId} is read-only for you (can_write is false); deleting needs write access (TAXII 2.1 §5.7)`,
    );
  }
  const query = parseObjectQuery('object', { ...request.query, 'match[version]': request.query['match[version]'] ?? ['all'] });
  const scope = { tenantId: request.tenantId, collectionId: request.collectionId, objectId: request.objectId };
  const visible = await visibleVersionsOf(reader, scope, deps);
  const doomed = selectVersions(visible, query.filters);
  if (doomed.length === 0)
    throw new NotFoundError(`No object ${request.objectId} in collection ${request.collectionId} for these credentials`);
  if (
    !mayDelete(
      request.principal.role,
      request.principal.memberId,
      doomed.map((v) => v.access.providerMemberId),
    )
  ) {
    throw new ForbiddenError(`Only the provider of ${request.objectId} or a moderator may delete it`);
  }
  const versions = doomed.map((v) => v.version);
  await recordDelete(request.principal, { collectionId: request.collectionId, objectId: request.objectId, versions }, deps);
  // What hangs off the versions goes first, the versions last: if anything fails, the versions are still there and
  // the same DELETE can be sent again; nothing is left behind that no DELETE could reach.
  await deps.originals.forget(request.tenantId, request.collectionId, request.objectId, versions);
  // A key stays held while any remaining version (one not selected, or one this reader cannot see) still says it.
  const gone = new Set(versions);
  const all = await deps.objects.versionsOf(request.tenantId, request.collectionId, request.objectId);
  const remaining = samenessClaims(
    all.filter((v) => !gone.has(v.version)),
    deps.samenessOf,
  );
  const released = samenessClaims(doomed, deps.samenessOf).filter((c) => !remaining.some((r) => r.key === c.key));
  if (released.length > 0) {
    await deps.corroboration.release(request.tenantId, request.collectionId, released);
    // The platform's corroboration sighting points at the deleted object and counts reports merged into it.
    await Promise.all(
      released.map(async ({ key }) => {
        const sightingId = corroborationSightingId(request.tenantId, request.collectionId, key);
        const sightings = await deps.objects.versionsOf(request.tenantId, request.collectionId, sightingId);
        const ofThis = sightings.filter((s) => s.object.sighting_of_ref === request.objectId).map((s) => s.version);
        if (ofThis.length > 0) await deps.objects.deleteVersions(request.tenantId, request.collectionId, sightingId, ofThis);
      }),
    );
  }
  await deps.objects.deleteVersions(request.tenantId, request.collectionId, request.objectId, versions);
}
