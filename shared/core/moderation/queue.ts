import { z } from 'zod';
import { AccessScopeSchema } from '../pipeline/message';
import type { Settlement } from '../taxii/status';
import { redactionProblems, type RedactionProblem } from './redaction';

/**
 * The moderation queue (issue #14; BRIEF: the hub publishes only what a moderator or the provider agreed to). An item
 * waits here, after anonymize and instead of being committed, when its collection is moderated or the filter held it
 * (personal data); and, when the provider asked to review, until the provider agrees. Each decision moves it along
 *
 *   queued ──approve/redact──▶ (awaiting-provider ──provider approves/redacts──▶) publishing ──commit──▶ published
 *     │  ╰──return──▶ returned ──provider answers──▶ queued
 *     ╰──reject──▶ rejected          awaiting-provider ──withdraw, or the deadline passes──▶ withdrawn
 *
 * and tells the provider's TAXII status: `pending` while it waits, then success or failure with the reason.
 * `publishing` is a claim: the decision to publish is stored and its commit under way. A commit that failed (a crash,
 * an outage) leaves the claim behind; an approve completes it at once, and once the claim is older than
 * PUBLISHING_LEASE_MS — longer than any function that commits may run — the scheduled sweep completes it, so a
 * decision to publish never waits for a moderator to act twice.
 */
export const MODERATION_STATES = ['queued', 'returned', 'awaiting-provider', 'publishing', 'published', 'rejected', 'withdrawn'] as const;
export type ModerationState = (typeof MODERATION_STATES)[number];
export const FINAL_STATES: ReadonlySet<ModerationState> = new Set(['published', 'rejected', 'withdrawn']);

/** Ten minutes: twice the longest timeout of a function that commits (300 s, infra/topology.ts), so no live commit is raced. */
export const PUBLISHING_LEASE_MS = 10 * 60_000;

export const ModerationActorSchema = z.object({ username: z.string(), memberId: z.string(), role: z.string() });
export type ModerationActor = z.infer<typeof ModerationActorSchema>;

export const ModerationItemSchema = z.object({
  tenantId: z.string().min(1),
  /** Sorts by queue time, safe in a URL path: `<submittedAt>~<statusId>~<entry>`. */
  itemId: z.string().min(1),
  collectionId: z.string().min(1),
  statusId: z.string().min(1),
  /** The object's index in its POST's status. */
  entry: z.number().int().min(0),
  objectId: z.string().min(1),
  providerMemberId: z.string().min(1),
  access: AccessScopeSchema,
  /** Why it waits: the collection is moderated, or what the filter found. */
  reason: z.string().min(1),
  /** The version that would be published: anonymised, and redacted further by each decision. */
  object: z.looseObject({ type: z.string(), id: z.string() }),
  state: z.enum(MODERATION_STATES),
  queuedAt: z.string(),
  updatedAt: z.string(),
  /** Bumped by every decision: a decision applies only to the revision it was made on. */
  revision: z.number().int().min(1),
  /** The provider asked to see the version to be published first; what happens if it does not answer in time. */
  providerReview: z.object({ hours: z.number().positive(), onDeadline: z.enum(['withdraw', 'publish']) }).optional(),
  /** While awaiting the provider: when the collection's policy decides instead. */
  deadline: z.string().optional(),
  /** A moderator's open question to the provider (state `returned`). */
  question: z.string().optional(),
  /** Who last changed the version to be published (four-eyes: not its approver). */
  lastEditor: ModerationActorSchema.optional(),
  history: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      actor: ModerationActorSchema.optional(),
      note: z.string().optional(),
      redacted: z.array(z.string()).optional(),
    }),
  ),
});
export type ModerationItem = z.infer<typeof ModerationItemSchema>;

export type ModeratorDecision =
  | { kind: 'approve' }
  | { kind: 'redact'; object: Record<string, unknown>; approve: boolean }
  | { kind: 'reject'; reason: string }
  | { kind: 'return'; question: string };

export type ProviderDecision =
  | { kind: 'approve' }
  | { kind: 'redact'; object: Record<string, unknown> }
  | { kind: 'withdraw'; reason?: string }
  | { kind: 'answer'; answer: string };

