import { Duration, NestedStack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNNEL_COUNTS } from '../../shared/core/pipeline/funnel';
import { METRICS_NAMESPACE } from '../../shared/runtime/observability-env';

/** Names of the funnel metrics the stage runner emits (shared/runtime/observability.ts publishFunnel, embedded metric format). */
export const FUNNEL_METRICS = FUNNEL_COUNTS;
export const FUNNEL_NAMESPACE = METRICS_NAMESPACE;

export interface ObservabilityProps {
  stageNames: string[];
  deadLetterQueues: Record<string, IQueue>;
  functions: Record<string, IFunction>;
}

/**
 * One alarm per dead-letter queue (anything waiting) and two per function (errors, throttles), to `topic`, in `scope`:
 * the platform's own and, in its nested stack, the audit flow's.
 */
export function addAlarms(scope: Construct, topic: ITopic, props: Pick<ObservabilityProps, 'deadLetterQueues' | 'functions'>): void {
  const action = new SnsAction(topic);
  const alarm = (alarmId: string, metric: IMetric, description: string) => {
    new Alarm(scope, alarmId, {
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    }).addAlarmAction(action);
  };
  for (const [stage, dlq] of Object.entries(props.deadLetterQueues)) {
    alarm(
      `${stage}DeadLetters`,
      dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      `Messages of the ${stage} stage are waiting in its dead-letter queue (kyoyu dlq list ${stage})`,
    );
  }
  for (const [name, fn] of Object.entries(props.functions)) {
    alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }), `${name} failed invocations`);
    alarm(`${name}Throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: Stats.SUM }), `${name} throttled invocations`);
  }
}

/** The one SNS topic every alarm goes to, in the platform stack itself: the nested stacks that alarm all refer to it. */
export function alarmTopic(scope: Construct, alarmEmail: string | undefined): Topic {
  const topic = new Topic(scope, 'Alarms', { displayName: 'Kyoyu alarms', enforceSSL: true });
  Validations.of(topic).acknowledge({
    id: 'AwsSolutions-SNS2',
    reason:
      'The topic carries only CloudWatch alarm state changes (alarm names and metric values, no shared intelligence); ' +
      'CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key.',
  });
  if (alarmEmail) topic.addSubscription(new EmailSubscription(alarmEmail));
  return topic;
}

/**
 * The platform's alarms (to `topic`) and the pipeline funnel on a dashboard, in a nested stack of their own: two alarms
 * per function would otherwise take the platform stack past CloudFormation's 500 resources.
 */
export class Observability extends NestedStack {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps & { topic: ITopic }) {
    super(scope, id);
    addAlarms(this, props.topic, props);

    const funnel = (name: string, stage: string) =>
      new Metric({
        namespace: FUNNEL_NAMESPACE,
        metricName: name,
        dimensionsMap: { stage },
        statistic: Stats.SUM,
        period: Duration.minutes(5),
        label: `${stage} ${name}`,
      });
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'Kyoyu-pipeline' });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Pipeline funnel\n${props.stageNames.join(' → ')}: objects received, forwarded, dropped, failed and committed per stage`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Received per stage (the funnel)',
        left: props.stageNames.map((stage) => funnel('received', stage)),
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      ...props.stageNames.map(
        (stage) =>
          new GraphWidget({
            title: stage,
            left: FUNNEL_METRICS.map((name) => funnel(name, stage)),
            width: 24 / Math.min(props.stageNames.length, 4),
          }),
      ),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead letters',
        left: Object.entries(props.deadLetterQueues).map(([stage, dlq]) =>
          dlq.metricApproximateNumberOfMessagesVisible({ label: stage, statistic: Stats.MAXIMUM }),
        ),
        width: 24,
      }),
    );
  }
}
