import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { PipelineMessageSchema, type PipelineMessage } from '../core/pipeline/message';
import type { FunnelCount } from '../core/pipeline/funnel';
import type { StageOutcome } from '../core/pipeline/outcome';
import { nextStage, type StageName } from '../core/pipeline/stages';
import { container, type Container } from './composition-root';

/** CloudWatch embedded metric format: the pipeline funnel per stage and tenant, from log lines alone. */
function funnelMetrics(stage: string, tenant: string, counts: Record<FunnelCount, number>): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: 'Kyoyu',
          Dimensions: [['stage'], ['stage', 'tenant']],
          Metrics: Object.keys(counts).map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    stage,
    tenant,
    ...counts,
  };
}

/**
 * The one owner of SQS semantics for pipeline stages: parse each record with zod, run the stage, forward to the
 * next stage's queue, count the funnel, and report transient failures as `batchItemFailures` so only those are
 * retried (and reach the DLQ after maxReceiveCount). Bad data never fails a record: the stages settle each object
 * they cannot process (core/pipeline/guarded.ts), and a record that can never parse is logged once and dropped.
 */
export function stageHandler(
  stage: StageName,
  run: (message: PipelineMessage, c: Container) => Promise<StageOutcome>,
  options: { recordsInParallel: boolean } = { recordsInParallel: true },
) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const c = container();
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    // Records are independent chunks of POSTs, each failing alone; most stages handle them side by side.
    const handle = async (record: SQSEvent['Records'][number]) => {
      let opened: unknown;
      try {
        opened = await c.pipeline.open(record.body);
      } catch (error) {
        // A claim check that cannot be read now (S3 unavailable) may be readable on the next receive.
        c.logger.warn('pipeline message could not be opened; SQS will redeliver it', { stage, messageId: record.messageId, error: String(error) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        return;
      }
      const parsed = PipelineMessageSchema.safeParse(opened);
      if (!parsed.success) {
        // Retrying cannot repair it; the failure log keeps why, for `kyoyu dlq`-style inspection.
        c.logger.error('malformed pipeline message dropped', { stage, messageId: record.messageId, error: parsed.error.message });
        await c.failures.record(stage, record.messageId, `malformed pipeline message: ${parsed.error.message}`).catch(() => undefined);
        return;
      }
      const message = parsed.data;
      const received = message.items.length;
      try {
        const outcome = await run(message, c);
        const next = nextStage(stage);
        if (outcome.kind === 'forward') {
          if (!next) throw new Error(`Stage ${stage} forwarded but is the last stage`);
          if (outcome.message.items.length > 0) await c.pipeline.send(next, [outcome.message]);
        }
        const counts: Record<FunnelCount, number> = {
          received,
          forwarded: outcome.kind === 'forward' ? outcome.message.items.length : 0,
          dropped: Object.values(outcome.droppedBy).reduce((a, b) => a + b, 0),
          failed: 0,
          committed: outcome.kind === 'done' ? outcome.committed : 0,
        };
        c.logger.metric(funnelMetrics(stage, message.tenantId, counts));
        // Counted once the stage's work is done; a redelivery after this point counts again (metrics, not data).
        await c.funnel.add(message.tenantId, stage, { counts, droppedBy: outcome.droppedBy, ...(outcome.kind === 'forward' && outcome.registry ? { registry: outcome.registry } : {}) }).catch((error: unknown) =>
          c.logger.warn('funnel counters not updated', { stage, error: String(error) }),
        );
      } catch (error) {
        c.logger.warn('pipeline message failed; SQS will redeliver it', {
          stage,
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error: error instanceof Error ? error.message : String(error),
        });
        c.logger.metric(funnelMetrics(stage, message.tenantId, { received, forwarded: 0, dropped: 0, failed: received, committed: 0 }));
        batchItemFailures.push({ itemIdentifier: record.messageId });
        // Kept so that `kyoyu dlq list` can say why a message ended in the dead-letter queue.
        await c.failures
          .record(stage, record.messageId, error instanceof Error ? error.message : String(error))
          .catch((e: unknown) => c.logger.warn('failure reason not recorded', { stage, error: String(e) }));
      }
    };
    if (options.recordsInParallel) await Promise.all(event.Records.map(handle));
    else for (const record of event.Records) await handle(record);
    return { batchItemFailures };
  };
}
