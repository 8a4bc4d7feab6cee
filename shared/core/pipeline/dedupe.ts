import { createHash } from 'node:crypto';
import { mapBounded } from '../bounded';
import { uuidV5 } from '../stix/uuid';
import type { AccessScope, StixObject } from '../taxii/model';
import type { PipelineMessage } from './message';
import type { StageOutcome } from './outcome';
import type { Settlement } from '../taxii/status';
import { canSee } from '../policy/visibility';
import type { CorroborationRelease, CorroborationStore } from '../ports';

/**
 * The dedupe stage (BRIEF): the same indicator reported by several members becomes one object plus visible
 * corroboration — how many independent reporters, first and last seen — without revealing who. The corroboration
 * is a STIX sighting of the first report, published by the tenant (STIX 2.1 §5.2: `count`, `first_seen`,
 * `last_seen`; no `where_sighted_refs`, so no reporter is named).
 */

/** What identifies "the same" object across providers, within one scope (TLP, recipients, secret). */
export type SamenessKey = string;

export interface Corroboration {
  /** The object every later report is merged into. */
  objectId: string;
  reporters: number;
  firstSeen: string;
  lastSeen: string;
  /** Whether this report came from a member that had not reported it before. */
  newReporter: boolean;
}

export interface Report {
  key: SamenessKey;
  objectId: string;
  providerMemberId: string;
  seenAt: string;
}

export interface DedupeDeps {
  corroboration: CorroborationStore & CorroborationRelease;
  /** Whether any version of the object is stored in the collection. */
  isPublished: (tenantId: string, collectionId: string, objectId: string) => Promise<boolean>;
  /** The canonical form of what the object says (an indicator's canonical pattern, an SCO's id); undefined = never merged. */
  samenessOf: (object: StixObject) => string | undefined;
  tenantIdentityOf: (tenantId: string) => Promise<string>;
  settle: (message: PipelineMessage, settlements: Settlement[]) => Promise<void>;
}

// Namespace of the platform's own deterministic ids (corroboration sightings).
const KYOYU_NAMESPACE = '2f1e9c7a-5b3d-5e8f-9a0b-1c2d3e4f5a6b';

function scopeKey(access: AccessScope): string {
  return [access.tlp, [...access.recipients].sort().join(','), access.secret ? 'secret' : ''].join('|');
}

export function samenessKey(sameness: string, access: AccessScope): SamenessKey {
  return createHash('sha256')
    .update(`${sameness}\n${scopeKey(access)}`)
    .digest('hex');
}

/** The items' sameness keys, as dedupe registered them (items as dedupe saw them: before anonymize). */
export function samenessClaims(
  items: ReadonlyArray<{ object: StixObject; access: AccessScope }>,
  samenessOf: (object: StixObject) => string | undefined,
): Array<{ key: SamenessKey; objectId: string }> {
  const claims = new Map<string, { key: SamenessKey; objectId: string }>();
  for (const item of items) {
    const sameness = samenessOf(item.object);
    if (sameness === undefined) continue;
    const key = samenessKey(sameness, item.access);
    claims.set(`${key}\n${item.object.id}`, { key, objectId: item.object.id });
  }
  return [...claims.values()];
}

/**
 * After anonymize withheld items: releases the keys they registered in dedupe, unless the object is published
 * already (an earlier version of it holds the key rightly; withholding a new version does not unpublish the old).
 */
export async function releaseUnpublished(
  tenantId: string,
  collectionId: string,
  items: ReadonlyArray<{ object: StixObject; access: AccessScope }>,
  deps: {
    corroboration: CorroborationRelease;
    samenessOf: (object: StixObject) => string | undefined;
    isPublished: DedupeDeps['isPublished'];
  },
): Promise<void> {
  const claims = samenessClaims(items, deps.samenessOf);
  if (claims.length === 0) return;
  const ids = [...new Set(claims.map((c) => c.objectId))];
  const published = new Set(await boundedFilter(ids, (id) => deps.isPublished(tenantId, collectionId, id)));
  const unpublished = claims.filter((c) => !published.has(c.objectId));
  if (unpublished.length > 0) await deps.corroboration.release(tenantId, collectionId, unpublished);
}

