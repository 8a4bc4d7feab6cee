import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { addressOf, PipelineMessageSchema, type PipelineMessage } from '../core/pipeline/message';
import type { FunnelCount } from '../core/pipeline/funnel';
import type { StageOutcome } from '../core/pipeline/outcome';
import { MAX_RECEIVES, nextStage, type StageName } from '../core/pipeline/stages';
import type { OpenedBody } from '../core/ports';
import { container, type Container } from './composition-root';
import { observed, publishFunnel } from './observability';

/** Settles, with a reason, every entry a message that will not be processed still holds pending. */
async function settleUnprocessed(
  c: Container,
  address: { tenantId: string; statusId: string; entries?: number[] },
  reason: string,
): Promise<void> {
  const entries =
    address.entries ??
    ((await c.statuses.get(address.tenantId, address.statusId))?.entries ?? []).flatMap((e, index) =>
      e.state === 'pending' ? [index] : [],
    );
  if (entries.length > 0)
    await c.statuses.settle(
      address.tenantId,
      address.statusId,
      entries.map((index) => ({ index, state: 'failure' as const, message: reason })),
    );
}

/**
 * What a submitter may learn of a failure that is not about its data: its class, never the error's text (table
 * names, keys, stack details stay in the log and the failure record, for the operators). An AWS SDK service error
 * carries `$metadata`.
 */
export function failureClassOf(error: unknown): string {
  return error !== null && typeof error === 'object' && '$metadata' in error
    ? 'a storage or queue service of the platform was unavailable'
    : 'an internal error of the platform';
}

/**
 * The one owner of SQS semantics for pipeline stages: parse each record with zod, run the stage, forward to the
 * next stage's queue, count the funnel, and report transient failures as `batchItemFailures` so only those are
 * retried (and reach the DLQ after MAX_RECEIVES). Nothing leaves the pipeline silently, nor leaves a status pending:
 * - bad data never fails a record: the stages settle each object they cannot process (core/pipeline/guarded.ts);
 * - a record that can never be read or parsed is settled with the reason in its status (when it names one),
 *   logged, and kept in the failure log; retrying cannot repair it;
 * - anything the stage throws (DynamoDB, S3 or SQS unavailable, a bug) is retried; on the last receive (SQS's
 *   ApproximateReceiveCount reaching the queue's maxReceiveCount, MAX_RECEIVES in the topology), before SQS moves
 *   the message to the DLQ, its pending entries are settled with the class of the failure (failureClassOf);
 * - once a stage is done with a record, the claim check it came by is deleted (the bucket's expiry is the backstop).
 */
export function stageHandler(
  stage: StageName,
  run: (message: PipelineMessage, c: Container) => Promise<StageOutcome>,
  options: { recordsInParallel: boolean } = { recordsInParallel: true },
) {
  return observed(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const c = container();
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const recordFailure = (messageId: string, reason: string) =>
      c.failures
        .record(stage, messageId, reason)
        .catch((e: unknown) => c.logger.warn('failure reason not recorded', { stage, error: String(e) }));
    // A message that can never be processed: settled, logged and recorded once, not retried. If settling itself
    // fails (I/O), the record is retried so that the status is not left pending.
    const refuse = async (record: SQSEvent['Records'][number], raw: unknown, reason: string) => {
      const address = addressOf(raw);
      try {
        if (address) await settleUnprocessed(c, address, `Not processed (${stage}): ${reason}`);
      } catch (error) {
        c.logger.warn('malformed pipeline message not settled; SQS will redeliver it', {
          stage,
          messageId: record.messageId,
          error: String(error),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        return;
      }
      c.logger.error('malformed pipeline message settled and dropped', {
        stage,
        messageId: record.messageId,
        settled: address !== undefined,
        error: reason,
      });
      await recordFailure(record.messageId, `malformed pipeline message: ${reason}`);
      await release(record);
    };
    const release = (record: SQSEvent['Records'][number]) =>
      c.pipeline
        .release(record.body)
        .catch((error: unknown) => c.logger.warn('claim check not deleted; the bucket expires it', { stage, error: String(error) }));
    // Records are independent POSTs, each failing alone; most stages handle them side by side.
    const handle = async (record: SQSEvent['Records'][number]) => {
      let opened: OpenedBody;
      try {
        opened = await c.pipeline.open(record.body);
      } catch (error) {
        // A claim check that cannot be read now (S3 unavailable) may be readable on the next receive.
        c.logger.warn('pipeline message could not be opened; SQS will redeliver it', {
          stage,
          messageId: record.messageId,
          error: String(error),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        return;
      }
      if (opened.kind === 'consumed') {
        // Only a stage that finished deletes a claim: this is a redelivery of a message already handled.
        c.logger.info('claim check already consumed; message handled before', { stage, messageId: record.messageId, claim: opened.claim });
        return;
      }
      if (opened.kind === 'unreadable') return refuse(record, undefined, opened.reason);
      const parsed = PipelineMessageSchema.safeParse(opened.message);
      if (!parsed.success) return refuse(record, opened.message, parsed.error.message);
      const message = parsed.data;
      const received = message.items.length;
      try {
        const outcome = await run(message, c);
        const next = nextStage(stage);
        if (outcome.kind === 'forward') {
          if (!next) throw new Error(`Stage ${stage} forwarded but is the last stage`);
          if (outcome.message.items.length > 0) await c.pipeline.send(next, [outcome.message]);
          if (outcome.later) await c.pipeline.send(stage, [outcome.later.message], { delaySeconds: outcome.later.delaySeconds });
        }
        const counts: Record<FunnelCount, number> = {
          received,
          forwarded: outcome.kind === 'forward' ? outcome.message.items.length : 0,
          dropped: Object.values(outcome.droppedBy).reduce((a, b) => a + b, 0),
          failed: 0,
          committed: outcome.kind === 'done' ? outcome.committed : 0,
        };
        publishFunnel(stage, message.tenantId, counts);
        // Counted once the stage's work is done; a redelivery after this point counts again (metrics, not data).
        await c.funnel
          .add(message.tenantId, stage, {
            counts,
            droppedBy: outcome.droppedBy,
            ...(outcome.kind === 'forward' && outcome.registry ? { registry: outcome.registry } : {}),
          })
          .catch((error: unknown) => c.logger.warn('funnel counters not updated', { stage, error: String(error) }));
        await release(record);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const receiveCount = Number(record.attributes.ApproximateReceiveCount);
        c.logger.warn('pipeline message failed; SQS will redeliver it', {
          stage,
          messageId: record.messageId,
          receiveCount,
          error: reason,
        });
        publishFunnel(stage, message.tenantId, { received, forwarded: 0, dropped: 0, failed: received, committed: 0 });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        // Kept so that `kyoyu dlq list` can say why a message ended in the dead-letter queue.
        await recordFailure(record.messageId, reason);
        if (receiveCount >= MAX_RECEIVES) {
          // The last receive: SQS moves the message to the DLQ next. Its submitter learns now, not never.
          await settleUnprocessed(
            c,
            { tenantId: message.tenantId, statusId: message.statusId, entries: message.items.map((i) => i.entry) },
            `Not processed (${stage}): the pipeline could not process this object after ${receiveCount} attempts (${failureClassOf(error)}); the operators have the details`,
          ).catch((e: unknown) =>
            c.logger.error('status not settled after the last attempt', { stage, messageId: record.messageId, error: String(e) }),
          );
        }
      }
    };
    if (options.recordsInParallel) await Promise.all(event.Records.map(handle));
    else for (const record of event.Records) await handle(record);
    return { batchItemFailures };
  });
}
