import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { appendEvents, AuditEventSchema, type AuditEvent } from '../../shared/core/audit/events';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

/**
 * The audit appender: reads and refused credentials arrive as events on the audit queue; each batch becomes ONE
 * chained, MACed entry per chain listing its events (core/audit/events.ts). A chain that cannot be appended to fails
 * only its own records (partial batch response), which SQS redelivers; a record that can never parse is logged and
 * dropped, as retrying cannot repair it.
 */
export const handler = observed(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const c = container();
  const messageOf = new Map<string, string>();
  const events: AuditEvent[] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const parsed = AuditEventSchema.safeParse(body);
    if (!parsed.success) {
      c.logger.error('malformed audit event dropped', { messageId: record.messageId, error: parsed.success ? '' : parsed.error.message });
      continue;
    }
    // The same event twice in one batch (a redelivery beside its original) is listed once.
    if (messageOf.has(parsed.data.id)) continue;
    messageOf.set(parsed.data.id, record.messageId);
    events.push(parsed.data);
  }
  const appended = await appendEvents(events, { audit: c.audit, mac: c.auditMac, now: Date.now });
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const result of appended) {
    if (result.outcome.kind === 'appended') continue;
    const error = result.outcome.error;
    c.logger.warn('audit chain not appended; SQS will redeliver its events', {
      chain: result.chain,
      events: result.eventIds.length,
      error: error instanceof Error ? error.message : String(error),
    });
    for (const id of result.eventIds) batchItemFailures.push({ itemIdentifier: messageOf.get(id)! });
  }
  return { batchItemFailures };
});
