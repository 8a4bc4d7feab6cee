import type { Settlement, StatusEntry, StatusHeader } from './taxii/status';
import type { PipelineMessage } from './pipeline/message';
import type { FunnelRecord, StageFunnel } from './pipeline/funnel';
import type { CommitResult, NewVersion, ReaderView, TimelineEntry, TimelinePage } from './taxii/model';
import type { Collection, Member, Operator, Tenant, User } from './directory/model';
import type { Grant, Grantee } from './policy/grants';
import type { ApiKey } from './directory/api-keys';
import type { Group } from './directory/groups';
import type { MemberRegistry, RegistryProposal } from './directory/registry';
import type { AuditEntry, AuditQuery } from './audit/entry';
import type { AuditAnchor } from './audit/anchor';
import type { AuditEvent } from './audit/events';
import type { ThrottleWindow } from './policy/tenant-throttle';
import type { ModerationItem, ModerationState } from './moderation/queue';
import type { TakedownRequest } from './moderation/takedown';
import type { SupportRequest } from './moderation/support';
import type { Lookup, Posting } from './search/postings';
import type { FlagDecision } from './model/flag-decision';
import type { Corroboration, Report, SamenessKey } from './pipeline/dedupe';
import type { KeptOriginalRecord } from './pipeline/anonymize';
import type { KeptOriginal } from './taxii/get-originals';
import type { DeadLetter } from './admin/pipeline';
import type { StageName } from './pipeline/stages';
import type { FileKind, StoredFile } from './files/model';

/**
 * Every port of the platform: what core asks of storage, queues and keys. Each has one adapter in shared/adapters,
 * but AuditMac, which has one per key (KMS on AWS, a secret's HMAC where there is no KMS key). One file, not one
 * per area: about 300 lines of signatures read in one sitting, and side by side they show what the platform keeps
 * and where; the data they carry stays with the rules that define it (imported above).
 */

/** Tenants, members, users and collections. Absent items are `undefined`, never an exception. */
export interface DirectoryStore {
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  getMember(tenantId: string, memberId: string): Promise<Member | undefined>;
  getUser(username: string): Promise<User | undefined>;
  listCollections(tenantId: string): Promise<Collection[]>;
  getCollection(tenantId: string, collectionId: string): Promise<Collection | undefined>;
  /** The grants naming the member itself (group grants arrive with groups). */
  grantsOfMember(tenantId: string, memberId: string): Promise<Grant[]>;
  putGrant(grant: Grant): Promise<void>;
  /** Writes that must not overwrite answer 'exists' instead of throwing. */
  createTenant(tenant: Tenant): Promise<'created' | 'exists'>;
  createMember(member: Member): Promise<'created' | 'exists'>;
  createCollection(collection: Collection): Promise<'created' | 'exists'>;
  putUser(user: User): Promise<void>;

