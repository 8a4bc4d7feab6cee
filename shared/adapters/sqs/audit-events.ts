import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AuditEvent } from '../../core/audit/events';
import type { AuditEventQueue } from '../../core/ports';

/** The audit queue: one SendMessage per event, read by the appender (functions/audit/append.ts). */
export class SqsAuditEventQueue implements AuditEventQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(event: AuditEvent): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(event) }));
  }
}
