import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter } from '../../core/admin/pipeline';
import type { DeadLetterQueues, FailureLog } from '../../core/ports';
import type { StageName } from '../../core/pipeline/stages';

export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(
    private readonly client: SQSClient,
    private readonly urls: (stage: StageName) => { queue: string; deadLetters: string },
    private readonly failures: FailureLog,
  ) {}

  async peek(stage: StageName, max: number): Promise<DeadLetter[]> {
    const seen = new Map<string, DeadLetter>();
    // Receiving with a zero visibility timeout leaves the messages where they are.
    for (let round = 0; round < 10 && seen.size < max; round++) {
      const received = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.urls(stage).deadLetters,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0 || messages.every((m) => seen.has(m.MessageId!))) break;
      for (const m of messages) {
        if (seen.has(m.MessageId!)) continue;
        let body: { tenantId?: string; statusId?: string; items?: unknown[] } = {};
        try {
          body = JSON.parse(m.Body ?? '{}') as typeof body;
        } catch {
          // an unreadable body is shown as such
        }
        seen.set(m.MessageId!, {
          messageId: m.MessageId!,
          receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
          tenantId: body.tenantId,
          statusId: body.statusId,
          objects: Array.isArray(body.items) ? body.items.length : 0,
          reason: await this.failures.reasonOf(stage, m.MessageId!),
        });
      }
    }
    return [...seen.values()].slice(0, max);
  }

  async redrive(stage: StageName): Promise<number> {
    const { queue, deadLetters } = this.urls(stage);
    let moved = 0;
    for (;;) {
      const received = await this.client.send(
        new ReceiveMessageCommand({ QueueUrl: deadLetters, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) return moved;
      for (const m of messages) {
        await this.client.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: m.Body ?? '' }));
        await this.client.send(new DeleteMessageCommand({ QueueUrl: deadLetters, ReceiptHandle: m.ReceiptHandle! }));
        moved++;
      }
    }
  }
}
