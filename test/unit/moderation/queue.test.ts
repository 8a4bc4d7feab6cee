import {
  decideAsModerator,
  decideAsProvider,
  expireReview,
  completeAbandonedPublication,
  DecisionRefused,
  PUBLISHING_LEASE_MS,
  type ModerationItem,
} from '../../../shared/core/moderation/queue';
import { MASK } from '../../../shared/core/moderation/redaction';

const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const note = {
  type: 'note',
  spec_version: '2.1',
  id: 'note--5a4f1cf2-1b1e-4b43-9f1a-5c8a1f0b8a01',
  created: '2026-11-30T09:00:00.000Z',
  modified: '2026-11-30T09:00:00.000Z',
  content: 'Call the SOC at 03-1234-5678 about the phishing wave',
  object_refs: ['indicator--0b1c3a8e-5d4f-4c9a-8f36-2f5c0b8a9d11'],
};
const queued: ModerationItem = {
  tenantId: 'isac',
  itemId: '2026-11-30T09:00:00.000Z#1',
  collectionId: 'c1',
  statusId: 's1',
  entry: 3,
  objectId: note.id,
  providerMemberId: 'kanto',
  access: { tlp: 'amber', recipients: [], secret: false, providerMemberId: 'kanto' },
  reason: 'held for moderation: content contains a phone number',
  object: note,
  state: 'queued',
  queuedAt: '2026-11-30T09:00:00.000Z',
  updatedAt: '2026-11-30T09:00:00.000Z',
  revision: 1,
  history: [{ at: '2026-11-30T09:00:00.000Z', action: 'queued' }],
};
const alice = { username: 'alice', memberId: 'hub', role: 'moderator' };
const bob = { username: 'bob', memberId: 'hub', role: 'moderator' };
const kantoModerator = { username: 'kmod', memberId: 'kanto', role: 'moderator' };
const provider = { username: 'ksoc', memberId: 'kanto', role: 'analyst' };
const masked = { ...note, content: `Call the SOC at ${MASK} about the phishing wave` };

describe('moderator decisions', () => {
  it('approve publishes the proposed version and settles the status as success', () => {
    const result = decideAsModerator(queued, { kind: 'approve' }, alice, { fourEyes: false }, NOW);

    expect(result.publish).toEqual(note);
    expect(result.settlement).toEqual({ index: 3, state: 'success', message: 'Published after moderation' });
    expect(result.item).toMatchObject({ state: 'published', revision: 2 });
    expect(result.item.history.at(-1)).toEqual({ at: '2026-11-30T10:00:00.000Z', action: 'approved', actor: alice });
  });

  it('redact keeps the item queued with the redacted version and its editor; approving it publishes that version', () => {
    const redacted = decideAsModerator(queued, { kind: 'redact', object: masked, approve: false }, alice, { fourEyes: true }, NOW);
    const approved = decideAsModerator(redacted.item, { kind: 'approve' }, bob, { fourEyes: true }, NOW + 1000);

    expect(redacted).toEqual({ item: expect.objectContaining({ state: 'queued', object: masked, lastEditor: alice }) });
    expect(redacted.item.history.at(-1)).toMatchObject({ action: 'redacted', redacted: ['content'] });
    expect(approved.publish).toEqual(masked);
  });

  it('refuses a redaction that adds text, names the path and leaves the item unchanged', () => {
    const act = () =>
      decideAsModerator(
        queued,
        { kind: 'redact', object: { ...note, content: `${note.content} (confirmed)` }, approve: true },
        alice,
        { fourEyes: false },
        NOW,
      );

    expect(act).toThrow(DecisionRefused);
    expect(act).toThrow(/content may only be masked/);
    expect(queued.state).toBe('queued');
  });

  it('four-eyes: neither a moderator of the provider nor the last editor approves; another moderator does', () => {
    const edited = decideAsModerator(queued, { kind: 'redact', object: masked, approve: false }, alice, { fourEyes: true }, NOW).item;

    expect(() => decideAsModerator(queued, { kind: 'approve' }, kantoModerator, { fourEyes: true }, NOW)).toThrow(
      /provider's own organisation/,
    );
    expect(() => decideAsModerator(edited, { kind: 'approve' }, alice, { fourEyes: true }, NOW)).toThrow(/last editor/);
    expect(() => decideAsModerator(queued, { kind: 'redact', object: masked, approve: true }, alice, { fourEyes: true }, NOW)).toThrow(
      /another moderator/,
    );
    expect(decideAsModerator(edited, { kind: 'approve' }, bob, { fourEyes: true }, NOW).item.state).toBe('published');
    expect(decideAsModerator(queued, { kind: 'approve' }, kantoModerator, { fourEyes: false }, NOW).item.state).toBe('published');
  });

  it('reject settles a failure with the reason; return asks the provider, whose answer queues the item again', () => {
    const rejected = decideAsModerator(queued, { kind: 'reject', reason: 'Not about a threat' }, alice, { fourEyes: false }, NOW);
    const returned = decideAsModerator(queued, { kind: 'return', question: 'May we name the sector?' }, alice, { fourEyes: false }, NOW);
    const answered = decideAsProvider(returned.item, { kind: 'answer', answer: 'Yes, energy' }, provider, NOW);

    expect(rejected.settlement).toEqual({ index: 3, state: 'failure', message: 'Rejected by a moderator: Not about a threat' });
    expect(rejected.publish).toBeUndefined();
    expect(returned).toMatchObject({
      item: { state: 'returned', question: 'May we name the sector?' },
      pendingNote: 'A moderator asks: May we name the sector?',
    });
    expect(returned.settlement).toBeUndefined();
    expect(answered.item).toMatchObject({ state: 'queued' });
    expect(answered.item.question).toBeUndefined();
  });

  it('completes a publication left half-way (`publishing`) on approve, and refuses anything else then', () => {
    const publishing: ModerationItem = { ...queued, state: 'publishing', object: masked, revision: 3 };

    const completed = decideAsModerator(publishing, { kind: 'approve' }, bob, { fourEyes: true }, NOW);

    expect(completed).toMatchObject({ item: { state: 'published', revision: 4 }, publish: masked, settlement: { state: 'success' } });
    expect(() => decideAsModerator(publishing, { kind: 'reject', reason: 'late' }, alice, { fourEyes: false }, NOW)).toThrow(
      /being published/,
    );
  });

  it('completes a `publishing` claim by itself once the lease has passed, never before, and nothing else', () => {
    const claimedAt = '2026-11-30T09:50:00.000Z';
    const publishing: ModerationItem = { ...queued, state: 'publishing', object: masked, revision: 3, updatedAt: claimedAt };
    const expiry = Date.parse(claimedAt) + PUBLISHING_LEASE_MS;

    const early = completeAbandonedPublication(publishing, expiry - 1);
    const late = completeAbandonedPublication(publishing, expiry);
    const others = (['queued', 'returned', 'awaiting-provider', 'published', 'rejected', 'withdrawn'] as const).map((state) =>
      completeAbandonedPublication({ ...publishing, state }, expiry + 1),
    );

    expect(early).toBeUndefined();
    expect(late).toMatchObject({
      item: { state: 'published', revision: 4 },
      publish: masked,
      settlement: { index: 3, state: 'success', message: 'Published after moderation' },
    });
    expect(late!.item.history.at(-1)).toEqual({ at: new Date(expiry).toISOString(), action: 'publication completed' });
    expect(others).toEqual(others.map(() => undefined));
  });

  it('refuses decisions on items that are not queued, and empty reasons', () => {
    const published = decideAsModerator(queued, { kind: 'approve' }, alice, { fourEyes: false }, NOW).item;

    expect(() => decideAsModerator(published, { kind: 'reject', reason: 'late' }, alice, { fourEyes: false }, NOW)).toThrow(/published/);
    expect(() => decideAsModerator(queued, { kind: 'reject', reason: '  ' }, alice, { fourEyes: false }, NOW)).toThrow(/reason/);
  });
});

