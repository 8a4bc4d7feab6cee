import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { HmacAuditMac } from '../../../shared/adapters/hmac/audit-mac';
import { anchorChain, type AuditAnchor } from '../../../shared/core/audit/anchor';
import { appendAudit, entryHash, GENESIS_HASH, PROBLEMS, verifyChain, verifyRun } from '../../../shared/core/audit/chain';
import type { AuditDraft, AuditEntry, AuditQuery } from '../../../shared/core/audit/entry';
import type { AnchorStore, AuditStore } from '../../../shared/core/ports';

/** An in-memory chain store: enough to exercise the chain rules without DynamoDB (the adapter has its contract test). */
function memoryAudit(): AuditStore & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  const ofChain = (chain: string) => entries.filter((e) => e.chain === chain).sort((a, b) => a.seq - b.seq);
  return {
    entries,
    head: async (chain) => ofChain(chain).at(-1),
    put: async (entry) => {
      if (entries.some((e) => e.chain === entry.chain && e.seq === entry.seq)) return 'exists';
      entries.push(entry);
      return 'created';
    },
    query: async (_chain: string, _query: AuditQuery) => ({ entries, more: false }),
    scan: async (chain, afterSeq, limit) =>
      ofChain(chain)
        .filter((e) => e.seq > afterSeq)
        .slice(0, limit),
  };
}

function memoryAnchors(): AnchorStore & { anchors: AuditAnchor[] } {
  const anchors: AuditAnchor[] = [];
  return {
    anchors,
    latest: async (chain) => anchors.filter((a) => a.chain === chain).sort((a, b) => b.seq - a.seq)[0],
    put: async (anchor) => void anchors.push(anchor),
  };
}

const KEY = new HmacAuditMac(['the appenders-only audit key, 32+ characters long']);
/** What someone without the key has: a key of their own. */
const FORGER = new HmacAuditMac(['a forger who can write the table but has no key']);

const draft = (action: string): AuditDraft => ({
  actor: { username: 'ics-admin', role: 'tenant-admin' },
  action,
  before: { a: 1 },
  after: { a: 2, b: undefined },
});

async function chainOf(actions: string[]) {
  const audit = memoryAudit();
  const anchors = memoryAnchors();
  for (const action of actions) await appendAudit('t', draft(action), { audit, mac: KEY, now: Date.now });
  return { audit, anchors, deps: { audit, anchors, mac: KEY, now: Date.now } };
}

/** Edits an entry in place and re-seals it the way someone with table access but without the key can: re-hash, own MAC. */
async function reseal(entry: AuditEntry, edit: Partial<AuditEntry>): Promise<AuditEntry> {
  const { hash: _h, mac: _m, ...content } = { ...entry, ...edit };
  const hash = entryHash(content);
  return { ...content, hash, mac: await FORGER.sign(hash) };
}

describe('audit chain', () => {
  it('links each entry to the previous one, MACs it, and verifies', async () => {
    const audit = memoryAudit();
    const deps = { audit, mac: KEY, now: () => Date.parse('2026-05-01T00:00:00Z') };
    const first = await appendAudit('ics-isac', draft('member.create'), deps);
    const second = await appendAudit('ics-isac', draft('member.update'), deps);

    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    expect(await KEY.verify(second.hash, second.mac)).toBe(true);
    expect(await verifyChain('ics-isac', { audit, mac: KEY, anchors: memoryAnchors() })).toEqual({
      ok: true,
      entries: 2,
      headHash: second.hash,
      problems: [],
    });
  });

  it('never goes back in time, even when a writer clock is behind', async () => {
    const audit = memoryAudit();
    await appendAudit('t', draft('x'), { audit, mac: KEY, now: () => Date.parse('2026-05-01T00:00:10Z') });
    const late = await appendAudit('t', draft('y'), { audit, mac: KEY, now: () => Date.parse('2026-05-01T00:00:00Z') });
    expect(late.at).toBe('2026-05-01T00:00:10.000Z');
  });

  it('serialises concurrent appends without gaps or forks', async () => {
    const audit = memoryAudit();
    await Promise.all(Array.from({ length: 10 }, (_, i) => appendAudit('t', draft(`a${i}`), { audit, mac: KEY, now: Date.now })));
    expect(audit.entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await verifyChain('t', { audit, mac: KEY, anchors: memoryAnchors() })).ok).toBe(true);
  });

  it('names an edited, a removed and a re-linked entry', async () => {
    const { audit } = await chainOf(['a', 'b', 'c', 'd']);
    const [e1, e2, e3, e4] = audit.entries as [AuditEntry, AuditEntry, AuditEntry, AuditEntry];

    expect(await verifyRun([e1, { ...e2, after: { a: 3 } }, e3], undefined, KEY)).toEqual([{ seq: 2, problem: PROBLEMS.altered }]);
    expect((await verifyRun([e1, e3, e4], undefined, KEY)).map((p) => p.seq)).toEqual([3, 3]);
    expect((await verifyRun([e1, e2, e4], undefined, KEY))[0]!.problem).toMatch(/entries 3–3 are missing/);
  });

  it('reports a chain edited and re-hashed from the edit to the head without the key: every re-sealed entry', async () => {
    const { audit, deps } = await chainOf(['a', 'b', 'c', 'd']);
    // Prepare: rewrite entry 2 and re-link 3 and 4 to it, as a writer of the table can, without the audit key.
    const [e1, e2, e3, e4] = audit.entries as [AuditEntry, AuditEntry, AuditEntry, AuditEntry];
    const f2 = await reseal(e2, { after: { a: 99 } });
    const f3 = await reseal(e3, { prevHash: f2.hash });
    const f4 = await reseal(e4, { prevHash: f3.hash });
    audit.entries.splice(0, 4, e1, f2, f3, f4);

    // Act
    const verification = await verifyChain('t', deps);

    // Assess: links and hashes are consistent again; only the MACs give the forgery away, on every forged entry.
    expect(verification.ok).toBe(false);
    expect(verification.problems).toEqual([2, 3, 4].map((seq) => ({ seq, problem: PROBLEMS.badMac })));
  });

  it('finds any single re-sealed entry in any chain (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.nat(), fc.string(), async (length, pick, value) => {
        const { audit, deps } = await chainOf(Array.from({ length }, (_, i) => `a${i}`));
        const index = pick % length;
        audit.entries[index] = await reseal(audit.entries[index]!, { details: { forged: value } });
        const { problems } = await verifyChain('t', deps);
        expect(problems).toContainEqual({ seq: index + 1, problem: PROBLEMS.badMac });
      }),
      { numRuns: 30 },
    );
  });
});