/** Reads in flight at once when checking objects one by one (a large POST must not flood the table). */
const CHECKS_IN_FLIGHT = 16;

async function boundedFilter<T>(values: readonly T[], test: (value: T) => Promise<boolean>): Promise<T[]> {
  const passed = await mapBounded(values, CHECKS_IN_FLIGHT, test);
  return values.filter((_, i) => passed[i]);
}

export const corroborationSightingId = (tenantId: string, collectionId: string, key: SamenessKey): string =>
  `sighting--${uuidV5(`corroboration/${tenantId}/${collectionId}/${key}`, KYOYU_NAMESPACE)}`;

export function corroborationSighting(
  tenantId: string,
  collectionId: string,
  key: SamenessKey,
  corroboration: Corroboration,
  tenantIdentity: string,
  markings: unknown,
): StixObject {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: corroborationSightingId(tenantId, collectionId, key),
    created: corroboration.firstSeen,
    // One version per change of the count or last_seen; a redelivery produces the same version, stored once.
    modified: corroboration.lastSeen,
    created_by_ref: tenantIdentity,
    sighting_of_ref: corroboration.objectId,
    count: corroboration.reporters,
    first_seen: corroboration.firstSeen,
    last_seen: corroboration.lastSeen,
    summary: false,
    description: `Reported independently by ${corroboration.reporters} members of this community`,
    ...(Array.isArray(markings) ? { object_marking_refs: markings } : {}),
  };
}

const mergedMessage = (corroboration: Corroboration): string =>
  corroboration.newReporter
    ? `Already shared in this collection as ${corroboration.objectId}; your report was added as corroboration (${corroboration.reporters} reporters)`
    : `Already shared in this collection as ${corroboration.objectId}; merged`;

/**
 * Longer than a message can stay in the pipeline (5 stages × MAX_RECEIVES × a 6-minute visibility timeout is
 * 2.5 hours): a key held this long by an object that is still not stored will never be committed.
 */
const ABANDONED_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * How long a report waits, each time, for the object it would be merged into to be stored (about 15 minutes in all:
 * far longer than a POST takes through anonymize and commit, so only an object waiting for a moderator, or retried
 * after failures, outlasts it). Each wait is a delayed message on dedupe's own queue (SQS allows up to 900 s).
 */
export const WAITS_SECONDS = [5, 10, 20, 40, 80, 160, 300, 300] as const;

/**
 * Registers the reports; where a key is held by an object that was never committed and never will be (its message
 * went to the DLQ, or commit refused it, or it was withheld before withheld keys were released), the key is taken
 * over by this report. Corroboration only ever points at what was published. An object still in flight (younger
 * than ABANDONED_AFTER_MS) keeps its key: the first report of a burst wins, as it must.
 */
async function registered(message: PipelineMessage, reports: Report[], deps: DedupeDeps): Promise<Corroboration[]> {
  const answers = await deps.corroboration.report(message.tenantId, message.collectionId, reports);
  const submittedMs = Date.parse(message.submittedAt);
  const candidates = answers.flatMap((answer, n) =>
    answer.objectId !== reports[n]!.objectId && submittedMs - Date.parse(answer.firstSeen) > ABANDONED_AFTER_MS ? [n] : [],
  );
  const abandoned = await boundedFilter(
    candidates,
    async (n) => !(await deps.isPublished(message.tenantId, message.collectionId, answers[n]!.objectId)),
  );
  if (abandoned.length === 0) return answers;
  await deps.corroboration.release(
    message.tenantId,
    message.collectionId,
    abandoned.map((n) => ({ key: reports[n]!.key, objectId: answers[n]!.objectId })),
  );
  const again = await deps.corroboration.report(
    message.tenantId,
    message.collectionId,
    abandoned.map((n) => reports[n]!),
  );
  abandoned.forEach((n, m) => (answers[n] = again[m]!));
  return answers;
}

