import { createHash } from 'node:crypto';
import type { AnchorStore, AuditMac, AuditStore } from '../ports';
import type { AuditAnchor } from './anchor';
import type { AuditDraft, AuditEntry } from './entry';
import { canonicalJson } from '../text/canonical-json';

/**
 * The audit log is a chain per tenant, and what each part of an entry protects against:
 * 1. `hash` (SHA-256 of the content and `prevHash`) links each entry to the previous one, so editing, removing or
 *    reordering an entry breaks every later link — but anyone who can write the table can re-hash what follows.
 * 2. `mac` is a keyed MAC of `hash` (ports.ts AuditMac: a KMS HMAC key on AWS). Only appenders may create one, so an
 *    entry edited and re-hashed by anyone else — a compromised read handler, someone with table access — fails.
 * 3. Anchors (anchor.ts) copy each chain's head to storage nobody can rewrite: a chain cut back or rewritten by an
 *    appender (who holds the key) before an anchor is caught by it; after the last anchor, only by 1 and 2.
 * Appends are serialised by the sequence number: an entry is written only if its number is still free, else the writer
 * re-reads the head and retries.
 */
export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(entry: Omit<AuditEntry, 'hash' | 'mac'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

/** The next entry after `head` (undefined for the first), with a time never before the head's, MACed. */
export async function sealEntry(
  chain: string,
  draft: AuditDraft,
  head: AuditEntry | undefined,
  nowMs: number,
  mac: AuditMac,
): Promise<AuditEntry> {
  const at = new Date(Math.max(nowMs, head ? Date.parse(head.at) : 0)).toISOString();
  // A JSON round trip drops undefined values, exactly as the store will: what is hashed is what is kept.
  const content = JSON.parse(JSON.stringify(draft)) as AuditDraft;
  const unsealed = { ...content, chain, seq: (head?.seq ?? 0) + 1, at, prevHash: head?.hash ?? GENESIS_HASH };
  const hash = entryHash(unsealed);
  return { ...unsealed, hash, mac: await mac.sign(hash) };
}

export interface AppendDeps {
  audit: AuditStore;
  mac: AuditMac;
  now: () => number;
}

const MAX_ATTEMPTS = 25;

/** Appends an entry to a chain, retrying while concurrent writers take the next number first. */
export async function appendAudit(chain: string, draft: AuditDraft, deps: AppendDeps): Promise<AuditEntry> {
  for (let attempt = 1; ; attempt++) {
    const entry = await sealEntry(chain, draft, await deps.audit.head(chain), deps.now(), deps.mac);
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
  /** The hash of the last entry. */
  headHash: string;
  /** The latest anchor the chain was checked against, if any. */
  anchor?: { seq: number; at: string };
  problems: ChainProblem[];
}

export const PROBLEMS = {
  altered: 'was altered after it was written (its hash does not match its content)',
  unlinked: 'does not link to the previous entry (prevHash differs)',
  badMac: 'has a MAC that does not verify: it was written or re-sealed without the audit key',
} as const;

/** MACs checked at once: KMS VerifyMac is one request each, and KMS quotas are per account. */
const MAC_CONCURRENCY = 16;

/** Checks a run of entries that follows `previous` (undefined at the start of the chain): links, hashes and MACs. */
export async function verifyRun(
  entries: readonly AuditEntry[],
  previous: { seq: number; hash: string } | undefined,
  mac: AuditMac,
): Promise<ChainProblem[]> {
  const problems: ChainProblem[] = [];
  let prev = previous ?? { seq: 0, hash: GENESIS_HASH };
  for (const entry of entries) {
    const { hash, mac: _mac, ...unsealed } = entry;
    if (entry.seq !== prev.seq + 1)
      problems.push({ seq: entry.seq, problem: `follows entry ${prev.seq}: entries ${prev.seq + 1}–${entry.seq - 1} are missing` });
    if (entry.prevHash !== prev.hash) problems.push({ seq: entry.seq, problem: PROBLEMS.unlinked });
    if (entryHash(unsealed) !== hash) problems.push({ seq: entry.seq, problem: PROBLEMS.altered });
    prev = { seq: entry.seq, hash };
  }
  for (let i = 0; i < entries.length; i += MAC_CONCURRENCY) {
    const slice = entries.slice(i, i + MAC_CONCURRENCY);
    const verified = await Promise.all(slice.map((e) => mac.verify(e.hash, e.mac).catch(() => false)));
    slice.forEach((e, j) => {
      if (!verified[j]) problems.push({ seq: e.seq, problem: PROBLEMS.badMac });
    });
  }
  return problems.sort((a, b) => a.seq - b.seq);
}

/** What the chain must still hold for the latest anchor: the anchored entry, with the anchored hash. */
export function checkAgainstAnchor(anchor: AuditAnchor, anchored: AuditEntry | undefined, lastSeq: number): ChainProblem[] {
  if (!anchored) {
    return [
      {
        seq: anchor.seq,
        problem: `is missing: the anchor of ${anchor.at} records the chain up to entry ${anchor.seq}, it now ends at ${lastSeq} (truncated)`,
      },
    ];
  }
  if (anchored.hash !== anchor.hash) {
    return [{ seq: anchor.seq, problem: `differs from the anchor of ${anchor.at}: the chain up to it was rewritten` }];
  }
  return [];
}

const PAGE = 500;

/** Reads a whole chain from the start, verifies every link, hash and MAC, then checks it against the latest anchor. */
export async function verifyChain(
  chain: string,
  deps: { audit: AuditStore; mac: AuditMac; anchors: AnchorStore },
): Promise<ChainVerification> {
  const problems: ChainProblem[] = [];
  const anchor = await deps.anchors.latest(chain);
  let anchored: AuditEntry | undefined;
  let previous: { seq: number; hash: string } | undefined;
  let count = 0;
  for (;;) {
    const page = await deps.audit.scan(chain, previous?.seq ?? 0, PAGE);
    problems.push(...(await verifyRun(page, previous, deps.mac)));
    count += page.length;
    anchored ??= anchor ? page.find((e) => e.seq === anchor.seq) : undefined;
    const last = page.at(-1);
    if (last) previous = { seq: last.seq, hash: last.hash };
    // Only an empty page ends the chain: a run a store cut short must never pass for the whole chain.
    if (page.length === 0) break;
  }
  if (anchor) problems.push(...checkAgainstAnchor(anchor, anchored, previous?.seq ?? 0));
  return {
    ok: problems.length === 0,
    entries: count,
    headHash: previous?.hash ?? GENESIS_HASH,
    ...(anchor ? { anchor: { seq: anchor.seq, at: anchor.at } } : {}),
    problems,
  };
}
