import { z } from 'zod';
import { parseInput } from '../input';
import { appendAudit } from '../audit/chain';
import { actorOf, recordOriginalsRead, type AuditDeps } from '../audit/record';
import type { Principal } from '../directory/model';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { CollectionPolicySchema, type CollectionPolicy } from '../pipeline/collection-policy';
import { assertModeratorOf, assertOwnTenant } from '../policy/admin-access';
import { canSee, latestVisible } from '../policy/visibility';
import { compareTlp } from '../policy/tlp';
import { WAITING_FOR_MODERATION } from '../taxii/status';
import type { DirectoryStore, ModerationFilter, ModerationStore, ObjectStore, StatusStore } from '../ports';
import { readerViews } from '../taxii/collections';
import type { OriginalsReader } from '../ports';
import type { StixObject } from '../taxii/model';
import { publishVersions } from '../pipeline/commit';
import {
  decideAsModerator,
  decideAsProvider,
  DecisionRefused,
  type DecisionResult,
  type ModerationItem,
  type ModeratorDecision,
  type ProviderDecision,
} from './queue';

export interface ModerationDeps extends AuditDeps {
  directory: DirectoryStore;
  moderation: ModerationStore;
  objects: ObjectStore;
  statuses: StatusStore;
  originals: OriginalsReader;
  /** Frees the dedupe keys of items that will never be published, so a later identical report is published. */
  releaseCorroboration: (
    tenantId: string,
    collectionId: string,
    items: Array<{ object: StixObject; access: ModerationItem['access'] }>,
  ) => Promise<void>;
}

const notFound = (itemId: string) => new NotFoundError(`No moderation item ${itemId} for these credentials`);

const assertModerator = (principal: Principal, tenantId: string) => assertModeratorOf(principal, tenantId, 'moderate');

/** A provider decides on its own items; a reader, who may not share, has none to decide on. */
function assertProvider(principal: Principal, tenantId: string): void {
  assertOwnTenant(principal, tenantId);
  if (principal.role === 'reader') throw new ForbiddenError('Readers share nothing and so decide on nothing');
}

/**
 * A moderator handles an item only where it could read the published item: a grant that reads the collection, the
 * TLP clearance, RED's named recipients (policy/visibility). Anything else is the 404 of an absent item.
 */
async function visibleTo(principal: Principal, tenantId: string, deps: ModerationDeps): Promise<(item: ModerationItem) => boolean> {
  const viewOf = await readerViews(principal, tenantId, deps);
  return (item) => {
    const { access, reader } = viewOf(item.collectionId);
    return access.canRead && canSee(reader, { tenantId, access: item.access });
  };
}

async function policyOf(tenantId: string, collectionId: string, deps: ModerationDeps): Promise<CollectionPolicy> {
  return (await deps.directory.getCollection(tenantId, collectionId))?.policy ?? CollectionPolicySchema.parse({});
}

/** The summary a listing shows; the object itself is opened one item at a time. */
export function summaryOf(item: ModerationItem) {
  const { object, history, access, ...rest } = item;
  return {
    ...rest,
    tlp: access.tlp,
    type: object.type,
    name: typeof object.name === 'string' ? object.name : undefined,
    decisions: history.length - 1,
  };
}

export async function listQueue(principal: Principal, tenantId: string, params: Record<string, string>, deps: ModerationDeps) {
  assertModerator(principal, tenantId);
  const { filter, page } = queueQueryOf(params);
  const visible = await visibleTo(principal, tenantId, deps);
  const items: ModerationItem[] = [];
  let after = page.after;
  // Items the caller may not handle are skipped, never counted: the page fills from the items it may see.
  do {
    const found = await deps.moderation.list(tenantId, filter, { limit: page.limit - items.length, after });
    items.push(...found.items.filter(visible));
    after = found.next;
  } while (after && items.length < page.limit);
  return { items: items.map(summaryOf), ...(after ? { next: after } : {}) };
}

