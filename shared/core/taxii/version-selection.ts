import type { StoredVersion, TimelineEntry } from './model';
import type { ObjectFilters } from './query';
import { compareTimestamps, sameInstant } from './timestamps';

/**
 * Which versions of an object a read returns: match[version] and match[spec_version] (TAXII 2.1 §3.4.2), and the
 * plain property filters match[id] and match[type].
 *
 * Decisions, all in one place:
 * - **Order**: match[version] first, then match[spec_version], as the OASIS reference server (medallion) does and
 *   as §3.4.2 words it ("the latest specification version … for each object matching the other filters").
 * - **Whose history**: `first`/`last` are judged over the versions *the reader may see* (pass only those). A member
 *   who may not see the newest version (say another provider's TLP:RED update) still gets the newest one it may
 *   see, and learns nothing about the hidden one.
 * - **added_after is not part of the history**: `last` is the object's latest version, returned when that version
 *   was added after added_after; an older version that happens to fall in the window is not "last"
 *   (clients would otherwise receive a superseded version as news).
 * - **Ties**: versions are unique per object in storage; should two share a version timestamp (two spec
 *   versions of one revision) both are selected and match[spec_version] decides.
 */

/** The newest STIX specification this server stores or serves (everything is normalised to it). */
export const LATEST_SPEC_VERSION = '2.1';

export type VersionSelection = Pick<ObjectFilters, 'versions' | 'specVersions'>;

/** What version selection reads from a stored version. */
export type VersionFacts = Pick<StoredVersion, 'objectId' | 'version' | 'specVersion'>;

/** Numeric order of STIX spec versions (`2.0` < `2.1` < `2.10`). */
export function compareSpecVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

function selectWithinObject<T extends VersionFacts>(history: readonly T[], selection: VersionSelection): Set<T> {
  const { versions: match, specVersions } = selection;
  let earliest: string | undefined;
  let latest: string | undefined;
  for (const v of history) {
    if (earliest === undefined || compareTimestamps(v.version, earliest) < 0) earliest = v.version;
    if (latest === undefined || compareTimestamps(v.version, latest) > 0) latest = v.version;
  }
  const byVersion = history.filter(
    (v) =>
      match.all ||
      (match.first && earliest !== undefined && sameInstant(v.version, earliest)) ||
      (match.last && latest !== undefined && sameInstant(v.version, latest)) ||
      match.timestamps.some((t) => sameInstant(t, v.version)),
  );
  if (specVersions.length > 0) return new Set(byVersion.filter((v) => specVersions.includes(v.specVersion)));
  // No match[spec_version]: only the latest spec version among what was selected (§3.4.2).
  const newestSpec = byVersion.reduce<string | undefined>(
    (best, v) => (best === undefined || compareSpecVersions(v.specVersion, best) > 0 ? v.specVersion : best),
    undefined,
  );
  return new Set(byVersion.filter((v) => v.specVersion === newestSpec));
}

/**
 * The versions match[version] and match[spec_version] select, in input order. Versions of several objects may be
 * mixed; each object is judged on its own versions among `versions`, so pass every version of an object that the
 * reader may see (not only those in a page), or `first`/`last` are judged on a partial history.
 */
export function selectVersions<T extends VersionFacts>(versions: readonly T[], selection: VersionSelection): T[] {
  const byObject = new Map<string, T[]>();
  for (const v of versions) {
    const history = byObject.get(v.objectId);
    if (history) history.push(v);
    else byObject.set(v.objectId, [v]);
  }
  const selected = new Set<T>();
  for (const history of byObject.values()) for (const v of selectWithinObject(history, selection)) selected.add(v);
  return versions.filter((v) => selected.has(v));
}

/**
 * The cheap path for a scan of the collection timeline: decides from the entry's own `isFirst`/`isLatest` flags
 * (kept by the object store over the object's whole history) when that is exact, and answers `undefined` when it
 * is not, i.e. when the entry is not the stored first/last but might be the reader's because the reader may not
 * see the versions beyond it. Then load the object's versions the reader may see and use `selectVersions`.
 * Call it only for entries the reader may see.
 */
export function selectedFromFlags(
  entry: Pick<TimelineEntry, 'version' | 'specVersion' | 'isFirst' | 'isLatest'>,
  selection: VersionSelection,
): boolean | undefined {
  const { versions: match, specVersions } = selection;
  if (specVersions.length > 0 && !specVersions.includes(entry.specVersion)) return false;
  const byVersion =
    match.all ||
    (match.last && entry.isLatest) ||
    (match.first && entry.isFirst) ||
    match.timestamps.some((t) => sameInstant(t, entry.version));
  if (!byVersion) return match.first || match.last ? undefined : false;
  if (specVersions.length > 0) return true;
  // Default spec rule: no other selected version can be of a newer spec than the newest there is.
  return compareSpecVersions(entry.specVersion, LATEST_SPEC_VERSION) >= 0 ? true : undefined;
}

/** match[id] and match[type] (TAXII 2.1 §3.4.2): an empty list matches everything; values are exact. */
export function matchesIdAndType(
  version: Pick<StoredVersion, 'objectId' | 'type'>,
  filters: Pick<ObjectFilters, 'ids' | 'types'>,
): boolean {
  return (
    (filters.ids.length === 0 || filters.ids.includes(version.objectId)) &&
    (filters.types.length === 0 || filters.types.includes(version.type))
  );
}

/** The versions of a page that match[id] and match[type] keep, in page order. */
export function filterByIdAndType<T extends Pick<StoredVersion, 'objectId' | 'type'>>(
  page: readonly T[],
  filters: Pick<ObjectFilters, 'ids' | 'types'>,
): T[] {
  return page.filter((v) => matchesIdAndType(v, filters));
}
