import type { ObjectStore, StatusStore } from '../ports';
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
  }));
  const results = await deps.objects.commit(message.tenantId, message.collectionId, versions, deps.now());
  await deps.statuses.settle(
    message.tenantId,
    message.statusId,
    results.map((result, i) => ({
      index: message.items[i]!.entry,
      state: 'success' as const,
      ...(result.kind === 'duplicate' ? { message: 'This version was already stored; kept once' } : {}),
    })),
  );
  return { kind: 'done', committed: results.filter((r) => r.kind === 'added').length, droppedBy: {} };
}
