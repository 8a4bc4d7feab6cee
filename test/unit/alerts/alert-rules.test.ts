import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { alertOf, alertIdOf, URGENT_LABEL } from '../../../shared/core/alerts/trigger';
import { recipientsOf } from '../../../shared/core/alerts/recipients';
import { nextStep, delaySecondsUntil, retryAfterSeconds, MAX_ATTEMPTS } from '../../../shared/core/alerts/delivery';
import { ackToken, openAckToken } from '../../../shared/core/alerts/ack-token';
import { SubscriptionSchema, type Subscription } from '../../../shared/core/alerts/model';
import { MemberSchema, type Member } from '../../../shared/core/directory/model';
import type { Grant } from '../../../shared/core/policy/grants';
import type { StoredVersion, Tlp } from '../../../shared/core/taxii/model';

const T = 'ics-isac';
const C = '11111111-1111-4111-8111-111111111111';
const member = (id: string, extra: Partial<Member> = {}): Member => MemberSchema.parse({ tenantId: T, id, nameEn: id, nameJa: id, ...extra });
const grant = (memberId: string, clearance: Tlp): Grant => ({ tenantId: T, collectionId: C, grantee: { kind: 'member', memberId }, read: true, write: false, clearance, samples: false });
const subscription = (memberId: string, extra: Partial<Subscription> = {}): Subscription =>
  SubscriptionSchema.parse({ tenantId: T, memberId, id: randomUUID(), channel: { kind: 'webhook', url: 'https://h.example/' }, createdAt: 'x', updatedAt: 'x', ...extra });
const version = (tlp: Tlp, extra: Partial<StoredVersion['access']> = {}, object: Record<string, unknown> = {}): StoredVersion => ({
  tenantId: T,
  collectionId: C,
  objectId: 'indicator--1',
  type: 'indicator',
  version: '2026-01-01T00:00:00.000Z',
  specVersion: '2.1',
  dateAdded: '2026-01-01T00:00:00.000Z',
  mediaType: 'application/stix+json;version=2.1',
  access: { tlp, recipients: [], secret: false, providerMemberId: 'provider', ...extra },
  object: { type: 'indicator', id: 'indicator--1', ...object },
});

describe('what raises an alert', () => {
  it('alerts every commit of an `alert: all` collection, only marked ones elsewhere, and corrections and revocations of what was alerted', () => {
    const plain = { object: { type: 'indicator', id: 'indicator--1' } };
    const marked = { object: { type: 'indicator', id: 'indicator--1', labels: [URGENT_LABEL] } };
    const revoked = { object: { type: 'indicator', id: 'indicator--1', revoked: true } };
    expect(alertOf(plain, { alert: 'marked' }, false)).toBeUndefined();
    expect(alertOf(plain, { alert: 'all' }, false)).toEqual({ kind: 'new', urgent: false });
    expect(alertOf(marked, { alert: 'marked' }, false)).toEqual({ kind: 'new', urgent: true });
    expect(alertOf(plain, { alert: 'marked' }, true)).toEqual({ kind: 'correction', urgent: false });
    expect(alertOf(revoked, { alert: 'marked' }, true)).toEqual({ kind: 'revocation', urgent: false });
  });

  it('derives one alert id per tenant, collection, object and version', () => {
    expect(alertIdOf(T, C, 'indicator--1', 'v1')).toBe(alertIdOf(T, C, 'indicator--1', 'v1'));
    expect(new Set([alertIdOf(T, C, 'indicator--1', 'v1'), alertIdOf(T, C, 'indicator--1', 'v2'), alertIdOf('other', C, 'indicator--1', 'v1')]).size).toBe(3);
  });
});

