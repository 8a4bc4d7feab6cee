import { Aspects, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AuditFlow } from './audit-flow';
import type { DataStack } from './data-stack';
import { functionId, functionsByEntry, HandlerFunction, type PlatformResources } from './handler-function';
import { alarmTopic, Observability } from './observability';
import { PipelineStage } from './pipeline-stage';
import { KyoyuApi } from './rest-api';
import { AlertsFlow, isAlertRoute } from './alerts-flow';
import type { Topology } from './topology-input';

export interface PlatformStackProps extends StackProps {
  topology: Topology;
  data: DataStack;
  removalPolicy?: RemovalPolicy;
  /** Days the functions' and the API's logs are kept. */
  logRetentionDays?: number;
  alarmEmail?: string;
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
  domain?: { domainName: string; certificateArn: string };
  /** The sender of alert e-mail, an SES-verified address or domain; unset: e-mail deliveries fail (no SES). */
  alertMailFrom?: string;
}

function retention(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) throw new Error(`logRetentionDays must be one of ${allowed.join(', ')}`);
  return days as RetentionDays;
}

/**
 * The flow, top to bottom as on the diagram: the pipeline stages in order, then the functions behind the API,
 * the API itself, and the alarms and dashboard watching them.
 */
export class PlatformStack extends Stack {
  readonly stages: PipelineStage[];
  readonly functions = new Map<string, IFunction>();
  readonly api: KyoyuApi;
  readonly audit: AuditFlow;
  /** Alarms and the dashboard, a nested stack of their own. */
  readonly observability: Observability;
  /** Alerts' nested stack (issue #16), when the topology has a dispatcher. */
  readonly alerts?: AlertsFlow;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { topology, data } = props;
    this.addStackDependency(data, 'The platform uses the tables, buckets, keys and secrets the data stack exports');
    const common = {
      topology,
      logRetention: retention(props.logRetentionDays ?? 365),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    };
    const resources: PlatformResources = {
      ...data.importInto(this, topology),
      queues: {},
      deadLetterQueues: {},
    };

    // Alerts (their own nested stack): the alerts queue must exist before what raises alerts — the commit stage, the
    // routes and the scheduled functions below.
    const alerts = (this.alerts = topology.alertDispatcher
      ? new AlertsFlow(this, 'Alerts', {
          ...common,
          resources,
          topology: { ...topology, alertDispatcher: topology.alertDispatcher },
          ...(props.alertMailFrom ? { mailFrom: props.alertMailFrom } : {}),
        })
      : undefined);

    // The pipeline: each stage consumes its queue and forwards to the next.
    this.stages = topology.stages.map(
      (stage, i) =>
        new PipelineStage(this, `${functionId(stage.name)}Stage`, { ...common, resources, stage, next: topology.stages[i + 1]?.name }),
    );
    this.stages.reduce((stage, next) => stage.forwardsTo(next));
    for (const stage of this.stages) this.functions.set(topology.stages.find((s) => s.name === stage.name)!.entry, stage.fn);

    // The audit flow (appender, anchor), in its own nested stack: its queue must exist before the functions that send
    // to it (reads, the authorizer).
    this.audit = new AuditFlow(this, 'Audit', { ...common, resources });

    // The API's functions: one per handler entry, however many routes it serves.
    const authorizer = new HandlerFunction(this, 'AuthAuthorizer', { ...common, resources, definition: topology.authorizer }).fn;
    this.functions.set(topology.authorizer.entry, authorizer);
    for (const [entry, definition] of functionsByEntry(topology.routes.filter((r) => !alerts || !isAlertRoute(r)))) {
      this.functions.set(entry, new HandlerFunction(this, functionId(entry), { ...common, resources, definition }).fn);
    }

    this.api = new KyoyuApi(this, 'Api', {
      ...common,
      functions: new Map([...this.functions, ...(alerts?.routeFunctions ?? [])]),
      authorizerFunction: authorizer,
      throttlingRateLimit: props.throttlingRateLimit ?? 100,
      throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
      ...(props.domain ? { domain: props.domain } : {}),
    });

    const topic = alarmTopic(this, props.alarmEmail);
    this.observability = new Observability(this, 'Observability', {
      topic,
      stageNames: topology.stages.map((s) => s.name),
      // The pipeline's; the audit flow alarms on its own (below).
      deadLetterQueues: Object.fromEntries(topology.stages.map((s) => [s.name, resources.deadLetterQueues[s.name]!])),
      functions: Object.fromEntries([...this.functions].map(([entry, fn]) => [functionId(entry), fn])),
    });
    this.audit.alarmTo(topic);
    alerts?.alarmTo(topic);

    // The absolute URLs functions hand out (alert links, discovery's api_roots) name the custom domain, not the
    // execute-api host; every function, nested stacks' included. Without a domain they use the host a request came
    // on, and alerts, which no request carries, link relatively (docs/alerts.md).
    if (props.domain) {
      const publicBaseUrl = `https://${props.domain.domainName}`;
      Aspects.of(this).add({
        visit: (node) => {
          if (node instanceof LambdaFunction) node.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
        },
      });
    }

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.api.url,
      description: 'TAXII discovery is at <ApiUrl>taxii2/; a tenant API root at <ApiUrl><tenant>/',
    });
    if (this.api.domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.api.domain.domainNameAliasDomainName,
        description: `Point ${props.domain!.domainName} (CNAME or alias) at this`,
      });
    }
  }
}
