import type { Settlement, StatusEntry, StatusHeader } from './taxii/status';
import type { PipelineMessage } from './pipeline/message';
import type { FunnelRecord, StageFunnel } from './pipeline/funnel';
import type { CommitResult, NewVersion, TimelineEntry, TimelinePage } from './taxii/model';
import type { Collection, Member, Tenant, User } from './directory/model';
import type { Grant } from './policy/grants';

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
  /** Removes the given versions of one object; returns how many were removed. */
  deleteVersions(tenantId: string, collectionId: string, objectId: string, versions: string[]): Promise<number>;
}

/** TAXII status resources: a header and the entries of each pipeline chunk. */
export interface StatusStore {
  create(header: StatusHeader, chunks: StatusEntry[][]): Promise<void>;
  /** Settles pending entries of one chunk; entries already settled keep their first outcome (redelivery-safe). */
  settle(tenantId: string, statusId: string, chunk: number, settlements: Settlement[]): Promise<void>;
  get(tenantId: string, statusId: string): Promise<{ header: StatusHeader; entries: StatusEntry[] } | undefined>;
}

/** The pipeline's queues: hands messages to a stage. */
export interface PipelineQueue {
  send(stage: string, messages: PipelineMessage[]): Promise<void>;
}

/** Funnel counters per tenant and stage (what `kyoyu stats` prints; CloudWatch gets the same from the logs). */
export interface FunnelStore {
  add(tenantId: string, stage: string, record: FunnelRecord): Promise<void>;
  read(tenantId: string): Promise<StageFunnel[]>;
}