  // The admin API (shared/core/admin). Usernames, operator names and key ids are global.
  listTenants(): Promise<Tenant[]>;
  putTenant(tenant: Tenant): Promise<void>;
  listMembers(tenantId: string): Promise<Member[]>;
  putMember(member: Member): Promise<void>;
  /** Fails with 'exists' when the username is taken by any user or operator, in any tenant. */
  createUser(user: User): Promise<'created' | 'exists'>;
  deleteUser(username: string): Promise<void>;
  usersOfMember(tenantId: string, memberId: string): Promise<User[]>;
  getOperator(username: string): Promise<Operator | undefined>;
  createOperator(operator: Operator): Promise<'created' | 'exists'>;
  putOperator(operator: Operator): Promise<void>;
  getApiKey(keyId: string): Promise<ApiKey | undefined>;
  createApiKey(key: ApiKey): Promise<'created' | 'exists'>;
  putApiKey(key: ApiKey): Promise<void>;
  deleteApiKey(keyId: string): Promise<void>;
  apiKeysOfMember(tenantId: string, memberId: string): Promise<ApiKey[]>;
  /** The active registry: what the anonymize stage strips. */
  getRegistry(tenantId: string, memberId: string): Promise<MemberRegistry | undefined>;
  /** Every member's active registry, in one query. */
  listRegistries(tenantId: string): Promise<MemberRegistry[]>;
  putRegistry(registry: MemberRegistry): Promise<void>;
  /** The one change waiting for a tenant admin; putting one replaces any earlier. */
  getRegistryProposal(tenantId: string, memberId: string): Promise<RegistryProposal | undefined>;
  putRegistryProposal(proposal: RegistryProposal): Promise<void>;
  /**
   * Makes the proposal the active registry and removes it, at once, if it is still the waiting one (same
   * `proposedAt`); 'replaced' (and nothing changed) when a newer proposal took its place or it is gone.
   */
  activateRegistryProposal(proposal: RegistryProposal): Promise<'activated' | 'replaced'>;
  /** Removes the waiting proposal if it is still the one proposed at `proposedAt`. */
  discardRegistryProposal(tenantId: string, memberId: string, proposedAt: string): Promise<'discarded' | 'replaced'>;
  listGroups(tenantId: string): Promise<Group[]>;
  getGroup(tenantId: string, groupId: string): Promise<Group | undefined>;
  createGroup(group: Group): Promise<'created' | 'exists'>;
  putGroup(group: Group): Promise<void>;
  deleteGroup(tenantId: string, groupId: string): Promise<void>;
  putCollection(collection: Collection): Promise<void>;
  /** Marks the platform as bootstrapped; 'exists' if its first operator was already created. */
  claimBootstrap(at: string): Promise<'created' | 'exists'>;
  /** Every grant of the tenant, member and group grants. */
  listGrants(tenantId: string): Promise<Grant[]>;
  grantsOfGroup(tenantId: string, groupId: string): Promise<Grant[]>;
  deleteGrant(tenantId: string, collectionId: string, grantee: Grantee): Promise<void>;
}

/**
 * The append-only audit log: one hash chain per tenant (shared/core/audit). The store only keeps entries; the
 * chain's rules live in core. `put` never overwrites: a taken sequence number answers 'exists'. There is no update
 * and no delete, and the functions' IAM grants have none either (infra/topology.ts `append`).
 */
export interface AuditStore {
  /** The entry with the highest sequence number of a chain, read strongly consistently. */
  head(chain: string): Promise<AuditEntry | undefined>;
  put(entry: AuditEntry): Promise<'created' | 'exists'>;
  /**
   * Entries in time order, filtered by time and member; `after` is the last entry already returned. At most
   * `query.limit`, possibly fewer (a store may bound one answer's size), but `more` is false only when none follow.
   */
  query(chain: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; more: boolean }>;
  /** Entries with seq > afterSeq in sequence order, `limit` of them unless the chain ends first, strongly consistent (for verification). */
  scan(chain: string, afterSeq: number, limit: number): Promise<AuditEntry[]>;
}

/**
 * The audit chain's keyed MAC (shared/core/audit/chain.ts): a KMS HMAC key on AWS, a generated secret locally. Only
 * appenders may `sign`; the verifier and the anchor function only `verify`. MACs are opaque strings.
 */
export interface AuditMac {
  sign(data: string): Promise<string>;
  verify(data: string, mac: string): Promise<boolean>;
}

/** Where secret values come from: Secrets Manager on AWS, the local platform's stand-in on this machine (core/secrets.ts). */
export interface SecretSource {
  /** The current value of the secret `secretId` (an ARN or a name); throws ConfigurationError if there is none. */
  read(secretId: string): Promise<string>;
}

/** Anchors of the chains' heads, kept where nobody can change or remove them (S3 Object Lock, compliance mode). */
export interface AnchorStore {
  /** The anchor with the highest sequence number of a chain. */
  latest(chain: string): Promise<AuditAnchor | undefined>;
  put(anchor: AuditAnchor): Promise<void>;
}

