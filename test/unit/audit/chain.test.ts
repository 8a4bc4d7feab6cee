import { appendAudit, canonicalJson, GENESIS_HASH, verifyChain, verifyRun } from '../../../shared/core/audit/chain';
import type { AuditDraft, AuditEntry, AuditQuery } from '../../../shared/core/audit/entry';
import type { AuditStore } from '../../../shared/core/ports';

/** An in-memory chain store: enough to exercise the chain rules without DynamoDB (the adapter is tested over HTTP). */
function memoryAudit(): AuditStore & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    head: async (chain) => entries.filter((e) => e.chain === chain).at(-1),
    put: async (entry) => {
      if (entries.some((e) => e.chain === entry.chain && e.seq === entry.seq)) return 'exists';
      entries.push(entry);
      return 'created';
    },
    query: async (_chain: string, _query: AuditQuery) => ({ entries, more: false }),
    scan: async (chain, afterSeq, limit) => entries.filter((e) => e.chain === chain && e.seq > afterSeq).slice(0, limit),
  };
}

const draft = (action: string): AuditDraft => ({ actor: { username: 'ics-admin', role: 'tenant-admin' }, action, before: { a: 1 }, after: { a: 2, b: undefined } });

describe('audit chain', () => {
  it('links each entry to the previous one and verifies', async () => {
    const audit = memoryAudit();
    const deps = { audit, now: () => Date.parse('2026-05-01T00:00:00Z') };
    const first = await appendAudit('ics-isac', draft('member.create'), deps);
    const second = await appendAudit('ics-isac', draft('member.update'), deps);

    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    expect(await verifyChain('ics-isac', { audit })).toEqual({ ok: true, entries: 2, headHash: second.hash, problems: [] });
  });

  it('never goes back in time, even when a writer clock is behind', async () => {
    const audit = memoryAudit();
    await appendAudit('t', draft('x'), { audit, now: () => Date.parse('2026-05-01T00:00:10Z') });
    const late = await appendAudit('t', draft('y'), { audit, now: () => Date.parse('2026-05-01T00:00:00Z') });
    expect(late.at).toBe('2026-05-01T00:00:10.000Z');
  });

  it('serialises concurrent appends without gaps or forks', async () => {
    const audit = memoryAudit();
    await Promise.all(Array.from({ length: 10 }, (_, i) => appendAudit('t', draft(`a${i}`), { audit, now: Date.now })));
    expect(audit.entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await verifyChain('t', { audit })).ok).toBe(true);
  });

  it('names an edited, a removed and a re-linked entry', async () => {
    const audit = memoryAudit();
    for (const action of ['a', 'b', 'c', 'd']) await appendAudit('t', draft(action), { audit, now: Date.now });
    const [e1, e2, e3, e4] = audit.entries as [AuditEntry, AuditEntry, AuditEntry, AuditEntry];

    expect(verifyRun([e1, { ...e2, after: { a: 3 } }, e3], undefined)).toEqual([
      { seq: 2, problem: 'was altered after it was written (its hash does not match its content)' },
    ]);
    expect(verifyRun([e1, e3, e4], undefined).map((p) => p.seq)).toEqual([3, 3]);
    expect(verifyRun([e1, e2, e4], undefined)[0]!.problem).toMatch(/entries 3–3 are missing/);
  });

  it('hashes content independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(canonicalJson({ a: [{ c: 2, d: 1 }], b: 1 }));
  });
});
