import { randomUUID } from 'node:crypto';
import type { AdminDeps } from '../core/admin/deps';
import type { Container } from './composition-root';

/** The admin use cases' dependencies from the container: real clock, UUIDv4 ids. */
export const adminDeps = (c: Container): AdminDeps => ({ directory: c.directory, audit: c.audit, mac: c.auditMac, now: Date.now, newId: randomUUID });
