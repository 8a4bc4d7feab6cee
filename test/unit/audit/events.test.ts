import { HmacAuditMac } from '../../../shared/adapters/hmac/audit-mac';
import { appendEvents, batchDraft, type AuditEvent } from '../../../shared/core/audit/events';
import { authChainOf, type AuditEntry } from '../../../shared/core/audit/entry';
import { authFailureEvent, readEvent } from '../../../shared/core/audit/record';
import type { Principal } from '../../../shared/core/directory/model';
import type { AuditStore } from '../../../shared/core/ports';

const KEY = new HmacAuditMac(['the appenders-only audit key, 32+ characters long']);

function memoryAudit(failing: string[] = []): AuditStore & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  const ofChain = (chain: string) => entries.filter((e) => e.chain === chain);
  return {
    entries,
    head: async (chain) => ofChain(chain).at(-1),
    put: async (entry) => {
      if (failing.includes(entry.chain)) throw new Error('throttled');
      if (ofChain(entry.chain).some((e) => e.seq === entry.seq)) return 'exists';
      entries.push(entry);
      return 'created';
    },
    query: async () => ({ entries, more: false }),
    scan: async (chain, afterSeq, limit) =>
      ofChain(chain)
        .filter((e) => e.seq > afterSeq)
        .slice(0, limit),
  };
}

const principal = (memberId: string, username: string): Principal =>
  ({ kind: 'member', username, role: 'consumer', tenantId: 'ics-isac', memberId }) as unknown as Principal;

let n = 0;
const stamp = (iso: string) => ({ id: `e${++n}`, nowMs: Date.parse(iso) });
const read = (memberId: string, at: string, objects = 2): AuditEvent =>
  readEvent(principal(memberId, `${memberId}-reader`), { collectionId: 'c1', endpoint: 'objects', objects }, stamp(at));

describe('batched audit events', () => {
  it('seals one entry per chain per batch, listing every event in time order', async () => {
    const audit = memoryAudit();
    const events = [
      read('hokuriku-water', '2026-11-30T10:00:02Z'),
      authFailureEvent(
        { username: 'ics-reader', tenantId: 'ics-isac', memberId: 'control-vendor' },
        'Unknown user or wrong password',
        { ip: '192.0.2.1' },
        stamp('2026-11-30T10:00:01Z'),
      ),
      read('kanto-power', '2026-11-30T10:00:00Z', 5),
      authFailureEvent({ username: 'mallory' }, 'Unknown user or wrong password', {}, stamp('2026-11-30T10:00:03Z')),
    ];

    const results = await appendEvents(events, { audit, mac: KEY, now: () => Date.parse('2026-11-30T10:00:05Z') });

    expect(results.map((r) => [r.chain, r.outcome.kind])).toEqual([
      ['ics-isac', 'appended'],
      [authChainOf('ics-isac'), 'appended'],
      [authChainOf('_platform'), 'appended'],
    ]);
    const reads = audit.entries.find((e) => e.chain === 'ics-isac')!;
    expect(reads).toMatchObject({ seq: 1, action: 'taxii.read', actor: { username: 'audit-appender', role: 'system' } });
    expect(reads.memberId).toBeUndefined();
    expect(
      (reads.details!.events as Array<{ memberId: string; details: unknown; at: string }>).map((e) => [e.memberId, e.details, e.at]),
    ).toEqual([
      ['kanto-power', { endpoint: 'objects', objects: 5 }, '2026-11-30T10:00:00.000Z'],
      ['hokuriku-water', { endpoint: 'objects', objects: 2 }, '2026-11-30T10:00:02.000Z'],
    ]);
    expect(audit.entries.find((e) => e.chain === authChainOf('ics-isac'))).toMatchObject({
      action: 'auth.failure',
      memberId: 'control-vendor',
      actor: { username: 'ics-reader', role: 'unauthenticated' },
    });
  });

  it("keeps a batch of one member's events findable by that member", () => {
    const entry = batchDraft([read('hokuriku-water', '2026-11-30T10:00:00Z'), read('hokuriku-water', '2026-11-30T10:00:01Z')]);
    expect(entry).toMatchObject({ memberId: 'hokuriku-water', actor: { username: 'hokuriku-water-reader' }, action: 'taxii.read' });
  });

  it('fails only the chain that could not be appended to, naming its events', async () => {
    const audit = memoryAudit([authChainOf('ics-isac')]);
    const failure = authFailureEvent(
      { username: 'x', tenantId: 'ics-isac' },
      'Unknown user or wrong password',
      {},
      stamp('2026-11-30T10:00:00Z'),
    );
    const results = await appendEvents([read('kanto-power', '2026-11-30T10:00:00Z'), failure], { audit, mac: KEY, now: Date.now });

    expect(results.map((r) => [r.chain, r.outcome.kind, r.eventIds])).toEqual([
      ['ics-isac', 'appended', [expect.any(String)]],
      [authChainOf('ics-isac'), 'failed', [failure.id]],
    ]);
    expect(audit.entries.map((e) => e.chain)).toEqual(['ics-isac']);
  });
});
