import type { ObjectStore, StatusStore } from '../ports';
import { isObservableType } from '../stix/properties';
import type { NewVersion } from '../taxii/model';
import type { PipelineMessage } from './message';
import type { StageOutcome } from './outcome';

const STIX_21 = 'application/stix+json;version=2.1';

/** TAXII 2.1 §3.4.1: an object's version is its `modified`, else `created`; objects without either (SCOs) take the submission time. */
export function versionOf(object: Record<string, unknown>, submittedAt: string): string {
  const modified = object.modified ?? object.created;
  return typeof modified === 'string' ? modified : submittedAt;
}

/**
 * The last stage: writes each version with its date_added and settles the POST's status. A version already
 * stored (a redelivery, or the provider sending it twice) is a success, not a second copy (TAXII idempotency).
 */
export async function commit(
  message: PipelineMessage,
  deps: { objects: ObjectStore; statuses: StatusStore; now: () => number },
): Promise<StageOutcome> {
  // Ownership (BRIEF: nobody alters another member's intelligence): an SDO or SRO belongs to the member that shared
  // it first in the collection; another member's version is refused. Observables are facts anyone may report (their
  // ids are computed from their values), the platform's own objects belong to nobody, and a moderator's version is
  // a correction, recorded as such.
  const moderator = message.submitter?.isModerator === true;
  const versions: NewVersion[] = message.items.map((item) => ({
    tenantId: message.tenantId,
    collectionId: message.collectionId,
    objectId: item.object.id,
    type: item.object.type,
    version: versionOf(item.object, message.submittedAt),
    specVersion: typeof item.object.spec_version === 'string' ? item.object.spec_version : '2.1',
    mediaType: STIX_21,
    access: item.access,
    object: item.object,
    ownerOnly: !moderator && item.platform !== true && !isObservableType(item.object.type),
    ...(moderator && !isObservableType(item.object.type) ? { moderatorCorrection: true } : {}),
  }));
  const results = await deps.objects.commit(message.tenantId, message.collectionId, versions, deps.now());
  await deps.statuses.settle(
    message.tenantId,
    message.statusId,
    results.map((result, i) =>
      result.kind === 'foreign'
        ? { index: message.items[i]!.entry, state: 'failure' as const, message: `${message.items[i]!.object.id} belongs to another provider; only it (or a moderator) may publish new versions` }
        : {
            index: message.items[i]!.entry,
            state: 'success' as const,
            ...(result.kind === 'duplicate' ? { message: 'This version was already stored; kept once' } : {}),
          },
    ),
  );
  const foreign = results.filter((r) => r.kind === 'foreign').length;
  return { kind: 'done', committed: results.filter((r) => r.kind === 'added').length, droppedBy: foreign > 0 ? { 'belongs to another provider': foreign } : {} };
}
