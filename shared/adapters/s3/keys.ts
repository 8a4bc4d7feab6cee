import type { AuditAnchor } from '../../core/audit/anchor';

/**
 * Every object key layout the adapters choose in S3, in one place. The attachments' and samples' keys are chosen by
 * the upload use case instead, so they live in core (shared/core/files/keys.ts), where the topology reads their
 * upload prefix too.
 */

/** Sequence numbers have 12 digits (dynamodb/keys.ts auditKeys); keys count down so the first listed is the latest. */
const MAX_SEQ = 1e12;

/** The anchors bucket: one folder per chain, one object per anchor, never overwritten. */
export const anchorKeys = {
  /** A chain's folder: its name with every character outside [A-Za-z0-9._-] as ~hex (`ics-isac#auth` → `ics-isac~23auth`). */
  prefix: (chain: string): string =>
    `anchors/${chain.replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}/`,
  anchor: (anchor: Pick<AuditAnchor, 'chain' | 'seq'>): string =>
    `${anchorKeys.prefix(anchor.chain)}${String(MAX_SEQ - anchor.seq).padStart(12, '0')}.json`,
};

/** The pipeline bucket: claim checks of messages too large for SQS, by tenant and status. */
export const claimKeys = {
  prefix: (tenantId: string, statusId: string): string => `claims/${tenantId}/${statusId}/`,
  claim: (tenantId: string, statusId: string, random: string): string => `${claimKeys.prefix(tenantId, statusId)}${random}.json`,
};