/** Every place where the version to be published differs from what the provider sent, with what happened there. */
export function differences(
  original: Record<string, unknown>,
  proposed: Record<string, unknown>,
  path = '',
): Array<{ path: string; change: string }> {
  const found: Array<{ path: string; change: string }> = [];
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  for (const name of new Set([...Object.keys(original), ...Object.keys(proposed)])) {
    const here = Array.isArray(original) ? `${path}[${name}]` : path === '' ? name : `${path}.${name}`;
    const [before, after] = [original[name], proposed[name]];
    if (!(name in proposed)) found.push({ path: here, change: 'removed' });
    else if (!(name in original)) found.push({ path: here, change: 'added by the platform' });
    else if (typeof before === 'string' && typeof after === 'string') {
      if (before !== after) found.push({ path: here, change: after.includes('[REDACTED]') ? 'redacted' : 'rewritten' });
    } else if (isRecord(before) && isRecord(after)) found.push(...differences(before, after, here));
    else if (JSON.stringify(before) !== JSON.stringify(after)) found.push({ path: here, change: 'changed' });
  }
  return found;
}

/** One item: the version to be published beside the provider's original, every difference named. */
export async function showItem(principal: Principal, tenantId: string, itemId: string, deps: ModerationDeps) {
  assertModerator(principal, tenantId);
  const item = await deps.moderation.get(tenantId, itemId);
  if (!item || !(await visibleTo(principal, tenantId, deps))(item)) throw notFound(itemId);
  const version = typeof item.object.modified === 'string' ? item.object.modified : undefined;
  const kept = (await deps.originals.originalsOf(tenantId, item.collectionId, item.objectId)).filter(
    (o) => o.providerMemberId === item.providerMemberId && (version === undefined || o.version === version),
  );
  const original = kept.at(-1)?.original;
  if (original)
    await recordOriginalsRead(
      principal,
      { collectionId: item.collectionId, objectId: item.objectId, versions: kept.map((o) => o.version) },
      deps,
    );
  return { item, ...(original ? { original, differences: differences(original, item.object) } : {}) };
}

/**
 * Stores the decision (only on the revision it was made on), then publishes and tells the provider's status. The
 * decision is stored first: of two moderators deciding at once one wins and the other gets a conflict, and nothing
 * is published that the stored item does not say was published.
 */
export async function apply(
  item: ModerationItem,
  result: DecisionResult,
  actor: Principal | undefined,
  deps: ModerationDeps,
): Promise<ModerationItem> {
  const stale = () => new ConflictError(`Moderation item ${item.itemId} was decided meanwhile; reload it`);
  let decided = result.item;
  let settlement = result.settlement;
  if (result.publish) {
    // Claim, commit, then record: a commit that fails leaves the item `publishing` (an approve completes it), never
    // `published` with nothing committed; and of two moderators deciding at once, only the claimant publishes.
    const publishing: ModerationItem = { ...result.item, state: 'publishing', object: result.publish as ModerationItem['object'] };
    if (item.state !== 'publishing') {
      if ((await deps.moderation.update(publishing, item.revision)) === 'stale') throw stale();
      decided = { ...result.item, revision: publishing.revision + 1 };
    }
    const [committed] = await publishVersions(
      item.tenantId,
      item.collectionId,
      [{ object: result.publish as StixObject, access: item.access, submittedAt: item.queuedAt }],
      false,
      deps,
    );
    if (committed?.kind === 'foreign')
      settlement = {
        index: item.entry,
        state: 'failure',
        message: `${item.objectId} belongs to another provider; only it (or a moderator) may publish new versions`,
      };
    if ((await deps.moderation.update(decided, decided.revision - 1)) === 'stale') throw stale();
  } else if ((await deps.moderation.update(decided, item.revision)) === 'stale') throw stale();
  if (result.item.state === 'rejected' || result.item.state === 'withdrawn') {
    await deps.releaseCorroboration(item.tenantId, item.collectionId, [{ object: item.object as StixObject, access: item.access }]);
  }
  if (settlement) await deps.statuses.settle(item.tenantId, item.statusId, [settlement]);
  else if (result.pendingNote)
    await deps.statuses.settle(item.tenantId, item.statusId, [{ index: item.entry, state: 'pending', message: result.pendingNote }]);
  const last = result.item.history.at(-1)!;
  await appendAudit(
    item.tenantId,
    {
      actor: actor ? actorOf(actor) : { username: '(platform)', role: 'platform' },
      ...(actor ? { memberId: actor.memberId } : {}),
      action: `moderation.${last.action.replace(/ /g, '-')}`,
      target: { type: 'object', id: item.objectId },
      details: {
        itemId: item.itemId,
        collectionId: item.collectionId,
        state: decided.state,
        ...(last.redacted ? { redacted: last.redacted } : {}),
        ...(last.note ? { note: last.note } : {}),
      },
    },
    deps,
  );
  return decided;
}

