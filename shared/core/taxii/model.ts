/** The records the TAXII read path works on. Storage adapters persist exactly these. */

/** TLP 2.0 levels, ordered from least to most restrictive (https://www.first.org/tlp/). */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export type StixObject = Record<string, unknown> & { type: string; id: string };

/** Who may see a committed version; fixed by the provider at submission (BRIEF: nobody widens the scope). */
export interface AccessScope {
  tlp: Tlp;
  /** Member ids the provider named; the only readers of TLP:RED besides the provider. */
  recipients: string[];
  /** Flagged secret by the provider: only members that opted in to secret items may read it. */
  secret: boolean;
  /** The submitting member (never published; kept for visibility, feedback and DELETE rights). */
  providerMemberId: string;
}

/** One committed version of one object in one collection. */
export interface StoredVersion {
  tenantId: string;
  collectionId: string;
  objectId: string;
  type: string;
  /** `modified`, else `created`, else the date_added for objects without either (TAXII 2.1 §3.4.1). */
  version: string;
  specVersion: string;
  /** TAXII timestamp with millisecond precision, strictly increasing within a collection. */
  dateAdded: string;
  /** Media type of the object (TAXII 2.1 §5.6 manifest). */
  mediaType: string;
  access: AccessScope;
  object: StixObject;
}

/** What a reader brings to every visibility decision. */
export interface ReaderView {
  tenantId: string;
  memberId: string;
  /** Highest TLP the member is cleared for in this collection (from its grant). */
  clearance: Tlp;
  secretOptIn: boolean;
  /** Moderators see everything in their tenant's collections they can read. */
  isModerator: boolean;
}

/** A version on its way into a collection: everything but the date_added that commit assigns. */
/** A version to commit; `ownerOnly`: refused (kind 'foreign') when another provider shared the object first. */
export type NewVersion = Omit<StoredVersion, 'dateAdded'> & { ownerOnly?: boolean; moderatorCorrection?: boolean };

export type CommitResult = { kind: 'added'; dateAdded: string } | { kind: 'duplicate' } | { kind: 'foreign' };

/** A committed version plus where it stands among the versions of its object, for match[version]. */
export interface TimelineEntry extends StoredVersion {
  isLatest: boolean;
  isFirst: boolean;
}

export interface TimelinePage {
  entries: TimelineEntry[];
  /** date_added (ms) of the last entry scanned, visible or not: where the next scan resumes. */
  lastScannedMs: number | undefined;
  /** Nothing committed lies beyond the scanned range. */
  exhausted: boolean;
}