describe("the provider's consent", () => {
  const reviewed: ModerationItem = { ...queued, providerReview: { hours: 24, onDeadline: 'withdraw' } };

  it('an approved item waits for the provider until a deadline, then publishes what the provider approves', () => {
    const waiting = decideAsModerator(reviewed, { kind: 'approve' }, alice, { fourEyes: false }, NOW);
    const approved = decideAsProvider(waiting.item, { kind: 'redact', object: masked }, provider, NOW + 1000);

    expect(waiting.publish).toBeUndefined();
    expect(waiting.item).toMatchObject({ state: 'awaiting-provider', deadline: '2026-12-01T10:00:00.000Z' });
    expect(approved.publish).toEqual(masked);
    expect(approved.settlement).toEqual({ index: 3, state: 'success', message: 'Published with your approval' });
  });

  it('only the provider decides, and it may only redact further', () => {
    const waiting = decideAsModerator(reviewed, { kind: 'approve' }, alice, { fourEyes: false }, NOW).item;

    expect(() => decideAsProvider(waiting, { kind: 'approve' }, bob, NOW)).toThrow(/Only the provider/);
    expect(() => decideAsProvider(waiting, { kind: 'redact', object: { ...note, content: 'Other text' } }, provider, NOW)).toThrow(
      DecisionRefused,
    );
  });

  it('past the deadline the policy decides: withdraw by default, publish when the collection says so; not before', () => {
    const waiting = decideAsModerator(reviewed, { kind: 'approve' }, alice, { fourEyes: false }, NOW).item;
    const publishing = { ...waiting, providerReview: { hours: 24, onDeadline: 'publish' as const } };
    const day = 24 * 3_600_000;

    expect(expireReview(waiting, NOW + day - 1)).toBeUndefined();
    expect(expireReview(waiting, NOW + day)).toMatchObject({ item: { state: 'withdrawn' }, settlement: { state: 'failure' } });
    expect(expireReview(waiting, NOW + day)?.publish).toBeUndefined();
    expect(expireReview(publishing, NOW + day)).toMatchObject({
      item: { state: 'published' },
      publish: note,
      settlement: { state: 'success' },
    });
    expect(expireReview(queued, NOW + 10 * day)).toBeUndefined();
  });

  it('the provider may withdraw while its item waits, never after it is published', () => {
    const published = decideAsModerator(queued, { kind: 'approve' }, alice, { fourEyes: false }, NOW).item;

    expect(decideAsProvider(queued, { kind: 'withdraw' }, provider, NOW).settlement).toEqual({
      index: 3,
      state: 'failure',
      message: 'Withdrawn by the provider',
    });
    expect(() => decideAsProvider(published, { kind: 'withdraw' }, provider, NOW)).toThrow(/published/);
  });
});