describe('audit anchors', () => {
  it('anchors the head once, and again only when the chain moved', async () => {
    const { audit, anchors, deps } = await chainOf(['a', 'b']);
    const first = await anchorChain('t', deps);
    const again = await anchorChain('t', deps);
    await appendAudit('t', draft('c'), deps);
    const moved = await anchorChain('t', deps);

    expect(first).toEqual({ kind: 'anchored', anchor: expect.objectContaining({ chain: 't', seq: 2, hash: audit.entries[1]!.hash }) });
    expect(again).toEqual({ kind: 'unchanged' });
    expect(moved).toEqual({ kind: 'anchored', anchor: expect.objectContaining({ seq: 3, hash: audit.entries[2]!.hash }) });
    expect(anchors.anchors.map((a) => a.seq)).toEqual([2, 3]);
    expect(await anchorChain('empty', deps)).toEqual({ kind: 'empty' });
  });

  it('reports a chain cut back behind its anchor, though what is left verifies', async () => {
    const { audit, deps } = await chainOf(['a', 'b', 'c', 'd']);
    await anchorChain('t', deps);
    audit.entries.splice(2, 2);

    const verification = await verifyChain('t', deps);

    expect(verification).toMatchObject({ ok: false, entries: 2, anchor: { seq: 4 } });
    expect(verification.problems).toEqual([{ seq: 4, problem: expect.stringMatching(/ends at 2 \(truncated\)$/) }]);
  });

  it('reports a chain rewritten up to its anchor even with the key (an appender compromise)', async () => {
    const { audit, deps } = await chainOf(['a', 'b', 'c']);
    await anchorChain('t', deps);
    // Rebuild the whole chain with different content, properly keyed: links, hashes and MACs all verify.
    audit.entries.splice(0);
    for (const action of ['a', 'x', 'c']) await appendAudit('t', draft(action), deps);

    const verification = await verifyChain('t', deps);

    expect(verification.problems).toEqual([{ seq: 3, problem: expect.stringMatching(/differs from the anchor .*rewritten$/) }]);
  });

  it('refuses to anchor entries that do not verify since the last anchor', async () => {
    const { audit, anchors, deps } = await chainOf(['a', 'b']);
    await anchorChain('t', deps);
    await appendAudit('t', draft('c'), deps);
    audit.entries[2] = await reseal(audit.entries[2]!, { action: 'forged' });

    const outcome = await anchorChain('t', deps);

    expect(outcome).toEqual({ kind: 'refused', problems: [{ seq: 3, problem: PROBLEMS.badMac }] });
    expect(anchors.anchors.map((a) => a.seq)).toEqual([2]);
  });

  it('refuses to anchor a chain whose anchored entry was replaced', async () => {
    const { audit, deps } = await chainOf(['a', 'b']);
    await anchorChain('t', deps);
    audit.entries[1] = { ...audit.entries[1]!, hash: createHash('sha256').update('other').digest('hex') };
    await appendAudit('t', draft('c'), deps);

    expect(await anchorChain('t', deps)).toEqual({ kind: 'refused', problems: [{ seq: 2, problem: expect.stringMatching(/anchor/) }] });
  });
});
