import { z } from 'zod';
import { parseInput } from '../input';
import { appendAudit } from '../audit/chain';
import { actorOf, type AuditDeps } from '../audit/record';
import { mapBounded } from '../bounded';
import type { Principal } from '../directory/model';
import { NotFoundError } from '../errors';
import { CollectionPolicySchema } from '../pipeline/collection-policy';
import { assertModeratorOf, assertOwnTenant } from '../policy/admin-access';
import { isModeratingRole } from '../policy/roles';
import { canSee, latestVisible } from '../policy/visibility';
import type { FlagDecision } from '../model/flag-decision';
import type { DirectoryStore, FlagDecisionStore, ObjectStore, SearchIndex } from '../ports';
import { readerViews } from '../taxii/collections';
import type { ReaderView } from '../taxii/model';
import { tallyOf, type FeedbackTally, type OpinionEntry } from './feedback';
import { opinionPartition, opinionTarget, referencedIds } from './postings';

/**
 * False-positive flags (feedback.ts has the rule; docs/moderation.md "False-positive flags"): the tally of each object
 * of a collection as one reader sees the opinions, what exports leave out, what providers and moderators list, and
 * moderators' confirmations and lifts.
 *
 * 1. Everyone reads the flag through their own eyes: only opinions the reader may see count (`canSee`), and an object
 *    it may not see is never listed.
 * 2. A provider lists the flags on its own objects (counts of members only, never who); moderators and tenant admins
 *    list every flag in the collections they read, with who decided. Nobody else lists flags: a member learns of
 *    one through its exports' counts and search's `feedback`.
 * 3. A moderator confirms a flag or lifts it (feedback.ts rule 5) on an object it may see; each decision replaces the
 *    previous one and is audited (`feedback.confirmed`, `feedback.lifted`) with the moderator's reason.
 */

export const FlagDecisionInput = z
  .object({
    collectionId: z.string().uuid(),
    objectId: z.string().min(1).max(300),
    decision: z.enum(['confirm', 'lift']),
    reason: z.string().min(1).max(2000),
  })
  .strict();

export interface FlagDeps {
  directory: DirectoryStore;
  objects: ObjectStore;
  index: SearchIndex;
  flags: FlagDecisionStore;
}

const READS_IN_FLIGHT = 32;

/** Each object of the collection with visible opinions or a moderator's decision, its tally and its provider. */
export async function feedbackIn(
  reader: ReaderView,
  tenantId: string,
  collectionId: string,
  deps: FlagDeps,
): Promise<Map<string, { tally: FeedbackTally; providerMemberId?: string; decision?: FlagDecision }>> {
  const [[postings = []], collection, decisions] = await Promise.all([
    deps.index.lookup(tenantId, [{ partition: opinionPartition(collectionId) }]),
    deps.directory.getCollection(tenantId, collectionId),
    deps.flags.ofCollection(tenantId, collectionId),
  ]);
  const minMembers = (collection?.policy ?? CollectionPolicySchema.parse({})).falsePositiveMembers;
  const opinionsByTarget = new Map<string, string[]>();
  for (const p of postings) {
    const target = opinionTarget(p.sort);
    opinionsByTarget.set(target, [...(opinionsByTarget.get(target) ?? []), p.objectId]);
  }
  const decisionOf = new Map(decisions.map((d) => [d.objectId, d]));
  for (const objectId of decisionOf.keys()) if (!opinionsByTarget.has(objectId)) opinionsByTarget.set(objectId, []);
  const latestOpinion = new Map<string, Promise<OpinionEntry | undefined>>();
  const opinionOf = (id: string) => {
    if (!latestOpinion.has(id)) {
      latestOpinion.set(
        id,
        deps.objects.versionsOf(tenantId, collectionId, id).then((versions) => {
          const latest = latestVisible(reader, versions);
          return latest && { memberId: latest.access.providerMemberId, dateAdded: latest.dateAdded, object: latest.object };
        }),
      );
    }
    return latestOpinion.get(id)!;
  };
  const out = new Map<string, { tally: FeedbackTally; providerMemberId?: string; decision?: FlagDecision }>();
  await mapBounded([...opinionsByTarget], READS_IN_FLIGHT, async ([target, ids]) => {
    const [targetVersions, opinions] = await Promise.all([
      deps.objects.versionsOf(tenantId, collectionId, target),
      Promise.all(ids.map(opinionOf)),
    ]);
    // The object itself must be visible to the reader: a flag on what it may not see tells it nothing, and says nothing.
    const visible = targetVersions.filter((v) => canSee(reader, v));
    if (visible.length === 0) return;
    const providerMemberId = visible[0]!.access.providerMemberId;
    const decision = decisionOf.get(target);
    const tally = tallyOf(
      opinions.filter((o): o is OpinionEntry => o !== undefined && referencedIds(o.object).includes(target)),
      { minMembers, providerMemberId, ...(decision ? { verdict: { state: decision.state, at: decision.at } } : {}) },
    );
    if (tally) out.set(target, { tally, providerMemberId, ...(decision ? { decision } : {}) });
  });
  return out;
}

