import { randomUUID } from 'node:crypto';
import type { AdminDeps } from '../core/admin/deps';
import type { ModerationDeps } from '../core/moderation/moderate';
import type { Container } from './composition-root';
import { corroborationRelease } from './pipeline-deps';

/**
 * The admin use cases' dependencies from the container: real clock, UUIDv4 ids. The audit log is read from the
 * container only when a use case records or reads it: whoami has no audit table (infra/topology.ts), and building
 * the store would fail it, locally as on AWS.
 */
export const adminDeps = (c: Container): AdminDeps => ({
  directory: c.directory,
  get audit() {
    return c.audit;
  },
  mac: c.auditMac,
  now: Date.now,
  newId: randomUUID,
});

/** Moderation's dependencies (the admin routes and the scheduled review deadlines). */
export const moderationDeps = (c: Container): ModerationDeps => ({
  directory: c.directory,
  moderation: c.moderation,
  objects: c.objects,
  statuses: c.statuses,
  originals: c.sealed,
  audit: c.audit,
  mac: c.auditMac,
  now: Date.now,
  releaseCorroboration: corroborationRelease(c),
});
