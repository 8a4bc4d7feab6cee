import type { StixObject } from '../taxii/model';

/**
 * Members' feedback on an object is what STIX already has for it: opinions (STIX 2.1 §4.12) whose `object_refs`
 * name it, each `strongly-disagree` … `strongly-agree` with the object's correctness. Exports leave out what the
 * feedback flags as a false positive (docs/exports.md), so the flag decides what every member's firewall blocks,
 * and no single member may force it (docs/moderation.md "False-positive flags"):
 *
 * 1. Only opinions the reader may see count (the caller passes those): an opinion hidden from a reader flags nothing
 *    for it.
 * 2. Members, not opinions or users, are counted: each member's stance is its latest opinion on the object (by
 *    date added); several users of one member, or one user posting twice, count once. A revoked latest opinion is no
 *    stance.
 * 3. The provider's own opinion of its own object does not count: it withdraws its object by revoking it (STIX 2.1
 *    §3.2), visibly to all, and one of the k voices must not be the object's author.
 * 4. Flagged by members: at least `minMembers` (the collection policy's `falsePositiveMembers`, default 3) members
 *    disagree (`disagree`, `strongly-disagree`), and more members disagree than agree.
 * 5. A moderator's decision stands above the count: `confirmed` flags the object whatever the opinions say;
 *    `lifted` unflags it and only opinions added after the lift count from then on, so the flag comes back when
 *    `minMembers` members disagree again, not because of the opinions the moderator already weighed.
 *
 * The tally names nobody: counts of members, never who.
 */
export type OpinionValue = 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';
const OPINION_VALUES: readonly OpinionValue[] = ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'];

/** Rule 4's default k. */
export const DEFAULT_FALSE_POSITIVE_MEMBERS = 3;

/** One committed opinion version as the tally needs it: who shared it, when, and the object. */
export interface OpinionEntry {
  memberId: string;
  dateAdded: string;
  object: StixObject;
}

/** A moderator's decision on one object's flag (rule 5). */
export interface FlagVerdict {
  state: 'confirmed' | 'lifted';
  at: string;
}

export interface FlagRule {
  minMembers: number;
  /** The member that shared the object the opinions are about (rule 3); unknown when it is not in the collection. */
  providerMemberId?: string;
  verdict?: FlagVerdict;
}

/** Members per opinion value (rule 2), whether flagged, and why. */
export type FeedbackTally = Record<OpinionValue, number> & {
  false_positive: boolean;
  /** Why it is flagged: `members` (rule 4) or `moderator` (rule 5). */
  flagged_by?: 'members' | 'moderator';
  /** A moderator lifted the flag; opinions before `lifted_at` no longer count. */
  lifted_at?: string;
};

const isOpinionValue = (value: unknown): value is OpinionValue => OPINION_VALUES.includes(value as OpinionValue);

/** Each member's stance (rule 2, 3, 5): its latest opinion, when that is an opinion value and counts. */
function stances(opinions: readonly OpinionEntry[], rule: FlagRule): Map<string, OpinionValue> {
  const latest = new Map<string, OpinionEntry>();
  for (const entry of opinions) {
    if (entry.object.type !== 'opinion' || entry.memberId === rule.providerMemberId) continue;
    if (rule.verdict?.state === 'lifted' && entry.dateAdded <= rule.verdict.at) continue;
    const before = latest.get(entry.memberId);
    if (!before || entry.dateAdded > before.dateAdded || (entry.dateAdded === before.dateAdded && entry.object.id > before.object.id))
      latest.set(entry.memberId, entry);
  }
  const out = new Map<string, OpinionValue>();
  for (const [memberId, { object }] of latest)
    if (object.revoked !== true && isOpinionValue(object.opinion)) out.set(memberId, object.opinion);
  return out;
}

/** The tally of the opinions a reader may see (rule 1: the caller filtered them); undefined when there is nothing. */
export function tallyOf(opinions: readonly OpinionEntry[], rule: FlagRule): FeedbackTally | undefined {
  const counts = Object.fromEntries(OPINION_VALUES.map((v) => [v, 0])) as Record<OpinionValue, number>;
  for (const value of stances(opinions, rule).values()) counts[value]++;
  const disagreeing = counts['strongly-disagree'] + counts.disagree;
  const agreeing = counts.agree + counts['strongly-agree'];
  const byMembers = disagreeing >= rule.minMembers && disagreeing > agreeing;
  const confirmed = rule.verdict?.state === 'confirmed';
  const any = OPINION_VALUES.some((v) => counts[v] > 0);
  if (!any && !rule.verdict) return undefined;
  return {
    ...counts,
    false_positive: confirmed || byMembers,
    ...(confirmed ? { flagged_by: 'moderator' as const } : byMembers ? { flagged_by: 'members' as const } : {}),
    ...(rule.verdict?.state === 'lifted' ? { lifted_at: rule.verdict.at } : {}),
  };
}
