import type { Member, Principal } from '../directory/model';
import type { AccessScope, ReaderView, StoredVersion } from '../taxii/model';
import type { CollectionAccess } from './collection-access';
import { isModeratingRole } from './roles';
import { isClearedFor } from './tlp';

/**
 * Whether one member may see one committed version. The provider fixed the scope at submission and nobody widens
 * it (BRIEF); these are the rules, in the order `canSee` applies them:
 *
 * 1. Another tenant's version: never. Tenants are separate communities, even where member ids coincide.
 * 2. The provider always sees its own versions, whatever its clearance or the flags.
 * 3. Everyone else needs a clearance at least the version's TLP (the grant's clearance for the collection).
 * 4. TLP:RED reaches only the members the provider named, even a member cleared for RED, even a moderator.
 * 5. A secret version reaches only members that opted in to secret items, and moderators.
 *
 * The moderator rule, decided: moderation needs to read what it may have to remove, so moderators are exempt from
 * the secret opt-in (a reader's preference, and the BRIEF already trusts moderators with the un-anonymised
 * originals). They are not exempt from the provider's own limits: clearance still applies (a moderator granted
 * AMBER does not read AMBER+STRICT), and TLP:RED stays with its named recipients, because RED's recipient list is
 * the one scope the BRIEF makes absolute ("TLP:RED reaches only named recipients").
 */

/** What a visibility decision needs from a version; StoredVersion fits. */
export type VisibleItem = Pick<StoredVersion, 'tenantId'> & { access: AccessScope };

/** The reader as the visibility rules see it, from who is calling and its access to the collection. */
export function readerView(principal: Principal, member: Pick<Member, 'secretOptIn'>, access: CollectionAccess): ReaderView {
  return {
    tenantId: principal.tenantId,
    memberId: principal.memberId,
    clearance: access.clearance,
    secretOptIn: member.secretOptIn,
    isModerator: isModeratingRole(principal.role),
  };
}

/** Rules 1–5 above. */
export function canSee(reader: ReaderView, item: VisibleItem): boolean {
  if (item.tenantId !== reader.tenantId) return false;
  const { access } = item;
  if (access.providerMemberId === reader.memberId) return true;
  if (!isClearedFor(reader.clearance, access.tlp)) return false;
  if (access.tlp === 'red' && !access.recipients.includes(reader.memberId)) return false;
  if (access.secret && !reader.secretOptIn && !reader.isModerator) return false;
  return true;
}

/**
 * "The latest visible version", in its two meanings, each named once:
 * - `latestVisible`: the newest version the reader may see, whatever newer ones it may not — what a member reads and
 *   acts on (TAXII's match[version]=last among what it sees, a takedown request, an opinion it may weigh);
 * - `latestIfVisible`: the object's newest version, only when the reader may see it — what a decision acts on (a
 *   moderator handling a request about the object as it stands now).
 * Both take the versions in date_added order, as `ObjectStore.versionsOf` returns them.
 */
export function latestVisible<T extends VisibleItem>(reader: ReaderView, versions: readonly T[]): T | undefined {
  for (let i = versions.length - 1; i >= 0; i -= 1) if (canSee(reader, versions[i]!)) return versions[i];
  return undefined;
}

export function latestIfVisible<T extends VisibleItem & { isLatest?: boolean }>(reader: ReaderView, versions: readonly T[]): T | undefined {
  // The newest by `modified` (the store's isLatest, TAXII 2.1 §3.4.2), which a late-added older version does not take.
  const latest = versions.find((v) => v.isLatest) ?? versions.at(-1);
  return latest && canSee(reader, latest) ? latest : undefined;
}
