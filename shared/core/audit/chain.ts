import { createHash } from 'node:crypto';
import type { AuditStore } from '../ports';
import type { AuditDraft, AuditEntry } from './entry';

/**
 * The audit log is a hash chain per tenant: each entry's hash covers its content and the previous entry's hash,
 * so editing, removing or reordering any entry breaks every later link. Appends are serialised by the sequence
 * number: an entry is written only if its number is still free, else the writer re-reads the head and retries.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the hash does not depend on how a store orders attributes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

/** The next entry after `head` (undefined for the first), with a time never before the head's. */
export function sealEntry(chain: string, draft: AuditDraft, head: AuditEntry | undefined, nowMs: number): AuditEntry {
  const at = new Date(Math.max(nowMs, head ? Date.parse(head.at) : 0)).toISOString();
  // A JSON round trip drops undefined values, exactly as the store will: what is hashed is what is kept.
  const content = JSON.parse(JSON.stringify(draft)) as AuditDraft;
  const unsealed = { ...content, chain, seq: (head?.seq ?? 0) + 1, at, prevHash: head?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: entryHash(unsealed) };
}

const MAX_ATTEMPTS = 25;

/** Appends an entry to a chain, retrying while concurrent writers take the next number first. */
export async function appendAudit(chain: string, draft: AuditDraft, deps: { audit: AuditStore; now: () => number }): Promise<AuditEntry> {
  for (let attempt = 1; ; attempt++) {
    const entry = sealEntry(chain, draft, await deps.audit.head(chain), deps.now());
    if ((await deps.audit.put(entry)) === 'created') return entry;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`Audit chain ${chain} stayed busy for ${MAX_ATTEMPTS} attempts`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
  }
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** The hash of the last entry: keep it elsewhere to detect a later truncation of the chain. */
  headHash: string;
  problems: ChainProblem[];
}

/** Checks a run of entries that follows `previous` (undefined at the start of the chain). */
export function verifyRun(entries: readonly AuditEntry[], previous: { seq: number; hash: string } | undefined): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = previous ?? { seq: 0, hash: GENESIS_HASH };
  for (const entry of entries) {
    const { hash, ...unsealed } = entry;
    if (entry.seq !== prev.seq + 1) problems.push({ seq: entry.seq, problem: `follows entry ${prev.seq}: entries ${prev.seq + 1}–${entry.seq - 1} are missing` });
    if (entry.prevHash !== prev.hash) problems.push({ seq: entry.seq, problem: 'does not link to the previous entry (prevHash differs)' });
    if (entryHash(unsealed) !== hash) problems.push({ seq: entry.seq, problem: 'was altered after it was written (its hash does not match its content)' });
    prev = { seq: entry.seq, hash };
  }
  return problems;
}

const PAGE = 500;

/** Reads a whole chain from the start and verifies every link. */
export async function verifyChain(chain: string, deps: { audit: AuditStore }): Promise<ChainVerification> {
  const problems: ChainProblem[] = [];
  let previous: { seq: number; hash: string } | undefined;
  let count = 0;
  for (;;) {
    const page = await deps.audit.scan(chain, previous?.seq ?? 0, PAGE);
    problems.push(...verifyRun(page, previous));
    count += page.length;
    const last = page.at(-1);
    if (last) previous = { seq: last.seq, hash: last.hash };
    if (page.length < PAGE) break;
  }
  return { ok: problems.length === 0, entries: count, headHash: previous?.hash ?? GENESIS_HASH, problems };
}
