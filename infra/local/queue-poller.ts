import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext, type LambdaHandler } from './lambda-context';

/**
 * Delivers a queue to its stage handler the way Lambda's SQS event source mapping does: long polling, batches,
 * the queue's visibility timeout, and partial batch responses — only the records not named in
 * `batchItemFailures` are deleted; a thrown error fails the whole batch. Failed messages reappear after the
 * visibility timeout, and SQS (fauxqs) moves them to the DLQ after `maxReceiveCount` receives.
 */
export interface QueuePollerOptions {
  functionName: string;
  queueUrl: string;
  queueArn: string;
  handler: LambdaHandler;
  batchSize: number;
  timeoutSeconds: number;
  sqs: SQSClient;
  /** Long-poll wait; Lambda uses 20 s, locally shorter so shutdown is quick. */
  waitTimeSeconds?: number;
  /** Batches handled at once, as Lambda runs several instances of a busy stage. */
  concurrency?: number;
  /** Like the event source's maximum batching window: once a message arrived, gather up to `batchSize` for this long. */
  batchingWindowSeconds?: number;
  onError?: (message: string, error: unknown) => void;
}

export interface QueuePoller {
  stop(): Promise<void>;
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { stringValue: value.StringValue, dataType: value.DataType ?? 'String' },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

export function startQueuePoller(options: QueuePollerOptions): QueuePoller {
  const abort = new AbortController();
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;

  async function deliver(messages: Message[]): Promise<void> {
    const records = messages.map((m) => toRecord(m, options.queueArn));
    const event: SQSEvent = { Records: records };
    let failed: Set<string>;
    try {
      const response = (await options.handler(event, lambdaContext(options.functionName, options.timeoutSeconds))) as
        | SQSBatchResponse
        | undefined;
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      options.onError?.(`${options.functionName} failed its whole batch`, error);
      failed = new Set(records.map((r) => r.messageId));
    }
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length === 0) return;
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
      }),
    );
  }

  const receive = (max: number, wait: number) =>
    options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );

  /** After the first messages, more until the batch is full or the window closes (SQS hands out at most 10 at once). */
  async function gather(first: Message[]): Promise<Message[]> {
    const batch = [...first];
    const closes = Date.now() + (options.batchingWindowSeconds ?? 0) * 1000;
    while (batch.length < options.batchSize && Date.now() < closes && !abort.signal.aborted) {
      const more = await receive(options.batchSize - batch.length, Math.min(waitTimeSeconds, Math.ceil((closes - Date.now()) / 1000)));
      batch.push(...(more.Messages ?? []));
    }
    return batch;
  }

  const poll = async () => {
    while (!abort.signal.aborted) {
      try {
        const received = await receive(options.batchSize, waitTimeSeconds);
        if (received.Messages?.length) await deliver(options.batchingWindowSeconds ? await gather(received.Messages) : received.Messages);
      } catch (error) {
        if (abort.signal.aborted) break;
        options.onError?.(`polling ${options.functionName} failed`, error);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 1 }, poll);

  return {
    async stop() {
      abort.abort();
      await Promise.all(loops);
    },
  };
}
