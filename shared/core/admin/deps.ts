import type { AuditStore, DirectoryStore } from '../ports';

/** What every admin use case needs: the directory, the audit log, a clock and an id source (UUIDv4). */
export interface AdminDeps {
  directory: DirectoryStore;
  audit: AuditStore;
  now: () => number;
  newId: () => string;
}