export interface DecisionResult {
  item: ModerationItem;
  /** Set when the item leaves the queue published: the version to commit. */
  publish?: Record<string, unknown>;
  /** The provider's status entry, once the item's fate is decided. */
  settlement?: Settlement;
  /** What the provider's pending status entry says meanwhile (a question, "awaiting your review"). */
  pendingNote?: string;
}

export class DecisionRefused extends Error {
  constructor(
    message: string,
    readonly problems: RedactionProblem[] = [],
  ) {
    super(message);
  }
}

export interface ModerationRules {
  /** Four-eyes: the approver is neither from the provider's own member nor the item's last editor. */
  fourEyes: boolean;
}

const MAX_TEXT = 4000;

function moved(
  item: ModerationItem,
  state: ModerationState,
  nowIso: string,
  entry: ModerationItem['history'][number],
  changes: Partial<ModerationItem> = {},
): ModerationItem {
  return { ...item, ...changes, state, updatedAt: nowIso, revision: item.revision + 1, history: [...item.history, entry] };
}

function redactedPaths(item: ModerationItem, object: Record<string, unknown>): string[] {
  const problems = redactionProblems(item.object, object);
  if (problems.length > 0)
    throw new DecisionRefused(
      `Not a redaction of the proposed version: ${problems.map((p) => `${p.path} ${p.problem}`).join('; ')}`,
      problems,
    );
  return Object.keys(item.object).filter((name) => JSON.stringify(item.object[name]) !== JSON.stringify(object[name]));
}

/** The item leaves the moderators: published now, or first shown to the provider when it asked to review. */
function release(
  item: ModerationItem,
  object: Record<string, unknown>,
  actor: ModerationActor | undefined,
  nowMs: number,
  action: string,
  redacted?: string[],
): DecisionResult {
  const nowIso = new Date(nowMs).toISOString();
  const entry = { at: nowIso, action, ...(actor ? { actor } : {}), ...(redacted && redacted.length > 0 ? { redacted } : {}) };
  if (item.providerReview && item.state !== 'awaiting-provider') {
    const deadline = new Date(nowMs + item.providerReview.hours * 3_600_000).toISOString();
    return {
      item: moved(item, 'awaiting-provider', nowIso, entry, { object: object as ModerationItem['object'], deadline }),
      pendingNote: `Awaiting your review of the version to be published, until ${deadline}`,
    };
  }
  return {
    item: moved(item, 'published', nowIso, entry, { object: object as ModerationItem['object'], deadline: undefined }),
    publish: object,
    settlement: {
      index: item.entry,
      state: 'success',
      message: action === 'provider-approved' ? 'Published with your approval' : 'Published after moderation',
    },
  };
}

function assertState(item: ModerationItem, allowed: readonly ModerationState[], what: string): void {
  if (!allowed.includes(item.state)) throw new DecisionRefused(`Cannot ${what} an item that is ${item.state}`);
}

function assertText(text: string, what: string): void {
  if (text.trim().length === 0 || text.length > MAX_TEXT) throw new DecisionRefused(`${what} must be 1–${MAX_TEXT} characters`);
}

/** A moderator's decision on a queued item. */
export function decideAsModerator(
  item: ModerationItem,
  decision: ModeratorDecision,
  actor: ModerationActor,
  rules: ModerationRules,
  nowMs: number,
): DecisionResult {
  const nowIso = new Date(nowMs).toISOString();
  if (item.state === 'publishing') {
    if (decision.kind !== 'approve') throw new DecisionRefused('The item is being published; approve completes its publication');
    return completed(item, nowMs, actor);
  }
  assertState(item, ['queued'], decision.kind);
  const approving = decision.kind === 'approve' || (decision.kind === 'redact' && decision.approve);
  if (approving && rules.fourEyes) {
    if (actor.memberId === item.providerMemberId)
      throw new DecisionRefused("Four-eyes rule: a moderator of the provider's own organisation cannot approve its item");
    if (decision.kind === 'approve' && item.lastEditor?.username === actor.username)
      throw new DecisionRefused('Four-eyes rule: the last editor of an item cannot approve it');
  }
  switch (decision.kind) {
    case 'approve':
      return release(item, item.object, actor, nowMs, 'approved');
    case 'redact': {
      const redacted = redactedPaths(item, decision.object);
      if (decision.approve && rules.fourEyes) throw new DecisionRefused('Four-eyes rule: a redaction is approved by another moderator');
      if (decision.approve) return release(item, decision.object, actor, nowMs, 'redacted and approved', redacted);
      return {
        item: moved(
          item,
          'queued',
          nowIso,
          { at: nowIso, action: 'redacted', actor, redacted },
          { object: decision.object as ModerationItem['object'], lastEditor: actor },
        ),
      };
    }
    case 'reject':
      assertText(decision.reason, 'A rejection reason');
      return {
        item: moved(item, 'rejected', nowIso, { at: nowIso, action: 'rejected', actor, note: decision.reason }),
        settlement: { index: item.entry, state: 'failure', message: `Rejected by a moderator: ${decision.reason}` },
      };
    case 'return':
      assertText(decision.question, 'A question');
      return {
        item: moved(
          item,
          'returned',
          nowIso,
          { at: nowIso, action: 'returned', actor, note: decision.question },
          { question: decision.question },
        ),
        pendingNote: `A moderator asks: ${decision.question}`,
      };
  }
}

