import { randomUUID } from 'node:crypto';
import { SubscriptionSchema, type Subscription } from '../../../shared/core/alerts/model';
import { MemberSchema, type Member } from '../../../shared/core/directory/model';
import type { Grant } from '../../../shared/core/policy/grants';
import type { StoredVersion, Tlp } from '../../../shared/core/taxii/model';

/** Members, grants, subscriptions and versions of one tenant and collection, for the alert rules' tests. */
export const T = 'ics-isac';
export const C = '11111111-1111-4111-8111-111111111111';
export const member = (id: string, extra: Partial<Member> = {}): Member =>
  MemberSchema.parse({ tenantId: T, id, nameEn: id, nameJa: id, ...extra });
export const grant = (memberId: string, clearance: Tlp): Grant => ({
  tenantId: T,
  collectionId: C,
  grantee: { kind: 'member', memberId },
  read: true,
  write: false,
  clearance,
  samples: false,
});
export const subscription = (memberId: string, extra: Partial<Subscription> = {}): Subscription =>
  SubscriptionSchema.parse({
    tenantId: T,
    memberId,
    id: randomUUID(),
    channel: { kind: 'webhook', url: 'https://h.example/' },
    createdAt: 'x',
    updatedAt: 'x',
    ...extra,
  });
export const version = (tlp: Tlp, extra: Partial<StoredVersion['access']> = {}, object: Record<string, unknown> = {}): StoredVersion => ({
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
