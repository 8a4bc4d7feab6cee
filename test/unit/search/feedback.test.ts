import fc from 'fast-check';
import { tallyOf, type OpinionEntry, type OpinionValue } from '../../../shared/core/search/feedback';

/** The false-positive rule (shared/core/search/feedback.ts): no single member, nor the provider, flags an object. */
const PROVIDER = 'kanto-power';
let n = 0;
const opinion = (
  memberId: string,
  value: OpinionValue,
  dateAdded = `2026-05-02T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
): OpinionEntry => ({
  memberId,
  dateAdded,
  object: { type: 'opinion', id: `opinion--${String(n++).padStart(8, '0')}-0000-4000-8000-000000000000`, opinion: value },
});
const rule = { minMembers: 3, providerMemberId: PROVIDER };
const flagged = (opinions: OpinionEntry[], r: Parameters<typeof tallyOf>[1] = rule) => tallyOf(opinions, r)?.false_positive ?? false;

describe('false-positive flags', () => {
  it('one member never flags, however many opinions or users it posts with', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<OpinionValue>('disagree', 'strongly-disagree'), { minLength: 1, maxLength: 30 }), (values) => {
        expect(flagged(values.map((v) => opinion('hokuriku-water', v)))).toBe(false);
      }),
    );
  });

  it('counts members, each by its latest opinion: two users of one member are one, a change of mind replaces the first', () => {
    const twoUsersOneMember = [opinion('a', 'disagree'), opinion('a', 'strongly-disagree'), opinion('b', 'disagree')];
    expect(tallyOf(twoUsersOneMember, rule)).toMatchObject({ disagree: 1, 'strongly-disagree': 1, false_positive: false });
    const changedMind = [opinion('a', 'disagree', '2026-05-02T00:00:01.000Z'), opinion('a', 'agree', '2026-05-02T00:00:02.000Z')];
    expect(tallyOf(changedMind, rule)).toMatchObject({ disagree: 0, agree: 1 });
  });

  it('k members below the threshold do not flag; k do; more agreeing than disagreeing does not', () => {
    expect(flagged([opinion('a', 'disagree'), opinion('b', 'disagree')])).toBe(false);
    expect(flagged([opinion('a', 'disagree'), opinion('b', 'disagree'), opinion('c', 'strongly-disagree')])).toBe(true);
    const outvoted = ['a', 'b', 'c'].map((m) => opinion(m, 'disagree')).concat(['d', 'e', 'f'].map((m) => opinion(m, 'agree')));
    expect(flagged(outvoted)).toBe(false);
    expect(flagged([opinion('a', 'disagree')], { minMembers: 1 })).toBe(true);
  });

  it("the provider's own opinion of its own object does not count toward flagging it", () => {
    expect(flagged([opinion(PROVIDER, 'strongly-disagree'), opinion('a', 'disagree'), opinion('b', 'disagree')])).toBe(false);
  });

  it('a revoked latest opinion is no stance', () => {
    const revoked = { ...opinion('c', 'disagree'), object: { ...opinion('c', 'disagree').object, revoked: true } };
    expect(flagged([opinion('a', 'disagree'), opinion('b', 'disagree'), revoked])).toBe(false);
  });

  it("a moderator's confirmation flags without opinions; a lift counts only opinions added after it", () => {
    const early = ['a', 'b', 'c'].map((m) => opinion(m, 'disagree', '2026-05-02T00:00:00.000Z'));
    const lift = { state: 'lifted' as const, at: '2026-05-02T00:00:05.000Z' };
    expect(tallyOf([], { ...rule, verdict: { state: 'confirmed', at: lift.at } })).toMatchObject({
      false_positive: true,
      flagged_by: 'moderator',
    });
    expect(tallyOf(early, rule)).toMatchObject({ false_positive: true, flagged_by: 'members' });
    expect(flagged(early, { ...rule, verdict: lift })).toBe(false);
    const late = ['a', 'b'].map((m) => opinion(m, 'disagree', '2026-05-02T00:00:06.000Z'));
    expect(flagged([...early, ...late], { ...rule, verdict: lift })).toBe(false);
    expect(flagged([...early, ...late, opinion('d', 'disagree', '2026-05-02T00:00:07.000Z')], { ...rule, verdict: lift })).toBe(true);
  });

  it('never flags with fewer than k distinct non-provider members disagreeing, whatever else is posted', () => {
    const members = ['a', 'b', 'c', 'd', PROVIDER];
    const values: OpinionValue[] = ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ member: fc.constantFrom(...members), value: fc.constantFrom(...values), second: fc.integer({ min: 0, max: 59 }) }),
        ),
        fc.integer({ min: 1, max: 5 }),
        (posted, k) => {
          const entries = posted.map((p) => opinion(p.member, p.value, `2026-05-02T00:00:${String(p.second).padStart(2, '0')}.000Z`));
          const tally = tallyOf(entries, { minMembers: k, providerMemberId: PROVIDER });
          const disagreeing = (tally?.disagree ?? 0) + (tally?.['strongly-disagree'] ?? 0);
          if (tally?.false_positive) expect(disagreeing).toBeGreaterThanOrEqual(k);
          const voters = tally ? values.reduce((sum, v) => sum + tally[v], 0) : 0;
          expect(voters).toBeLessThanOrEqual(new Set(posted.map((p) => p.member).filter((m) => m !== PROVIDER)).size);
        },
      ),
    );
  });
});