/** The objects of a collection flagged as false positives as this reader sees the opinions: what exports leave out. */
export async function flaggedIn(reader: ReaderView, tenantId: string, collectionId: string, deps: FlagDeps): Promise<Set<string>> {
  const feedback = await feedbackIn(reader, tenantId, collectionId, deps);
  return new Set([...feedback].filter(([, f]) => f.tally.false_positive).map(([id]) => id));
}

export interface ListedFlag {
  collectionId: string;
  objectId: string;
  feedback: FeedbackTally;
  /** Moderators only: the last decision, with who made it. */
  decision?: Omit<FlagDecision, 'tenantId' | 'collectionId' | 'objectId'>;
}

/** GET …/flags (rule 2): flagged and lifted objects the caller may list, by collection and object id. */
export async function listFlags(principal: Principal, tenantId: string, deps: FlagDeps): Promise<{ flags: ListedFlag[] }> {
  assertOwnTenant(principal, tenantId);
  const moderator = isModeratingRole(principal.role);
  const [viewOf, collections] = await Promise.all([readerViews(principal, tenantId, deps), deps.directory.listCollections(tenantId)]);
  const readable = collections.filter((c) => viewOf(c.id).access.canRead).sort((a, b) => (a.id < b.id ? -1 : 1));
  const perCollection = await Promise.all(
    readable.map(async (collection) => {
      const feedback = await feedbackIn(viewOf(collection.id).reader, tenantId, collection.id, deps);
      return [...feedback]
        .filter(([, f]) => (moderator || f.providerMemberId === principal.memberId) && (f.tally.false_positive || f.decision))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([objectId, f]): ListedFlag => {
          const { tenantId: _t, collectionId: _c, objectId: _o, ...decision } = f.decision ?? ({} as FlagDecision);
          return { collectionId: collection.id, objectId, feedback: f.tally, ...(moderator && f.decision ? { decision } : {}) };
        });
    }),
  );
  return { flags: perCollection.flat() };
}

/** POST …/flags (rule 3): a moderator confirms or lifts one object's flag. */
export async function decideFlag(principal: Principal, tenantId: string, input: unknown, deps: FlagDeps & AuditDeps): Promise<ListedFlag> {
  assertModeratorOf(principal, tenantId, 'confirm or lift false-positive flags');
  const { collectionId, objectId, decision, reason } = parseInput(FlagDecisionInput, input);
  const { access, reader } = (await readerViews(principal, tenantId, deps))(collectionId);
  const visible = access.canRead && (await deps.objects.versionsOf(tenantId, collectionId, objectId)).some((v) => canSee(reader, v));
  if (!visible) throw new NotFoundError(`No object ${objectId} in collection ${collectionId} for these credentials`);
  const state = decision === 'confirm' ? 'confirmed' : 'lifted';
  const record: FlagDecision = {
    tenantId,
    collectionId,
    objectId,
    state,
    at: new Date(deps.now()).toISOString(),
    by: principal.username,
    reason,
  };
  await deps.flags.put(record);
  await appendAudit(
    tenantId,
    {
      actor: actorOf(principal),
      memberId: principal.memberId,
      action: `feedback.${state}`,
      target: { type: 'object', id: objectId },
      details: { collectionId, reason },
    },
    deps,
  );
  const tally = (await feedbackIn(reader, tenantId, collectionId, deps)).get(objectId)?.tally;
  const { tenantId: _t, collectionId: _c, objectId: _o, ...shown } = record;
  return { collectionId, objectId, feedback: tally!, decision: shown };
}