const refused = (error: unknown): never => {
  if (error instanceof DecisionRefused) throw new BadRequestError(error.message);
  throw error;
};

export async function decideItem(
  principal: Principal,
  tenantId: string,
  itemId: string,
  input: unknown,
  deps: ModerationDeps,
): Promise<ModerationItem> {
  assertModerator(principal, tenantId);
  const decision = moderatorDecisionOf(input);
  const item = await deps.moderation.get(tenantId, itemId);
  if (!item || !(await visibleTo(principal, tenantId, deps))(item)) throw notFound(itemId);
  const rules = { fourEyes: (await policyOf(tenantId, item.collectionId, deps)).fourEyes };
  let result: DecisionResult;
  try {
    result = decideAsModerator(
      item,
      decision,
      { username: principal.username, memberId: principal.memberId, role: principal.role },
      rules,
      deps.now(),
    );
  } catch (error) {
    return refused(error);
  }
  return apply(item, result, principal, deps);
}

/** The provider's own items waiting for it: to review before publication, or a moderator's question to answer. */
export async function providerItems(principal: Principal, tenantId: string, deps: ModerationDeps) {
  assertOwnTenant(principal, tenantId);
  const items = await deps.moderation.ofProvider(tenantId, principal.memberId);
  return { items: items.map((item) => ({ ...summaryOf(item), object: item.object })) };
}

export async function decideAsItsProvider(
  principal: Principal,
  tenantId: string,
  itemId: string,
  input: unknown,
  deps: ModerationDeps,
): Promise<ModerationItem> {
  assertProvider(principal, tenantId);
  const decision = providerDecisionOf(input);
  const item = await deps.moderation.get(tenantId, itemId);
  if (!item || item.providerMemberId !== principal.memberId) throw notFound(itemId);
  let result: DecisionResult;
  try {
    result = decideAsProvider(
      item,
      decision,
      { username: principal.username, memberId: principal.memberId, role: principal.role },
      deps.now(),
    );
  } catch (error) {
    return refused(error);
  }
  return apply(item, result, principal, deps);
}

const StixObjectInput = z.looseObject({ type: z.string(), id: z.string() });
const Text = z.string().min(1).max(4000);

export const ModeratorDecisionInput = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('redact'), object: StixObjectInput, approve: z.boolean().default(false) }),
  z.object({ decision: z.literal('reject'), reason: Text }),
  z.object({ decision: z.literal('return'), question: Text }),
]);

export const ProviderDecisionInput = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('redact'), object: StixObjectInput }),
  z.object({ decision: z.literal('withdraw'), reason: Text.optional() }),
  z.object({ decision: z.literal('answer'), answer: Text }),
]);

export const QueueQueryInput = z.object({
  collection: z.string().max(64).optional(),
  provider: z.string().max(64).optional(),
  state: z.enum(['queued', 'returned', 'awaiting-provider', 'publishing']).optional(),
  reason: z.string().max(200).optional(),
  queued_before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  next: z.string().max(200).optional(),
});

function moderatorDecisionOf(input: unknown): ModeratorDecision {
  const parsed = parseInput(ModeratorDecisionInput, input);
  switch (parsed.decision) {
    case 'approve':
      return { kind: 'approve' };
    case 'redact':
      return { kind: 'redact', object: parsed.object, approve: parsed.approve };
    case 'reject':
      return { kind: 'reject', reason: parsed.reason };
    case 'return':
      return { kind: 'return', question: parsed.question };
  }
}

function providerDecisionOf(input: unknown): ProviderDecision {
  const parsed = parseInput(ProviderDecisionInput, input);
  switch (parsed.decision) {
    case 'approve':
      return { kind: 'approve' };
    case 'redact':
      return { kind: 'redact', object: parsed.object };
    case 'withdraw':
      return { kind: 'withdraw', ...(parsed.reason ? { reason: parsed.reason } : {}) };
    case 'answer':
      return { kind: 'answer', answer: parsed.answer };
  }
}

function queueQueryOf(params: Record<string, string>): { filter: ModerationFilter; page: { limit: number; after?: string } } {
  const q = parseInput(QueueQueryInput, params, 'query');
  return {
    filter: { collectionId: q.collection, providerMemberId: q.provider, state: q.state, reason: q.reason, queuedBefore: q.queued_before },
    page: { limit: q.limit, ...(q.next ? { after: q.next } : {}) },
  };
}

