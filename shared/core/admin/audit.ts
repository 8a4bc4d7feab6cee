import { z } from 'zod';
import { BadRequestError } from '../errors';
import { isOperator, type Caller } from '../directory/model';
import { authChainOf, PLATFORM_CHAIN, type AuditEntry } from '../audit/entry';
import type { AnchorStore } from '../ports';
import { verifyChain, type ChainVerification } from '../audit/chain';
import { administeredTenant, assertOperator } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput } from '../input';

/** `main`: what members and admins did; `auth`: refused credentials (entry.ts authChainOf). */
const LogSchema = z.enum(['main', 'auth']).default('main');

export const AuditQuerySchema = z.object({
  log: LogSchema,
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  member: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  next: z.string().optional(),
});

const CursorSchema = z.object({ at: z.iso.datetime(), seq: z.number().int().min(1) });

/** `next` is only a position in the chain's time order; the chain it applies to comes from the URL. */
function decodeNext(next: string | undefined): { at: string; seq: number } | undefined {
  if (next === undefined) return undefined;
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(next, 'base64url').toString('utf8')));
  } catch {
    throw new BadRequestError('next: is not a token this endpoint returned');
  }
}
const encodeNext = (entry: AuditEntry): string => Buffer.from(JSON.stringify({ at: entry.at, seq: entry.seq })).toString('base64url');

/** Tenant admins read their tenant's chain, operators any chain; the platform chain only operators. */
async function assertMayReadChain(caller: Caller, chain: string, deps: AdminDeps): Promise<void> {
  if (chain === PLATFORM_CHAIN) assertOperator(caller, 'read the platform audit log');
  else await administeredTenant(caller, chain, deps);
}

const chainOf = (chain: string, log: z.infer<typeof LogSchema>): string => (log === 'auth' ? authChainOf(chain) : chain);

/**
 * Operators do not see where alerts go (docs/alerts.md "Subscriptions"): in an operator's reading of a tenant's log, a
 * subscription's webhook URL or e-mail address, and the reason it was disabled (a bounce quotes the address), are
 * replaced. Only this view changes: the stored entry is as sealed, and `verify` checks that, not what is shown.
 */
export const HIDDEN_FROM_OPERATORS = '(hidden from operators)';

function withoutDestination(state: unknown): unknown {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return state;
  const { channel, disabledReason, ...rest } = state as Record<string, unknown>;
  return {
    ...rest,
    ...(channel !== null && typeof channel === 'object'
      ? {
          channel: Object.fromEntries(
            Object.entries(channel).map(([key, value]) => [key, key === 'url' || key === 'address' ? HIDDEN_FROM_OPERATORS : value]),
          ),
        }
      : channel === undefined
        ? {}
        : { channel }),
    ...(disabledReason === undefined ? {} : { disabledReason: HIDDEN_FROM_OPERATORS }),
  };
}

export function operatorView(entry: AuditEntry): AuditEntry {
  if (entry.target?.type !== 'subscription') return entry;
  const { before, after, ...rest } = entry;
  return {
    ...rest,
    ...(before === undefined ? {} : { before: withoutDestination(before) }),
    ...(after === undefined ? {} : { after: withoutDestination(after) }),
  };
}

/** Entries in time order, by time range and member, a page at a time. */
export async function queryAudit(
  caller: Caller,
  chain: string,
  query: unknown,
  deps: AdminDeps,
): Promise<{ entries: AuditEntry[]; more: boolean; next?: string }> {
  await assertMayReadChain(caller, chain, deps);
  const { log, since, until, member, limit, next } = parseInput(AuditQuerySchema, query, 'query');
  const page = await deps.audit.query(chainOf(chain, log), { since, until, memberId: member, limit, after: decodeNext(next) });
  const last = page.entries.at(-1);
  const entries = isOperator(caller) ? page.entries.map(operatorView) : page.entries;
  return { entries, more: page.more, ...(page.more && last ? { next: encodeNext(last) } : {}) };
}

/**
 * Recomputes every hash, link and MAC of the chain and checks it against its latest anchor: an edited, removed,
 * reordered or re-sealed entry is named, and so is a chain cut back behind its anchor.
 */
export async function verifyAudit(
  caller: Caller,
  chain: string,
  query: unknown,
  deps: AdminDeps & { anchors: AnchorStore },
): Promise<ChainVerification> {
  await assertMayReadChain(caller, chain, deps);
  const { log } = parseInput(z.object({ log: LogSchema }), query, 'query');
  return verifyChain(chainOf(chain, log), deps);
}