/** The provider's decision: on the version awaiting its review, or its answer to a moderator's question. */
export function decideAsProvider(item: ModerationItem, decision: ProviderDecision, actor: ModerationActor, nowMs: number): DecisionResult {
  if (actor.memberId !== item.providerMemberId) throw new DecisionRefused('Only the provider decides on its own item');
  const nowIso = new Date(nowMs).toISOString();
  switch (decision.kind) {
    case 'approve':
      assertState(item, ['awaiting-provider'], 'approve');
      return release(item, item.object, actor, nowMs, 'provider-approved');
    case 'redact': {
      assertState(item, ['awaiting-provider'], 'redact');
      const redacted = redactedPaths(item, decision.object);
      return release(item, decision.object, actor, nowMs, 'provider-approved', redacted);
    }
    case 'withdraw':
      assertState(item, ['queued', 'returned', 'awaiting-provider'], 'withdraw');
      return {
        item: moved(item, 'withdrawn', nowIso, {
          at: nowIso,
          action: 'withdrawn',
          actor,
          ...(decision.reason ? { note: decision.reason } : {}),
        }),
        settlement: { index: item.entry, state: 'failure', message: 'Withdrawn by the provider' },
      };
    case 'answer':
      assertState(item, ['returned'], 'answer');
      assertText(decision.answer, 'An answer');
      return {
        item: moved(item, 'queued', nowIso, { at: nowIso, action: 'answered', actor, note: decision.answer }, { question: undefined }),
        pendingNote: 'Answered; waiting for a moderator',
      };
  }
}

function completed(item: ModerationItem, nowMs: number, actor?: ModerationActor): DecisionResult {
  const nowIso = new Date(nowMs).toISOString();
  return {
    item: moved(item, 'published', nowIso, { at: nowIso, action: 'publication completed', ...(actor ? { actor } : {}) }),
    publish: item.object,
    settlement: { index: item.entry, state: 'success', message: 'Published after moderation' },
  };
}

/** A `publishing` claim older than the lease: its commit failed and nobody is finishing it; the platform does. */
export function completeAbandonedPublication(item: ModerationItem, nowMs: number): DecisionResult | undefined {
  if (item.state !== 'publishing' || Date.parse(item.updatedAt) + PUBLISHING_LEASE_MS > nowMs) return undefined;
  return completed(item, nowMs);
}

/** An item awaiting the provider past its deadline: the collection's policy decides (default: withdraw). */
export function expireReview(item: ModerationItem, nowMs: number): DecisionResult | undefined {
  if (item.state !== 'awaiting-provider' || !item.deadline || Date.parse(item.deadline) > nowMs) return undefined;
  const nowIso = new Date(nowMs).toISOString();
  if (item.providerReview?.onDeadline === 'publish') {
    return {
      item: moved(item, 'published', nowIso, { at: nowIso, action: 'published at the review deadline' }, { deadline: undefined }),
      publish: item.object,
      settlement: {
        index: item.entry,
        state: 'success',
        message: 'Published: your review deadline passed and the collection publishes then',
      },
    };
  }
  return {
    item: moved(item, 'withdrawn', nowIso, { at: nowIso, action: 'withdrawn at the review deadline' }, { deadline: undefined }),
    settlement: { index: item.entry, state: 'failure', message: 'Withdrawn: your review deadline passed without an answer' },
  };
}
