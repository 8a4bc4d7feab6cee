import { z } from 'zod';
import { appendAudit, type AppendDeps } from './chain';
import { canonicalJson } from '../text/canonical-json';
import { AuditActorSchema, type AuditDraft, type AuditEntry } from './entry';

/**
 * Audit events: what a read handler or the authorizer records without writing the log itself. Reads are most of
 * what is audited (every poll), so a read only sends one message to the audit queue — no wait on the tenant's chain,
 * no KMS call — and the appender (functions/audit/append.ts) seals ONE entry per chain per batch listing the events.
 * Delivery is at least once: an event id seen twice in a chain is a redelivery, not a second read.
 */
/** The queue's name in infra/topology.ts (`queues` uses, QUEUE_URL_AUDIT). */
export const AUDIT_QUEUE = 'audit';

export const AuditEventSchema = z.object({
  /** Unique per event, to recognise a redelivery. */
  id: z.string().min(1),
  chain: z.string().min(1),
  /** When it happened (the entry that lists it is sealed later). */
  at: z.iso.datetime(),
  actor: AuditActorSchema,
  memberId: z.string().optional(),
  /** `taxii.read`, `auth.failure`. */
  action: z.string().min(1),
  target: z.object({ type: z.string(), id: z.string() }).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** One listed event inside a batch entry: everything but the chain, which is the entry's. */
export type ListedEvent = Omit<AuditEvent, 'chain'>;

const same = <T>(values: T[]): T | undefined =>
  values.every((v) => canonicalJson(v) === canonicalJson(values[0])) ? values[0] : undefined;

/**
 * The entry for a batch of one chain's events. Its actor, member and action are the events' when they all share them
 * (a batch of one member's polls is still found by a query for that member), else the appender and `audit.batch`.
 */
export function batchDraft(events: readonly AuditEvent[]): AuditDraft {
  const actor = same(events.map((e) => e.actor));
  const memberId = same(events.map((e) => e.memberId));
  const action = same(events.map((e) => e.action));
  return {
    actor: actor ?? { username: 'audit-appender', role: 'system' },
    ...(memberId !== undefined ? { memberId } : {}),
    action: action ?? 'audit.batch',
    details: { events: events.map(({ chain: _chain, ...listed }): ListedEvent => listed) },
  };
}

export interface ChainAppend {
  chain: string;
  eventIds: string[];
  outcome: { kind: 'appended'; entry: AuditEntry } | { kind: 'failed'; error: unknown };
}

/** Appends one entry per chain for a batch of events, the chains at once; a chain that fails leaves the others. */
export async function appendEvents(events: readonly AuditEvent[], deps: AppendDeps): Promise<ChainAppend[]> {
  const byChain = new Map<string, AuditEvent[]>();
  for (const event of events) byChain.set(event.chain, [...(byChain.get(event.chain) ?? []), event]);
  return Promise.all(
    [...byChain].map(async ([chain, chainEvents]): Promise<ChainAppend> => {
      const eventIds = chainEvents.map((e) => e.id);
      try {
        // Time order inside the entry, whatever order the queue delivered them in.
        const sorted = [...chainEvents].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        return { chain, eventIds, outcome: { kind: 'appended', entry: await appendAudit(chain, batchDraft(sorted), deps) } };
      } catch (error) {
        return { chain, eventIds, outcome: { kind: 'failed', error } };
      }
    }),
  );
}
