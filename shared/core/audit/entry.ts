import { z } from 'zod';

/**
 * One audit log entry (BRIEF: every access is authenticated and audited; nothing is altered silently). Each tenant
 * has its own chain; events that belong to no tenant (an unknown username failing to log in, operators' tenant
 * creations) go to the platform chain.
 */
export const PLATFORM_CHAIN = '_platform';

/**
 * Refused credentials go to a chain of their own beside the tenant's (or the platform's): anyone who knows a username
 * can cause them, and must not be able to crowd the chain that records what members and admins did.
 */
export const authChainOf = (chain: string): string => `${chain}#auth`;

export const AuditActorSchema = z.object({
  username: z.string(),
  role: z.string(),
  tenantId: z.string().optional(),
  memberId: z.string().optional(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

export const AuditEntrySchema = z.object({
  chain: z.string().min(1),
  /** 1, 2, 3… without gaps: a missing number is a deleted entry. */
  seq: z.number().int().min(1),
  /** Never earlier than the previous entry's, so time order and chain order agree. */
  at: z.iso.datetime(),
  actor: AuditActorSchema,
  /** The member the entry is filed under for queries: the acting member, or the one whose credentials failed. */
  memberId: z.string().optional(),
  /** `<resource>.<verb>`, e.g. `member.update`, `auth.failure`, `taxii.read`. */
  action: z.string().min(1),
  target: z.object({ type: z.string(), id: z.string() }).optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  prevHash: z.string(),
  /** SHA-256 of everything above: links the next entry to this one. */
  hash: z.string(),
  /** The keyed MAC of `hash` (ports.ts AuditMac): re-hashing an edited entry without the key leaves it wrong. */
  mac: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** What a use case records; the chain adds the rest. */
export type AuditDraft = Omit<AuditEntry, 'chain' | 'seq' | 'at' | 'prevHash' | 'hash' | 'mac'>;

export interface AuditQuery {
  since?: string;
  until?: string;
  memberId?: string;
  /** Resume after this entry (the `next` of the previous page). */
  after?: { at: string; seq: number };
  limit: number;
}