export const RepostInput = z
  .object({ fromCollectionId: z.string().min(1).max(64), objectId: z.string().min(1).max(300), toCollectionId: z.string().min(1).max(64) })
  .strict();

/**
 * POST …/moderation/repost (issue #14, point 5; CiSP's moderators re-post across groups): a moderator re-posts the
 * latest version of an item it reads into another collection within its original scope — the provider's TLP, RED recipients
 * and secret flag travel unchanged, and the provider stays its owner there. A collection whose ceiling is below the
 * item's TLP refuses it (never downgraded). Where the target collection asks for the provider's review, the re-post
 * waits for the provider like its own submission would (a status of its own tells it). Audited as a re-post.
 */
export async function repostItem(principal: Principal, tenantId: string, input: unknown, deps: ModerationDeps & { newId: () => string }) {
  assertModerator(principal, tenantId);
  const { fromCollectionId, objectId, toCollectionId } = parseInput(RepostInput, input);
  if (fromCollectionId === toCollectionId) throw new BadRequestError('A re-post goes to another collection');
  const viewOf = await readerViews(principal, tenantId, deps);
  const source = viewOf(fromCollectionId);
  const versions = source.access.canRead ? await deps.objects.versionsOf(tenantId, fromCollectionId, objectId) : [];
  // The latest version it reads: a newer one it may not see is neither re-posted nor betrayed by a 404 (docs/moderation.md).
  const latest = latestVisible(source.reader, versions);
  if (!latest) throw new NotFoundError(`No object ${objectId} in collection ${fromCollectionId} for these credentials`);
  const target = await deps.directory.getCollection(tenantId, toCollectionId);
  const targetAccess = viewOf(toCollectionId).access;
  if (!target || !(targetAccess.canRead || targetAccess.canWrite))
    throw new NotFoundError(`Collection ${toCollectionId} was not found in this API root`);
  if (!targetAccess.canWrite) throw new ForbiddenError(`Collection ${toCollectionId} is read-only for you (can_write is false)`);
  if (compareTlp(latest.access.tlp, target.policy.tlpCeiling) > 0) {
    throw new BadRequestError(
      `${objectId} is TLP:${latest.access.tlp.toUpperCase()}, above the ceiling of collection ${toCollectionId}; a re-post never lowers a TLP`,
    );
  }
  const nowIso = new Date(deps.now()).toISOString();
  const audit = (state: string) =>
    appendAudit(
      tenantId,
      {
        actor: actorOf(principal),
        memberId: principal.memberId,
        action: 'moderation.repost',
        target: { type: 'object', id: objectId },
        details: { fromCollectionId, toCollectionId, version: latest.version, state },
      },
      deps,
    );
  if (target.policy.providerReview.always) {
    const statusId = deps.newId();
    const provider = latest.access.providerMemberId;
    await deps.statuses.create(
      { id: statusId, tenantId, collectionId: toCollectionId, memberId: provider, requestTimestamp: nowIso, totalCount: 1 },
      [
        {
          id: objectId,
          version: latest.version,
          state: 'pending',
          message: `${WAITING_FOR_MODERATION}a moderator re-posted it here; awaiting your review`,
        },
      ],
    );
    const { hours, onDeadline } = target.policy.providerReview;
    const item: ModerationItem = {
      tenantId,
      itemId: `${nowIso}~${statusId}~000000`,
      collectionId: toCollectionId,
      statusId,
      entry: 0,
      objectId,
      providerMemberId: provider,
      access: latest.access,
      reason: `re-posted from collection ${fromCollectionId}`,
      object: latest.object,
      state: 'awaiting-provider',
      queuedAt: nowIso,
      updatedAt: nowIso,
      revision: 1,
      providerReview: { hours, onDeadline },
      deadline: new Date(deps.now() + hours * 3_600_000).toISOString(),
      history: [
        { at: nowIso, action: 're-posted', actor: { username: principal.username, memberId: principal.memberId, role: principal.role } },
      ],
    };
    await deps.moderation.enqueue([item]);
    await audit('awaiting-provider');
    return { state: 'awaiting-provider' as const, itemId: item.itemId };
  }
  const [result] = await publishVersions(
    tenantId,
    toCollectionId,
    [{ object: latest.object, access: latest.access, submittedAt: nowIso }],
    false,
    deps,
  );
  if (result?.kind === 'foreign') throw new ConflictError(`${objectId} belongs to another provider in collection ${toCollectionId}`);
  await audit('published');
  return { state: 'published' as const };
}
