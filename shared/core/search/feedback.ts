import type { StixObject } from '../taxii/model';

/**
 * Members' feedback on an object is what STIX already has for it: opinions (STIX 2.1 §4.12) whose `object_refs`
 * name it, each `strongly-disagree` … `strongly-agree` with the object's correctness. The tally counts the latest
 * version of each opinion the reader may see; nothing names who gave it.
 */
export type OpinionValue = 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';
const OPINION_VALUES: readonly OpinionValue[] = ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'];

export type FeedbackTally = Record<OpinionValue, number> & { false_positive: boolean };

export function tallyOf(opinions: readonly StixObject[]): FeedbackTally | undefined {
  const counts = Object.fromEntries(OPINION_VALUES.map((v) => [v, 0])) as Record<OpinionValue, number>;
  let any = false;
  for (const opinion of opinions) {
    if (opinion.type !== 'opinion' || opinion.revoked === true || !OPINION_VALUES.includes(opinion.opinion as OpinionValue)) continue;
    counts[opinion.opinion as OpinionValue]++;
    any = true;
  }
  if (!any) return undefined;
  return { ...counts, false_positive: isFalsePositive(counts) };
}

/**
 * Flagged as a false positive: more members disagree with it than agree (neutral opinions count for neither).
 * Exports leave flagged objects out by default (issue #15), as a member would remove an entry others report as
 * wrong before it blocks their own traffic.
 */
function isFalsePositive(counts: Record<OpinionValue, number>): boolean {
  return counts['strongly-disagree'] + counts.disagree > counts.agree + counts['strongly-agree'];
}
