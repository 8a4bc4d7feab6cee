import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startQueuePoller, type QueuePoller } from '../../infra/local/queue-poller';
import { localClients } from '../../infra/local/platform';
import { testEndpoints, uniquePrefix } from '../support/emulators';

const { sqs } = localClients(testEndpoints());
let poller: QueuePoller | undefined;
afterEach(async () => poller?.stop());
afterAll(() => sqs.destroy());

async function queueWithDlq(maxReceiveCount: number) {
  const prefix = uniquePrefix('poller');
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['QueueArn'] }))).Attributes!
    .QueueArn!;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: prefix,
      Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
    }),
  );
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl!, AttributeNames: ['QueueArn'] }))).Attributes!
    .QueueArn!;
  return { url: queue.QueueUrl!, arn, dlqUrl: dlq.QueueUrl! };
}

async function send(url: string, bodies: string[]) {
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })) }));
}

async function drain(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    bodies.push(...(r.Messages ?? []).map((m) => m.Body!));
  }
  return bodies.sort();
}

const until = async (what: string, check: () => boolean, ms = 15000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('queue poller (Lambda SQS event source semantics on fauxqs)', () => {
  it('deletes delivered records, redelivers the ones named in batchItemFailures, and redrives them to the DLQ', async () => {
    const queue = await queueWithDlq(2);
    const deliveries: Array<{ body: string; receiveCount: string }> = [];
    poller = startQueuePoller({
      functionName: 'test-stage',
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 10,
      timeoutSeconds: 1,
      sqs,
      handler: async (event) => {
        const records = (event as SQSEvent).Records;
        for (const r of records) deliveries.push({ body: r.body, receiveCount: r.attributes.ApproximateReceiveCount });
        const response: SQSBatchResponse = {
          batchItemFailures: records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })),
        };
        return response;
      },
    });

    await send(queue.url, ['ok-1', 'poison', 'ok-2']);
    await until('two receives of the poison message', () => deliveries.filter((d) => d.body === 'poison').length >= 2);
    await new Promise((r) => setTimeout(r, 1500)); // a third receive would happen here if redrive failed
    await poller.stop();
    poller = undefined;

    expect(
      deliveries
        .filter((d) => d.body.startsWith('ok'))
        .map((d) => d.body)
        .sort(),
    ).toEqual(['ok-1', 'ok-2']);
    expect(deliveries.filter((d) => d.body === 'poison').map((d) => d.receiveCount)).toEqual(['1', '2']);
    expect(await drain(queue.url)).toEqual([]);
    expect(await drain(queue.dlqUrl)).toEqual(['poison']);
  });

  it('retries the whole batch when the handler throws', async () => {
    const queue = await queueWithDlq(5);
    let calls = 0;
    const delivered: string[] = [];
    poller = startQueuePoller({
      functionName: 'flaky-stage',
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 10,
      timeoutSeconds: 1,
      sqs,
      handler: async (event) => {
        calls += 1;
        if (calls === 1) throw new Error('transient failure');
        delivered.push(...(event as SQSEvent).Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
    });

    await send(queue.url, ['a', 'b']);
    await until('both messages after the retry', () => delivered.length >= 2);

    expect(delivered.sort()).toEqual(['a', 'b']);
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
