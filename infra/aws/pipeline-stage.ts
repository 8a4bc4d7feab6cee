import { Duration, Validations } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PipelineStage as StageDefinition } from '../topology';
import { queueEnv } from '../../shared/runtime/resource-env';
import { HandlerFunction, type HandlerFunctionProps } from './handler-function';

export interface PipelineStageProps extends Omit<HandlerFunctionProps, 'definition' | 'queuesWiredElsewhere'> {
  stage: StageDefinition;
  /** The stage after this one, if any: its queue is wired by `then`, not by `uses`. */
  next?: string;
}

/**
 * One stage of the pipeline as on the diagram: its queue (with a dead-letter queue after maxReceiveCount
 * receives), its function, and the event source between them with partial batch responses.
 * `a.forwardsTo(b)` lets a forward to b: send rights on b's queue and b's queue URL in a's environment.
 */
export class PipelineStage extends Construct {
  readonly name: string;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: PipelineStageProps) {
    super(scope, id);
    const { stage } = props;
    // AWS requires a queue feeding a Lambda to hide a message at least 6 × the function's timeout.
    if (stage.queue.visibilityTimeoutSeconds < 6 * stage.timeoutSeconds) {
      throw new Error(
        `Stage ${stage.name}: visibility timeout ${stage.queue.visibilityTimeoutSeconds}s is under 6 × the function timeout ${stage.timeoutSeconds}s`,
      );
    }
    this.name = stage.name;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Room to inspect and redrive (kyoyu dlq) before SQS drops a message: the maximum, 14 days.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This is the dead-letter queue of the ${stage.name} stage; it has none of its own.`,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(stage.queue.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: stage.queue.maxReceiveCount },
    });
    props.resources.queues[stage.name] = this.queue;
    props.resources.deadLetterQueues[stage.name] = this.deadLetterQueue;

    this.fn = new HandlerFunction(this, 'Handler', {
      ...props,
      definition: stage,
      // The next stage's queue does not exist yet: `then` wires it.
      queuesWiredElsewhere: props.next ? [props.next] : [],
    }).fn;
    this.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: stage.queue.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: stage.queue.maxConcurrency,
        ...(stage.queue.batchingWindowSeconds ? { maxBatchingWindow: Duration.seconds(stage.queue.batchingWindowSeconds) } : {}),
      }),
    );
  }

  /** This stage forwards what it keeps to `next`; returns `next`, so stages chain in order. */
  forwardsTo(next: PipelineStage): PipelineStage {
    next.queue.grantSendMessages(this.fn);
    this.fn.addEnvironment(queueEnv(next.name), next.queue.queueUrl);
    return next;
  }
}
