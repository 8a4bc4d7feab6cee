import type { Member } from '../directory/model';
import type { Grant } from '../policy/grants';
import { collectionAccess } from '../policy/collection-access';
import { canSee } from '../policy/visibility';
import type { StoredVersion } from '../taxii/model';
import type { Subscription, SubscriptionFilters } from './model';

/**
 * Who receives an alert: the TAXII read rules, applied per member before anything is sent (issue #16 §3).
 * 1. The member may read the collection (a read grant, its own or a group's) and `canSee` the version: clearance,
 *    TLP:RED recipients, the secret opt-in (shared/core/policy/visibility.ts), exactly as a TAXII GET would.
 * 2. Alerts go to members, not to users, so no moderator exemption applies: a secret item reaches only members that
 *    opted in, even if one of their users moderates.
 * 3. The provider is not alerted about its own object (it knows, and the counts it sees are of the others).
 * 4. Only active members; only active subscriptions; each subscription's own filters.
 */

export interface AlertAudience {
  members: readonly Member[];
  grants: readonly Grant[];
  /** Group ids per member id. */
  groupsOf: ReadonlyMap<string, readonly string[]>;
  subscriptions: readonly Subscription[];
}

export function matchesFilters(
  filters: SubscriptionFilters,
  version: Pick<StoredVersion, 'collectionId' | 'object'>,
  urgent: boolean,
): boolean {
  const { object } = version;
  if (filters.urgentOnly && !urgent) return false;
  if (filters.collections.length > 0 && !filters.collections.includes(version.collectionId)) return false;
  if (filters.types.length > 0 && !filters.types.includes(object.type)) return false;
  const labels = Array.isArray(object.labels) ? object.labels : [];
  if (filters.labels.length > 0 && !filters.labels.some((l) => labels.includes(l))) return false;
  if (filters.minConfidence > 0 && !(typeof object.confidence === 'number' && object.confidence >= filters.minConfidence)) return false;
  return true;
}

/**
 * Whether `member` may receive an alert about `version` (rules 1–4 above but the subscriptions): asked when the alert
 * is raised, and again before a retry or an escalation, which come minutes to hours later.
 */
export function mayReceive(member: Member, version: StoredVersion, grants: readonly Grant[], groupIds: readonly string[]): boolean {
  if (member.status !== 'active' || member.tenantId !== version.tenantId || member.id === version.access.providerMemberId) return false;
  const access = collectionAccess(grants, { tenantId: member.tenantId, memberId: member.id, groupIds }, version.collectionId);
  if (!access.canRead) return false;
  return canSee(
    { tenantId: member.tenantId, memberId: member.id, clearance: access.clearance, secretOptIn: member.secretOptIn, isModerator: false },
    version,
  );
}

/** Per recipient member, the subscriptions (primary ones) the alert goes to; members with none are left out. */
export function recipientsOf(version: StoredVersion, urgent: boolean, audience: AlertAudience): Map<string, Subscription[]> {
  const out = new Map<string, Subscription[]>();
  for (const member of audience.members) {
    if (!mayReceive(member, version, audience.grants, audience.groupsOf.get(member.id) ?? [])) continue;
    const subscriptions = audience.subscriptions.filter(
      (s) =>
        s.memberId === member.id &&
        s.tenantId === member.tenantId &&
        s.status === 'active' &&
        s.role === 'primary' &&
        matchesFilters(s.filters, version, urgent),
    );
    if (subscriptions.length > 0) out.set(member.id, subscriptions);
  }
  return out;
}