/**
 * No oracle: what a submitter can learn after its report equals what it could learn if no other member had shared
 * the same thing.
 *
 * 1. "Already shared as X, N reporters" only to a submitter that may read X (same scope, another provider's object);
 *    anyone else learns that its report was accepted, and nothing more.
 * 2. A report is merged only where the submitter may read what it would be merged into, or reads nothing of the
 *    collection at all (a submit-only member). A member that can read the collection but not at the scope it marked
 *    (a GREEN-cleared analyst posting AMBER, a RED report not naming itself) would otherwise find its own object
 *    missing — a 404 where a fresh report answers 200: its report is published on its own, as if it were the first
 *    (it still counts as a reporter of the object that holds the key, which those who may read that object see).
 * 3. The corroboration sighting belongs to nobody (`PLATFORM_PROVIDER`): "the provider always sees its own" must not
 *    show it to the reporter whose report changed it, whatever that reporter's clearance. It has the scope of what it
 *    is of, so only members that may read that object read it.
 */
/** The provider of what the platform itself publishes: no member id has this form (admin/members.ts MemberIdSchema). */
export const PLATFORM_PROVIDER = '(platform)';

export async function dedupe(message: PipelineMessage, deps: DedupeDeps): Promise<StageOutcome> {
  const { submitter } = message;
  const mayKnow = (access: AccessScope) =>
    submitter?.canRead && canSee(submitter, { tenantId: message.tenantId, access: { ...access, providerMemberId: PLATFORM_PROVIDER } });
  const mayMerge = (access: AccessScope) => !submitter?.canRead || mayKnow(access);
  const forwarded: PipelineMessage['items'] = [];
  const settlements: Settlement[] = [];
  const droppedBy: Record<string, number> = {};
  const keyed = message.items.flatMap((item, i) => {
    const sameness = deps.samenessOf(item.object);
    return sameness === undefined
      ? []
      : [
          {
            i,
            report: {
              key: samenessKey(sameness, item.access),
              objectId: item.object.id,
              providerMemberId: item.access.providerMemberId,
              seenAt: message.submittedAt,
            },
          },
        ];
  });
  const answers = await registered(
    message,
    keyed.map((k) => k.report),
    deps,
  );
  const reports = new Map(keyed.map((k, n) => [k.i, { key: k.report.key, corroboration: answers[n]! }]));
  // Merged only into what is stored: an object still on its way may yet be withheld, rejected or lost, and a report
  // merged into it would be lost with it.
  const holders = [...new Set(keyed.flatMap((k, n) => (answers[n]!.objectId === k.report.objectId ? [] : [answers[n]!.objectId])))];
  const stored = new Set(await boundedFilter(holders, (id) => deps.isPublished(message.tenantId, message.collectionId, id)));
  const deferrals = message.deferrals ?? 0;
  const waiting: PipelineMessage['items'] = [];
  for (const [i, item] of message.items.entries()) {
    const report = reports.get(i);
    if (!report || report.corroboration.objectId === item.object.id || !mayMerge(item.access)) {
      forwarded.push(item);
      continue;
    }
    if (!stored.has(report.corroboration.objectId)) {
      // Waits for the other object's fate (stored: merged; released: this report takes the key); after the last
      // wait it is shared on its own rather than merged into something that may never be published.
      (deferrals < WAITS_SECONDS.length ? waiting : forwarded).push(item);
      continue;
    }
    const { key, corroboration } = report;
    // Another object already says the same thing in the same scope: no second copy.
    droppedBy['merged into an existing object'] = (droppedBy['merged into an existing object'] ?? 0) + 1;
    settlements.push({ index: item.entry, state: 'success', ...(mayKnow(item.access) ? { message: mergedMessage(corroboration) } : {}) });
    if (corroboration.reporters > 1) {
      const sighting = corroborationSighting(
        message.tenantId,
        message.collectionId,
        key,
        corroboration,
        await deps.tenantIdentityOf(message.tenantId),
        item.object.object_marking_refs,
      );
      forwarded.push({
        entry: item.entry,
        access: { ...item.access, providerMemberId: PLATFORM_PROVIDER },
        platform: true,
        object: sighting,
      });
    }
  }
  if (settlements.length > 0) await deps.settle(message, settlements);
  return {
    kind: 'forward',
    message: { ...message, items: forwarded },
    droppedBy,
    ...(waiting.length > 0
      ? { later: { message: { ...message, items: waiting, deferrals: deferrals + 1 }, delaySeconds: WAITS_SECONDS[deferrals]! } }
      : {}),
  };
}
