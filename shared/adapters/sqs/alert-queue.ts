import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AlertMessage } from '../../core/alerts/messages';
import type { AlertQueue } from '../../core/alerts/ports';

/** The alerts queue (raise and deliver messages), ten per SendMessageBatch, and its dead-letter queue. */
export class SqsAlertQueue implements AlertQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterQueueUrl: () => string,
  ) {}

  async send(messages: ReadonlyArray<{ message: AlertMessage; delaySeconds?: number }>): Promise<void> {
    const batches: Array<typeof messages> = [];
    for (let start = 0; start < messages.length; start += 10) batches.push(messages.slice(start, start + 10));
    await Promise.all(
      batches.map(async (batch) => {
        let entries = batch.map((m, i) => ({
          Id: String(i),
          MessageBody: JSON.stringify(m.message),
          ...(m.delaySeconds ? { DelaySeconds: m.delaySeconds } : {}),
        }));
        for (let attempt = 0; entries.length > 0; attempt++) {
          const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
          const failed = new Set((result.Failed ?? []).map((f) => f.Id));
          if (failed.size > 0 && attempt >= 3)
            throw new Error(`SQS refused ${failed.size} alert messages: ${(result.Failed ?? []).map((f) => f.Message).join('; ')}`);
          entries = entries.filter((e) => failed.has(e.Id));
          if (entries.length > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 50));
        }
      }),
    );
  }

  async deadLetter(message: AlertMessage, reason: string): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterQueueUrl(),
        MessageBody: JSON.stringify(message),
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
      }),
    );
  }
}