describe('who receives an alert', () => {
  const members = [member('provider'), member('amber-reader'), member('green-reader'), member('red-named'), member('red-unnamed'), member('secret-opted', { secretOptIn: true }), member('suspended', { status: 'suspended' })];
  const grants = [grant('provider', 'amber'), grant('amber-reader', 'amber'), grant('green-reader', 'green'), grant('red-named', 'red'), grant('red-unnamed', 'red'), grant('secret-opted', 'amber'), grant('suspended', 'red')];
  const subscriptions = members.map((m) => subscription(m.id));
  const audience = { members, grants, groupsOf: new Map<string, string[]>(), subscriptions };
  const receivers = (v: StoredVersion, urgent = false) => [...recipientsOf(v, urgent, audience).keys()].sort();

  it('follows the TAXII read rules: clearance, RED recipients, the secret opt-in; never the provider or a suspended member', () => {
    expect(receivers(version('green'))).toEqual(['amber-reader', 'green-reader', 'red-named', 'red-unnamed', 'secret-opted']);
    expect(receivers(version('amber'))).toEqual(['amber-reader', 'red-named', 'red-unnamed', 'secret-opted']);
    expect(receivers(version('red', { recipients: ['red-named'] }))).toEqual(['red-named']);
    expect(receivers(version('amber', { secret: true }))).toEqual(['secret-opted']);
  });

  it('applies each subscription’s filters', () => {
    const only = (filters: Record<string, unknown>) => ({ ...audience, subscriptions: [subscription('amber-reader', { filters: { collections: [], types: [], labels: [], minConfidence: 0, urgentOnly: false, ...filters } })] });
    const v = version('green', {}, { confidence: 60, labels: ['ransomware'] });
    expect([...recipientsOf(v, false, only({ urgentOnly: true })).keys()]).toEqual([]);
    expect([...recipientsOf(v, true, only({ urgentOnly: true })).keys()]).toEqual(['amber-reader']);
    expect([...recipientsOf(v, false, only({ minConfidence: 70 })).keys()]).toEqual([]);
    expect([...recipientsOf(v, false, only({ types: ['malware'] })).keys()]).toEqual([]);
    expect([...recipientsOf(v, false, only({ labels: ['ransomware'] })).keys()]).toEqual(['amber-reader']);
    expect([...recipientsOf(v, false, only({ collections: ['22222222-2222-4222-8222-222222222222'] })).keys()]).toEqual([]);
  });

  it('never sends a version to a member that could not read it over TAXII (any TLP, recipients, flags)', () => {
    const tlps: Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
    fc.assert(
      fc.property(fc.constantFrom(...tlps), fc.subarray(members.map((m) => m.id)), fc.boolean(), (tlp, named, secret) => {
        const v = version(tlp, { recipients: named, secret });
        for (const id of receivers(v)) {
          const m = members.find((x) => x.id === id)!;
          const clearance = grants.find((g) => g.grantee.kind === 'member' && g.grantee.memberId === id)!.clearance;
          expect(tlps.indexOf(tlp)).toBeLessThanOrEqual(tlps.indexOf(clearance));
          if (tlp === 'red') expect(named).toContain(id);
          if (secret) expect(m.secretOptIn).toBe(true);
        }
      }),
    );
  });
});

describe('delivery steps', () => {
  it('delivers on 2xx, disables on 410, fails at once on a refused address', () => {
    expect(nextStep(1, { status: 204 }, 0)).toEqual({ kind: 'delivered' });
    expect(nextStep(1, { status: 410 }, 0).kind).toBe('disabled');
    expect(nextStep(1, { error: 'refused', refused: true }, 0).kind).toBe('failed');
  });

  it('retries on the Standard Webhooks schedule, honouring a longer Retry-After, and fails after the last attempt', () => {
    expect(nextStep(1, { status: 500 }, 0)).toEqual({ kind: 'retry', dueAtMs: 5_000, reason: 'the receiver answered 500' });
    expect(nextStep(2, { error: 'timeout' }, 0)).toMatchObject({ kind: 'retry', dueAtMs: 300_000 });
    expect(nextStep(1, { status: 503, retryAfterSeconds: 120 }, 0)).toMatchObject({ kind: 'retry', dueAtMs: 120_000 });
    expect(nextStep(1, { status: 429, retryAfterSeconds: 10 ** 9 }, 0)).toMatchObject({ kind: 'retry', dueAtMs: 36_000_000 });
    expect(nextStep(MAX_ATTEMPTS, { status: 500 }, 0).kind).toBe('failed');
  });

  it('reads Retry-After as seconds or a date, and waits in SQS steps of at most 15 minutes', () => {
    expect(retryAfterSeconds('30', 0)).toBe(30);
    expect(retryAfterSeconds(new Date(60_000).toUTCString(), 0)).toBe(60);
    expect(retryAfterSeconds('soon', 0)).toBeUndefined();
    expect(delaySecondsUntil(36_000_000, 0)).toBe(900);
    expect(delaySecondsUntil(4_000, 0)).toBe(4);
  });
});

describe('acknowledgement tokens', () => {
  const secrets = ['s'.repeat(40)];
  const claim = { tenantId: T, alertId: 'alert--1', memberId: 'amber-reader' };
  it('open to their claim, with an older secret after rotation', () => {
    expect(openAckToken(secrets, ackToken(secrets, claim))).toEqual(claim);
    expect(openAckToken(['n'.repeat(40), ...secrets], ackToken(secrets, claim))).toEqual(claim);
  });
  it('refuse any change to the claim or the MAC', () => {
    const token = ackToken(secrets, claim);
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify([T, 'alert--1', 'green-reader'])).toString('base64url');
    expect(openAckToken(secrets, `${forged}.${mac}`)).toBeUndefined();
    expect(openAckToken(secrets, `${payload}.${mac.slice(0, -1)}A`)).toBeUndefined();
    expect(openAckToken(['o'.repeat(40)], token)).toBeUndefined();
  });
});
