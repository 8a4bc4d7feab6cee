import { NestedStack, type NestedStackProps, type RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { functionId, functionsByEntry, HandlerFunction, type PlatformResources } from './handler-function';
import { addAlarms } from './observability';
import { PipelineStage } from './pipeline-stage';
import type { Topology } from './topology-input';
import type { RouteDefinition } from '../topology';

export interface AlertsFlowProps extends NestedStackProps {
  topology: Topology & { alertDispatcher: NonNullable<Topology['alertDispatcher']> };
  /** Shared with the platform stack: the alerts queue is registered here for the functions that raise alerts. */
  resources: PlatformResources;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/** The route functions of alerts: subscriptions, the ledger, the acknowledgement link. */
export const isAlertRoute = (route: Pick<RouteDefinition, 'entry'>): boolean =>
  route.entry.startsWith('functions/alerts/') || route.entry === 'functions/admin/alerts.ts';

/**
 * Alerts (issue #16) as on the diagram: the alerts queue and its dispatcher (built like a pipeline stage, sending
 * what finally fails to its own DLQ), and the functions behind the alert routes (the API's methods stay in the
 * platform stack). A nested stack, like the audit flow, to keep the platform under CloudFormation's 500 resources.
 */
export class AlertsFlow extends NestedStack {
  /** The functions behind alert routes, by entry: the platform's API integrates them. */
  readonly routeFunctions = new Map<string, IFunction>();
  private readonly functions = new Map<string, IFunction>();
  private readonly deadLetterQueue: IQueue;
  private readonly dispatcherName: string;

  constructor(scope: Construct, id: string, props: AlertsFlowProps) {
    super(scope, id, props);
    const { topology, resources } = props;
    const common = { topology, resources, logRetention: props.logRetention, removalPolicy: props.removalPolicy };
    const dispatcher = new PipelineStage(this, `${functionId(topology.alertDispatcher.name)}Stage`, {
      ...common,
      stage: topology.alertDispatcher,
    });
    dispatcher.deadLetterQueue.grantSendMessages(dispatcher.fn);
    this.deadLetterQueue = dispatcher.deadLetterQueue;
    this.dispatcherName = topology.alertDispatcher.name;
    this.functions.set(topology.alertDispatcher.entry, dispatcher.fn);
    for (const [entry, definition] of functionsByEntry(topology.routes.filter(isAlertRoute))) {
      const fn = new HandlerFunction(this, functionId(entry), { ...common, definition }).fn;
      this.routeFunctions.set(entry, fn);
      this.functions.set(entry, fn);
    }
  }

  /** The flow's alarms, to the platform's topic: its DLQ, and errors and throttles of its functions. */
  alarmTo(topic: ITopic): void {
    addAlarms(this, topic, {
      deadLetterQueues: { [this.dispatcherName]: this.deadLetterQueue },
      functions: Object.fromEntries([...this.functions].map(([entry, fn]) => [functionId(entry), fn])),
    });
  }
}
