import { z } from 'zod';
import type { AnchorStore, AuditMac, AuditStore } from '../ports';
import { verifyRun, type ChainProblem } from './chain';
import { authChainOf, PLATFORM_CHAIN } from './entry';

/**
 * Anchors: a scheduled function copies the head of every chain (sequence number and hash) to a bucket with S3 Object
 * Lock in compliance mode, where no one — not an appender, not the account's root — can change or remove it during
 * the retention period. `verify` then checks the chain still holds that entry with that hash: a chain cut back
 * (truncation) or rewritten up to the anchor, even by someone holding the MAC key, is reported. What happened after the
 * latest anchor is protected only by the links and MACs (chain.ts), so the anchor period bounds that window.
 */
export const AuditAnchorSchema = z.object({
  chain: z.string().min(1),
  seq: z.number().int().min(1),
  hash: z.string().min(1),
  /** When the anchor was taken. */
  at: z.iso.datetime(),
});
export type AuditAnchor = z.infer<typeof AuditAnchorSchema>;

/** Every chain there is: each tenant's and the platform's, and beside each its chain of refused credentials. */
export const chainsOf = (tenantIds: readonly string[]): string[] =>
  [PLATFORM_CHAIN, ...tenantIds].flatMap((chain) => [chain, authChainOf(chain)]);

export type AnchorOutcome =
  | { kind: 'anchored'; anchor: AuditAnchor }
  | { kind: 'unchanged' }
  | { kind: 'empty' }
  /** The entries since the last anchor do not verify: anchoring them would bless a tampered chain. */
  | { kind: 'refused'; problems: ChainProblem[] };

/**
 * Anchors one chain's head if it moved since its latest anchor, after checking the entries in between (links, hashes,
 * MACs) continue the anchored entry.
 */
export async function anchorChain(
  chain: string,
  deps: { audit: AuditStore; anchors: AnchorStore; mac: AuditMac; now: () => number },
): Promise<AnchorOutcome> {
  const head = await deps.audit.head(chain);
  if (!head) return { kind: 'empty' };
  const latest = await deps.anchors.latest(chain);
  if (latest && latest.seq >= head.seq) return { kind: 'unchanged' };
  const problems: ChainProblem[] = [];
  // The anchored entry itself is re-read, so a chain rewritten up to it is refused too.
  let previous = latest ? { seq: latest.seq - 1, hash: '' } : undefined;
  let afterSeq = latest ? latest.seq - 1 : 0;
  for (;;) {
    const page = await deps.audit.scan(chain, afterSeq, 500);
    if (latest && afterSeq === latest.seq - 1) {
      const anchored = page[0];
      if (!anchored || anchored.seq !== latest.seq || anchored.hash !== latest.hash) {
        problems.push({ seq: latest.seq, problem: `differs from or is missing since the anchor of ${latest.at}` });
        break;
      }
      previous = { seq: anchored.seq, hash: anchored.hash };
      page.shift();
    }
    problems.push(...(await verifyRun(page, previous, deps.mac)));
    const last = page.at(-1);
    if (last) previous = { seq: last.seq, hash: last.hash };
    afterSeq = previous?.seq ?? afterSeq;
    if (page.length === 0 || (last && last.seq >= head.seq)) break;
  }
  if (problems.length > 0) return { kind: 'refused', problems };
  const anchor: AuditAnchor = { chain, seq: previous!.seq, hash: previous!.hash, at: new Date(deps.now()).toISOString() };
  await deps.anchors.put(anchor);
  return { kind: 'anchored', anchor };
}
