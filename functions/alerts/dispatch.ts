import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { AlertMessageSchema } from '../../shared/core/alerts/messages';
import { deliverAlert, raiseAlert } from '../../shared/core/alerts/dispatch';
import { dispatchDeps } from '../../shared/runtime/alert-deps';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

/**
 * The alerts queue's consumer (infra/topology.ts `alertDispatcher`): `raise` fans an alert out to its recipients,
 * `deliver` makes one attempt at one channel (core/alerts/dispatch.ts). Records are independent and run side by
 * side; one that throws (DynamoDB or SQS unavailable) is retried alone (partial batch response); a record that can
 * never parse is logged and dropped.
 */
export const handler = observed(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const c = container();
  const deps = dispatchDeps(c);
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = undefined;
      }
      const parsed = AlertMessageSchema.safeParse(body);
      if (!parsed.success) {
        c.logger.error('malformed alert message dropped', { messageId: record.messageId, error: parsed.error?.message ?? 'not JSON' });
        return;
      }
      const message = parsed.data;
      try {
        if (message.kind === 'raise') {
          const raised = await raiseAlert(message, deps);
          c.logger.info('alert raised', { tenant: message.tenantId, alertId: raised.alertId, recipients: raised.recipients });
        } else {
          const state = await deliverAlert(message, deps);
          c.logger.info('alert delivery', { tenant: message.tenantId, alertId: message.alertId, attempt: message.attempt, state });
        }
      } catch (error) {
        c.logger.warn('alert message failed; SQS will redeliver it', {
          messageId: record.messageId,
          kind: message.kind,
          error: error instanceof Error ? error.message : String(error),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures };
});
