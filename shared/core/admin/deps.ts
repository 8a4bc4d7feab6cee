import type { AuditMac, AuditStore, DirectoryStore } from '../ports';

/** What every admin use case needs: the directory, the audit log and its MAC key, a clock and an id source (UUIDv4). */
export interface AdminDeps {
  directory: DirectoryStore;
  audit: AuditStore;
  /** Admin changes are appended before the caller is answered (audit/record.ts), so they sign. */
  mac: AuditMac;
  now: () => number;
  newId: () => string;
}
