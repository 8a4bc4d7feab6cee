import { Duration, NestedStack, type NestedStackProps, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { functionId, HandlerFunction, type PlatformResources } from './handler-function';
import { addAlarms } from './observability';
import { PipelineStage } from './pipeline-stage';
import type { Topology } from './topology-input';

export interface AuditFlowProps extends NestedStackProps {
  topology: Topology;
  /** Shared with the platform stack: the audit queue is registered here for the functions that send to it. */
  resources: PlatformResources;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * The audit log's own flow, as on the diagram: the audit queue and its appender (built like a pipeline stage), then
 * the scheduled functions (topology `scheduled`: the audit anchor, moderation's review deadlines), each on its
 * EventBridge rule. A nested stack of the platform stack: it keeps the platform
 * under CloudFormation's 500 resources per stack (the API's methods, permissions and alarms fill most of it), and
 * CDK wires the references both ways (the read functions' send right on the queue, the alarms' topic).
 */
export class AuditFlow extends NestedStack {
  readonly functions = new Map<string, IFunction>();
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  private readonly appenderName: string;

  constructor(scope: Construct, id: string, props: AuditFlowProps) {
    super(scope, id, props);
    const { topology, resources } = props;
    this.appenderName = topology.auditAppender.name;
    const common = { topology, resources, logRetention: props.logRetention, removalPolicy: props.removalPolicy };

    const appender = new PipelineStage(this, `${functionId(topology.auditAppender.name)}Stage`, {
      ...common,
      stage: topology.auditAppender,
    });
    this.queue = appender.queue;
    this.deadLetterQueue = appender.deadLetterQueue;
    this.functions.set(topology.auditAppender.entry, appender.fn);

    for (const definition of topology.scheduled) {
      const fn = new HandlerFunction(this, functionId(definition.entry), { ...common, definition }).fn;
      new Rule(this, `${functionId(definition.entry)}Schedule`, {
        description: `Runs ${definition.entry} every ${definition.everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(definition.everyMinutes)),
        targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
      });
      this.functions.set(definition.entry, fn);
    }
  }

  /** The flow's alarms, to the platform's topic: its DLQ, and errors and throttles of its functions. */
  alarmTo(topic: ITopic): void {
    addAlarms(this, topic, {
      deadLetterQueues: { [this.appenderName]: this.deadLetterQueue },
      functions: Object.fromEntries([...this.functions].map(([entry, fn]) => [functionId(entry), fn])),
    });
  }
}
