import { z } from 'zod';
import { toMicrosecondTimestamp } from './timestamps';

/** One object of a POST and what became of it (TAXII 2.1 §4.3.1 status details). */
export const StatusEntrySchema = z.object({
  id: z.string(),
  version: z.string(),
  state: z.enum(['pending', 'success', 'failure']),
  message: z.string().optional(),
});
export type StatusEntry = z.infer<typeof StatusEntrySchema>;

export interface StatusHeader {
  id: string;
  tenantId: string;
  collectionId: string;
  /** The member that POSTed: the only one that may read the status. */
  memberId: string;
  requestTimestamp: string;
  totalCount: number;
}

interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

/** TAXII 2.1 §4.3.1 status resource. */
export interface StatusResource {
  id: string;
  status: 'pending' | 'complete';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: StatusDetail[];
  failure_count: number;
  failures: StatusDetail[];
  pending_count: number;
  pendings: StatusDetail[];
}

const detail = (e: StatusEntry): StatusDetail =>
  e.message ? { id: e.id, version: e.version, message: e.message } : { id: e.id, version: e.version };

/** Counts come from the entries themselves, so they always add up to the total (TAXII-CLIENTS #23). */
export function statusResource(header: StatusHeader, entries: StatusEntry[]): StatusResource {
  const of = (state: StatusEntry['state']) => entries.filter((e) => e.state === state).map(detail);
  const [successes, failures, pendings] = [of('success'), of('failure'), of('pending')];
  return {
    id: header.id,
    status: pendings.length === 0 ? 'complete' : 'pending',
    // TAXII 2.1 §3.2: TAXII timestamps carry microseconds; the stored one is a whole millisecond, so this is exact.
    request_timestamp: toMicrosecondTimestamp(header.requestTimestamp),
    total_count: entries.length,
    success_count: successes.length,
    successes,
    failure_count: failures.length,
    failures,
    pending_count: pendings.length,
    pendings,
  };
}

/** How a status entry that waits for a moderator (or its provider's review) begins: the pipeline is done with it. */
export const WAITING_FOR_MODERATION = 'Waiting for moderation: ';

/**
 * A settled outcome for the entry at `index` of a status (the object's position in its POST); `pending` with a
 * message says why an entry still waits (a moderator's question), and leaves a settled entry as it was.
 */
export interface Settlement {
  index: number;
  state: 'success' | 'failure' | 'pending';
  message?: string;
}