/** Where read handlers and the authorizer drop audit events for the appender (one SQS SendMessage each). */
export interface AuditEventQueue {
  send(event: AuditEvent): Promise<void>;
}

/**
 * Committed object versions of a collection. Implementations guarantee: date_added strictly increasing within a
 * collection; a version readable by `scan` only once every version with a smaller date_added is readable
 * (TAXII-CLIENTS #18); the same (object id, version) stored once.
 */
export interface ObjectStore {
  commit(tenantId: string, collectionId: string, versions: NewVersion[], nowMs: number): Promise<CommitResult[]>;
  /** Entries with date_added > afterMs in ascending order, at most `maxEntries` scanned. */
  scan(tenantId: string, collectionId: string, afterMs: number | undefined, maxEntries: number): Promise<TimelinePage>;
  versionsOf(tenantId: string, collectionId: string, objectId: string): Promise<TimelineEntry[]>;
  /** Whether any version of the object is stored (one small read, for the pipeline's corroboration checks). */
  hasVersions(tenantId: string, collectionId: string, objectId: string): Promise<boolean>;
  /** Removes the given versions of one object; returns how many were removed. */
  deleteVersions(tenantId: string, collectionId: string, objectId: string, versions: string[]): Promise<number>;
}

/**
 * The search index (shared/core/search/postings.ts): postings written when versions are committed, removed when
 * they are revoked or deleted. Writes are idempotent: the same posting put twice is one posting.
 */
export interface SearchIndex {
  put(tenantId: string, postings: readonly Posting[], prefixLengths: readonly string[]): Promise<void>;
  remove(tenantId: string, postings: readonly Posting[]): Promise<void>;
  /** The postings of each lookup (one list per lookup, in their order), each list in sort order. */
  lookup(tenantId: string, lookups: readonly Lookup[]): Promise<Posting[][]>;
  /** Network prefix lengths (`4/24`) the tenant's index holds networks of. */
  prefixLengths(tenantId: string): Promise<Set<string>>;
}

/** TAXII status resources: a header and one entry per object of the POST. */
export interface StatusStore {
  create(header: StatusHeader, entries: StatusEntry[]): Promise<void>;
  /** Settles pending entries by index; entries already settled keep their first outcome (redelivery-safe). */
  settle(tenantId: string, statusId: string, settlements: Settlement[]): Promise<void>;
  get(tenantId: string, statusId: string): Promise<{ header: StatusHeader; entries: StatusEntry[] } | undefined>;
}

/** The pipeline's queues: hands messages to a stage. */
export interface PipelineQueue {
  /** `delaySeconds` (at most 900, SQS's limit): the messages become visible only after it. */
  send(stage: string, messages: PipelineMessage[], options?: { delaySeconds?: number }): Promise<void>;
  /**
   * The message a queue body stands for (it may be a claim on a message kept elsewhere). Throws only when it cannot
   * be read now (I/O); a body that can never be read is `unreadable`, a claim already deleted is `consumed`.
   */
  open(body: string): Promise<OpenedBody>;
  /** Frees what a body held once its stage is done with it (the claim check's copy of the submission). */
  release(body: string): Promise<void>;
}

export type OpenedBody =
  | { kind: 'message'; message: unknown }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'consumed'; claim: string };

/** Registers reports, answering in order; providers are kept only inside the store, never published (pipeline/dedupe.ts). */
export interface CorroborationStore {
  report(tenantId: string, collectionId: string, reports: Report[]): Promise<Corroboration[]>;
}

/**
 * Lets go of keys held by objects that were never published (withheld by anonymize) or are no longer (deleted):
 * a key kept for such an object would merge every later identical report into nothing, for ever.
 */
export interface CorroborationRelease {
  /** Removes each key's record if it still points at `objectId`; a record another object holds is left alone. */
  release(tenantId: string, collectionId: string, claims: ReadonlyArray<{ key: SamenessKey; objectId: string }>): Promise<void>;
}

