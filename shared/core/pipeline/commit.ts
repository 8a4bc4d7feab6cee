import type { ModerationItem } from '../moderation/queue';
import type { ModerationStore, ObjectStore, StatusStore } from '../ports';
import { isObservableType } from '../stix/properties';
import { versionOf } from '../stix/version';
import type { CommitResult, NewVersion } from '../taxii/model';
import { WAITING_FOR_MODERATION } from '../taxii/status';
import type { PipelineMessage } from './message';
import type { StageOutcome } from './outcome';
import { referencesOf } from './references';

const STIX_21 = 'application/stix+json;version=2.1';

/** An object on its way to the store, with the scope its provider set. */
export interface Publishable {
  object: PipelineMessage['items'][number]['object'];
  access: PipelineMessage['items'][number]['access'];
  submittedAt: string;
  /** Made by the platform (a corroboration sighting): no provider owns it. */
  platform?: boolean;
}

/**
 * Writes versions to the collection. Ownership (BRIEF: nobody alters another member's intelligence): an SDO or SRO
 * belongs to the member that shared it first in the collection; another member's version is refused. Observables
 * are facts anyone may report (their ids are computed from their values), the platform's own objects belong to
 * nobody, and a moderator's version is a correction, recorded as such.
 */
export function publishVersions(
  tenantId: string,
  collectionId: string,
  items: readonly Publishable[],
  byModerator: boolean,
  deps: { objects: ObjectStore; now: () => number },
): Promise<CommitResult[]> {
  const versions: NewVersion[] = items.map((item) => ({
    tenantId,
    collectionId,
    objectId: item.object.id,
    type: item.object.type,
    version: versionOf(item.object, item.submittedAt),
    specVersion: typeof item.object.spec_version === 'string' ? item.object.spec_version : '2.1',
    mediaType: STIX_21,
    access: item.access,
    object: item.object,
    ownerOnly: !byModerator && item.platform !== true && !isObservableType(item.object.type),
    ...(byModerator && !isObservableType(item.object.type) ? { moderatorCorrection: true } : {}),
  }));
  return deps.objects.commit(tenantId, collectionId, versions, deps.now());
}

/** What the commit stage learns of the collection: whether a moderator publishes, and what the provider asked. */
export interface Publication {
  publication: 'auto' | 'moderation';
  fourEyes: boolean;
  providerReview: { always: boolean; hours: number; onDeadline: 'withdraw' | 'publish' };
}

export interface CommitDeps {
  objects: ObjectStore;
  statuses: StatusStore;
  moderation: ModerationStore;
  publicationOf: (tenantId: string, collectionId: string) => Promise<Publication>;
  now: () => number;
}

/**
 * What waits for a moderator instead of being published (issue #14): everything of a moderated collection that a
 * moderator did not send, everything the filter held, anything the provider wants to review first — and every
 * object that refers to something waiting, so that nothing published points at (and so names) what may never be.
 */
function toQueue(message: PipelineMessage, publication: Publication): Map<number, string> {
  const moderatedHere = publication.publication === 'moderation' && message.submitter?.isModerator !== true;
  const reviewed = publication.providerReview.always || message.providerReview === true;
  const reasons = new Map<number, string>();
  message.items.forEach((item, i) => {
    if (item.platform) return;
    const reason = item.held ?? (moderatedHere ? 'the collection is moderated' : reviewed ? 'awaiting your review' : undefined);
    if (reason) reasons.set(i, reason);
  });
  for (let grew = reasons.size > 0; grew; ) {
    grew = false;
    const waiting = new Set([...reasons.keys()].map((i) => message.items[i]!.object.id));
    message.items.forEach((item, i) => {
      if (reasons.has(i)) return;
      const ref = referencesOf(item.object).find((id) => waiting.has(id));
      if (ref) {
        reasons.set(i, `refers to ${ref}, which waits for moderation`);
        grew = true;
      }
    });
  }
  return reasons;
}

/**
 * The last stage: writes each version with its date_added and settles the POST's status, or queues it for a
 * moderator. A version already stored (a redelivery, or the provider sending it twice) is a success, not a second
 * copy (TAXII idempotency); a redelivered message queues nothing twice (the item id is the entry's).
 */
export async function commit(message: PipelineMessage, deps: CommitDeps): Promise<StageOutcome> {
  const publication = message.settings
    ? {
        publication: message.settings.publication,
        fourEyes: message.settings.policy.fourEyes,
        providerReview: message.settings.policy.providerReview,
      }
    : await deps.publicationOf(message.tenantId, message.collectionId);
  const waiting = toQueue(message, publication);
  const reviewed = publication.providerReview.always || message.providerReview === true;
  if (waiting.size > 0) {
    const nowIso = new Date(deps.now()).toISOString();
    await deps.moderation.enqueue(
      [...waiting].map(([i, reason]): ModerationItem => {
        const item = message.items[i]!;
        const direct = reason === 'awaiting your review';
        const deadline = new Date(deps.now() + publication.providerReview.hours * 3_600_000).toISOString();
        return {
          tenantId: message.tenantId,
          itemId: `${message.submittedAt}~${message.statusId}~${String(item.entry).padStart(6, '0')}`,
          collectionId: message.collectionId,
          statusId: message.statusId,
          entry: item.entry,
          objectId: item.object.id,
          providerMemberId: item.access.providerMemberId,
          access: item.access,
          reason,
          object: item.object,
          state: direct ? 'awaiting-provider' : 'queued',
          queuedAt: message.submittedAt,
          updatedAt: nowIso,
          revision: 1,
          ...(reviewed
            ? { providerReview: { hours: publication.providerReview.hours, onDeadline: publication.providerReview.onDeadline } }
            : {}),
          ...(direct ? { deadline } : {}),
          history: [{ at: nowIso, action: 'queued', note: reason }],
        };
      }),
    );
    await deps.statuses.settle(
      message.tenantId,
      message.statusId,
      [...waiting].map(([i, reason]) => ({
        index: message.items[i]!.entry,
        state: 'pending' as const,
        message: `${WAITING_FOR_MODERATION}${reason}`,
      })),
    );
  }
  const publishing = message.items.filter((_, i) => !waiting.has(i));
  const moderator = message.submitter?.isModerator === true;
  const results = await publishVersions(
    message.tenantId,
    message.collectionId,
    publishing.map((item) => ({ ...item, submittedAt: message.submittedAt })),
    moderator,
    deps,
  );
  await deps.statuses.settle(
    message.tenantId,
    message.statusId,
    results.map((result, i) =>
      result.kind === 'foreign'
        ? {
            index: publishing[i]!.entry,
            state: 'failure' as const,
            message: `${publishing[i]!.object.id} belongs to another provider; only it (or a moderator) may publish new versions`,
          }
        : {
            index: publishing[i]!.entry,
            state: 'success' as const,
            ...(result.kind === 'duplicate' ? { message: 'This version was already stored; kept once' } : {}),
          },
    ),
  );
  const foreign = results.filter((r) => r.kind === 'foreign').length;
  const droppedBy: Record<string, number> = {};
  if (foreign > 0) droppedBy['belongs to another provider'] = foreign;
  if (waiting.size > 0) droppedBy['waiting for moderation'] = waiting.size;
  return { kind: 'done', committed: results.filter((r) => r.kind === 'added').length, droppedBy };
}
