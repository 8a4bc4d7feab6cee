import { handleMailEvent, type MailIds, mailTags } from '../../../shared/core/alerts/mail-events';
import type { Subscription } from '../../../shared/core/alerts/model';
import { subscription, T } from './fixtures';

const NOW = Date.parse('2026-12-01T02:00:00.000Z');
const ADDRESS = 'soc@member.example.jp';

/** An in-memory subscription store holding one e-mail subscription. */
function store(extra: Partial<Subscription> = {}) {
  const held = new Map<string, Subscription>();
  const s = subscription('member-1', {
    channel: { kind: 'email', address: ADDRESS, language: 'ja', plainTextAboveClear: false },
    ...extra,
  });
  held.set(s.id, s);
  return {
    subscription: s,
    held,
    subscriptions: {
      get: async (_tenantId: string, _memberId: string, id: string) => held.get(id),
      put: async (next: Subscription) => void held.set(next.id, next),
    },
  };
}

/** The `mail` object of an SES event publishing record, with the message tags SES adds and ours (as SES returns them). */
const mailOf = (ids: MailIds) => ({
  timestamp: '2026-12-01T01:59:00.000Z',
  source: 'alerts@kyoyu.example.org',
  sourceArn: 'arn:aws:ses:ap-northeast-1:123456789012:identity/kyoyu.example.org',
  sendingAccountId: '123456789012',
  messageId: '0106019a1b2c3d4e-aaaa-bbbb-cccc-000000000000-000000',
  destination: [ADDRESS],
  headersTruncated: false,
  tags: {
    'ses:operation': ['SendEmail'],
    'ses:configuration-set': ['MailConfigurationSetABC'],
    'ses:source-ip': ['192.0.2.10'],
    'ses:from-domain': ['kyoyu.example.org'],
    'ses:caller-identity': ['KyoyuAlertsDispatcher'],
    ...Object.fromEntries(mailTags(ids).map((t) => [t.Name, [t.Value]])),
  },
});

const bounce = (ids: MailIds, bounceType: string, bounceSubType: string, diagnosticCode?: string) => ({
  eventType: 'Bounce',
  bounce: {
    feedbackId: '0106019a1b2c3d4e-feedback-000000',
    bounceType,
    bounceSubType,
    bouncedRecipients: [{ emailAddress: ADDRESS, action: 'failed', status: '5.1.1', ...(diagnosticCode ? { diagnosticCode } : {}) }],
    timestamp: '2026-12-01T01:59:30.000Z',
    reportingMTA: 'dns; a1-2.smtp-out.ap-northeast-1.amazonses.com',
  },
  mail: mailOf(ids),
});

const complaint = (ids: MailIds) => ({
  eventType: 'Complaint',
  complaint: {
    feedbackId: '0106019a1b2c3d4e-complaint-000000',
    complaintSubType: null,
    complainedRecipients: [{ emailAddress: ADDRESS }],
    timestamp: '2026-12-01T01:59:40.000Z',
    userAgent: 'Example-Feedback-Loop/1.0',
    complaintFeedbackType: 'abuse',
    arrivalDate: '2026-12-01T01:59:35.000Z',
  },
  mail: mailOf(ids),
});

const idsOf = (s: Subscription): MailIds => ({ tenantId: s.tenantId, memberId: s.memberId, subscriptionId: s.id });

describe('SES bounce and complaint events of alert mail', () => {
  it('disables the subscription on a permanent bounce, with the diagnostic as the reason', async () => {
    // Prepare
    const { subscription: s, held, subscriptions } = store();

    // Act
    const outcome = await handleMailEvent(bounce(idsOf(s), 'Permanent', 'General', 'smtp; 550 5.1.1 user unknown'), {
      subscriptions,
      now: () => NOW,
    });

    // Assess
    expect(outcome).toBe('disabled');
    expect(held.get(s.id)).toEqual({
      ...s,
      status: 'disabled',
      disabledReason: 'bounced: smtp; 550 5.1.1 user unknown',
      updatedAt: '2026-12-01T02:00:00.000Z',
    });
  });

  it('names the bounce sub-type when the recipient has no diagnostic', async () => {
    // Prepare
    const { subscription: s, held, subscriptions } = store();

    // Act
    await handleMailEvent(bounce(idsOf(s), 'Permanent', 'NoEmail'), { subscriptions, now: () => NOW });

    // Assess
    expect(held.get(s.id)?.disabledReason).toBe('bounced: NoEmail');
  });

  it('disables the subscription on a complaint', async () => {
    // Prepare
    const { subscription: s, held, subscriptions } = store();

    // Act
    const outcome = await handleMailEvent(complaint(idsOf(s)), { subscriptions, now: () => NOW });

    // Assess
    expect([outcome, held.get(s.id)?.status, held.get(s.id)?.disabledReason]).toEqual(['disabled', 'disabled', 'complaint']);
  });

  it.each([
    ['Transient', 'MailboxFull'],
    ['Transient', 'General'],
    ['Undetermined', 'Undetermined'],
  ])('ignores a %s (%s) bounce', async (bounceType, subType) => {
    // Prepare
    const { subscription: s, held, subscriptions } = store();

    // Act
    const outcome = await handleMailEvent(bounce(idsOf(s), bounceType, subType, 'smtp; 452 4.2.2 mailbox full'), {
      subscriptions,
      now: () => NOW,
    });

    // Assess
    expect([outcome, held.get(s.id)]).toEqual(['ignored', s]);
  });

  it('keeps the first reason when the subscription is already disabled', async () => {
    // Prepare
    const { subscription: s, held, subscriptions } = store({ status: 'disabled', disabledReason: 'bounced: smtp; 550 gone' });

    // Act
    const outcome = await handleMailEvent(complaint(idsOf(s)), { subscriptions, now: () => NOW });

    // Assess
    expect([outcome, held.get(s.id)?.disabledReason]).toEqual(['ignored', 'bounced: smtp; 550 gone']);
  });

  it('ignores events without our tags, and answers for a subscription that no longer exists', async () => {
    // Prepare
    const { subscription: s, held, subscriptions } = store();
    const untagged = bounce(idsOf(s), 'Permanent', 'General', 'smtp; 550');
    untagged.mail.tags = { 'ses:operation': ['SendEmail'] } as typeof untagged.mail.tags;

    // Act
    const outcomes = [
      await handleMailEvent(untagged, { subscriptions, now: () => NOW }),
      await handleMailEvent({ notificationType: 'AmazonSnsSubscriptionSucceeded' }, { subscriptions, now: () => NOW }),
      await handleMailEvent(bounce({ ...idsOf(s), subscriptionId: 'gone' }, 'Permanent', 'General'), { subscriptions, now: () => NOW }),
    ];

    // Assess
    expect(outcomes).toEqual(['ignored', 'ignored', 'unknown-subscription']);
    expect(held.get(s.id)).toEqual(s);
  });

  it('tags mail with values SES accepts, and reads back any member id', () => {
    // Prepare
    const ids = { tenantId: T, memberId: 'メンバー/1+x@y', subscriptionId: '11111111-1111-4111-8111-111111111111' };

    // Act
    const tags = mailTags(ids);

    // Assess
    expect(tags.map((t) => t.Name)).toEqual(['kyoyu-tenant', 'kyoyu-member', 'kyoyu-subscription']);
    for (const tag of tags) expect(tag.Value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(tags.map((t) => Buffer.from(t.Value, 'base64url').toString('utf8'))).toEqual([ids.tenantId, ids.memberId, ids.subscriptionId]);
  });
});