/** Originals as submitted, kept sealed for their provider and the tenant's moderators (pipeline/anonymize.ts). */
export interface OriginalsStore {
  keep(items: KeptOriginalRecord[]): Promise<void>;
}

/** The kept originals of an object, opened (taxii/get-originals.ts, moderation). */
export interface OriginalsReader {
  originalsOf(tenantId: string, collectionId: string, objectId: string): Promise<KeptOriginal[]>;
}

/** Forgets the originals of deleted versions; apart from the reader and the store, so deleting needs no sealing key. */
export interface OriginalsEraser {
  forget(tenantId: string, collectionId: string, objectId: string, versions: readonly string[]): Promise<void>;
}

/**
 * Ids withheld by earlier submissions of the tenant. A reference across POSTs is judged like one within a POST: a
 * relationship sent today to the victim's address withheld yesterday would otherwise name it by its SCO id.
 */
export interface WithheldRegistry {
  among(tenantId: string, ids: readonly string[]): Promise<Set<string>>;
  record(tenantId: string, ids: readonly string[]): Promise<void>;
}

/** Funnel counters per tenant and stage (what `kyoyu stats` prints; CloudWatch gets the same from the logs). */
export interface FunnelStore {
  add(tenantId: string, stage: string, record: FunnelRecord): Promise<void>;
  read(tenantId: string): Promise<StageFunnel[]>;
}

/** The last failure of a message, recorded by the stage runner so a dead letter can say why it died. */
export interface FailureLog {
  record(stage: string, messageId: string, reason: string): Promise<void>;
  reasonOf(stage: string, messageId: string): Promise<string | undefined>;
}

/** Each stage's dead-letter queue: look without taking, and send everything back to the stage (admin/pipeline.ts). */
export interface DeadLetterQueues {
  peek(stage: StageName, max: number): Promise<DeadLetter[]>;
  redrive(stage: StageName): Promise<number>;
}

/** Requests per tenant and throttle window (shared/core/policy/tenant-throttle.ts). */
export interface RequestCounter {
  /** Counts one request atomically and answers the window's count including it. */
  count(tenantId: string, window: ThrottleWindow): Promise<number>;
}

/** File metadata and per-tenant usage (the files table). */
export interface FileStore {
  get(tenantId: string, fileId: string): Promise<StoredFile | undefined>;
  put(file: StoredFile): Promise<void>;
  /** Bytes the tenant keeps. */
  usage(tenantId: string): Promise<number>;
  /**
   * In one transaction: charges the file's size to its tenant's usage and stores the file (state verified), if the
   * quota allows it and the stored file is still pending. Otherwise nothing changes.
   */
  markVerified(file: StoredFile, quotaBytes: number): Promise<'verified' | 'over-quota' | 'not-pending'>;
  releaseUsage(tenantId: string, bytes: number): Promise<void>;
}

export interface MultipartPart {
  partNumber: number;
  etag: string;
}

/** The buckets: presigned URLs for members' tools, and the few reads and writes the platform does itself. */
export interface FileStorage {
  presignPut(kind: FileKind, key: string, file: { size: number; contentType: string }, expiresSeconds: number): Promise<string>;
  startMultipart(kind: FileKind, key: string, contentType: string): Promise<string>;
  presignPart(kind: FileKind, key: string, uploadId: string, partNumber: number, expiresSeconds: number): Promise<string>;
  /** 'invalid' with S3's reason when parts are missing, too small or their ETags do not match. */
  completeMultipart(kind: FileKind, key: string, uploadId: string, parts: MultipartPart[]): Promise<'completed' | { invalid: string }>;
  /** Size and hashes of a stored object, streamed; undefined when nothing is there. */
  digest(kind: FileKind, key: string): Promise<{ size: number; md5: string; sha1: string; sha256: string } | undefined>;
  read(kind: FileKind, key: string): Promise<Buffer | undefined>;
  write(kind: FileKind, key: string, body: Buffer, contentType: string): Promise<void>;
  copy(kind: FileKind, fromKey: string, toKey: string): Promise<void>;
  /** Removes every version: a refused or superseded file leaves nothing behind in a versioned bucket. */
  remove(kind: FileKind, key: string): Promise<void>;
  presignGet(
    kind: FileKind,
    key: string,
    delivery: { contentType: string; contentDisposition: string },
    expiresSeconds: number,
  ): Promise<string>;
}

/** What a moderator filters the queue by (issue #14). */
export interface ModerationFilter {
  collectionId?: string;
  providerMemberId?: string;
  state?: ModerationState;
  /** Items whose reason contains this text (`personal data`, `moderated`…). */
  reason?: string;
  /** Items queued before this time. */
  queuedBefore?: string;
}

/**
 * The moderation queue: open items in queue order, decided items kept apart (so the open queue stays short to read).
 * `put` of a new item is idempotent by item id (a redelivered commit queues nothing twice); `update` applies only to
 * the revision it was decided on.
 */
export interface ModerationStore {
  enqueue(items: ModerationItem[]): Promise<void>;
  list(
    tenantId: string,
    filter: ModerationFilter,
    page: { limit: number; after?: string },
  ): Promise<{ items: ModerationItem[]; next?: string }>;
  /** Open items of one provider (what it is asked to review or answer). */
  ofProvider(tenantId: string, providerMemberId: string): Promise<ModerationItem[]>;
  get(tenantId: string, itemId: string): Promise<ModerationItem | undefined>;
  update(item: ModerationItem, expectedRevision: number): Promise<'updated' | 'stale'>;
}

/** Takedown and correction requests (shared/core/moderation/takedown.ts), open ones apart from decided ones. */
export interface TakedownStore {
  create(request: TakedownRequest): Promise<void>;
  get(tenantId: string, requestId: string): Promise<TakedownRequest | undefined>;
  /** Open requests, oldest first. */
  open(tenantId: string): Promise<TakedownRequest[]>;
  ofRequester(tenantId: string, memberId: string): Promise<TakedownRequest[]>;
  /** Replaces the request if its revision is still `expectedRevision`. */
  update(request: TakedownRequest, expectedRevision: number): Promise<'updated' | 'stale'>;
}

/** Analysis-support threads (shared/core/moderation/support.ts). */
export interface SupportStore {
  create(request: SupportRequest): Promise<void>;
  get(tenantId: string, requestId: string): Promise<SupportRequest | undefined>;
  /** Every request of the tenant, oldest first. */
  list(tenantId: string): Promise<SupportRequest[]>;
  ofMember(tenantId: string, memberId: string): Promise<SupportRequest[]>;
  update(request: SupportRequest, expectedRevision: number): Promise<'updated' | 'stale'>;
}

/**
 * Members' false-positive feedback (shared/core/search/feedback.ts): which objects of a collection are flagged as
 * false positives, as the reader sees the tally. Exports leave them out by default. Read once per collection and export.
 */
export interface FeedbackReader {
  flaggedIn(reader: ReaderView, tenantId: string, collectionId: string): Promise<Set<string>>;
}

/**
 * Where an export too large for a Lambda response is written (the `exports` bucket), to be fetched through a
 * short-lived presigned URL. Parts arrive in order; every part but the last is at least EXPORT_PART_MIN_BYTES.
 */
export interface ExportStore {
  begin(key: string, delivery: { contentType: string; fileName: string }): Promise<ExportUpload>;
  presignGet(key: string, expiresSeconds: number): Promise<string>;
}

export interface ExportUpload {
  part(bytes: Uint8Array): Promise<void>;
  complete(): Promise<void>;
  /** Drops what was uploaded (the caller needs none of it: a 304, or a failure). */
  abort(): Promise<void>;
}

/** Moderators' decisions on false-positive flags (shared/core/search/flags.ts): one per object, the latest. */
export interface FlagDecisionStore {
  ofCollection(tenantId: string, collectionId: string): Promise<FlagDecision[]>;
  put(decision: FlagDecision): Promise<void>;
}
