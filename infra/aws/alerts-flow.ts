import { NestedStack, type NestedStackProps, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ConfigurationSet, EmailSendingEvent, EventDestination, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
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
  /**
   * The sender of alert e-mail: an address, or a domain (mail then comes from `alerts@<domain>`), that the operator has
   * verified as an SES identity. Unset: no SES resources, and e-mail deliveries fail with "e-mail is not configured".
   */
  mailFrom?: string;
}

/** The From address of alert mail and the SES identities that may authorise it (the address's own, or its domain's). */
export function alertMailSender(mailFrom: string): { from: string; identities: string[] } {
  const from = mailFrom.includes('@') ? mailFrom : `alerts@${mailFrom}`;
  const domain = from.slice(from.lastIndexOf('@') + 1);
  if (!/^[^@\s]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(from)) throw new Error(`alertMailFrom must be an address or a domain, got ${mailFrom}`);
  return { from, identities: [...new Set([from, domain])] };
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
  /** SES's bounce and complaint events for alert mail, when the deployment sends e-mail (`mailFrom`). */
  readonly mailEvents?: Topic;
  readonly mailConfigurationSet?: ConfigurationSet;

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
    if (props.mailFrom) {
      const { configurationSet, events } = this.sesMail(dispatcher.fn, props.mailFrom);
      // The events' consumer: a permanent bounce or a complaint disables the subscription (functions/alerts/mail-events.ts).
      if (topology.alertMailEvents) {
        const definition = topology.alertMailEvents;
        const fn = new HandlerFunction(this, functionId(definition.entry), { ...common, definition }).fn;
        events.addSubscription(new LambdaSubscription(fn));
        this.functions.set(definition.entry, fn);
      }
      this.mailConfigurationSet = configurationSet;
      this.mailEvents = events;
    }
  }

  /**
   * E-mail through SES (issue #16): a configuration set whose bounces and complaints go to a topic, and the dispatcher
   * (the only function that sends mail; escalation queues to it) allowed to send from the identity with that set only.
   */
  private sesMail(dispatcher: IFunction & { addEnvironment(key: string, value: string): unknown }, mailFrom: string) {
    const { from, identities } = alertMailSender(mailFrom);
    const events = new Topic(this, 'MailEvents', { displayName: 'Kyoyu alert mail bounces and complaints', enforceSSL: true });
    Validations.of(events).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The topic carries SES bounce and complaint notifications (recipient addresses and diagnostics, no shared ' +
        'intelligence); SES cannot publish to a topic encrypted with the AWS-managed SNS key.',
    });
    const configurationSet = new ConfigurationSet(this, 'MailConfigurationSet', {
      // The account's suppression list keeps SES from retrying addresses that bounced or complained.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(events),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    const { partition, region, account } = Stack.of(this);
    dispatcher.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          ...identities.map((identity) => `arn:${partition}:ses:${region}:${account}:identity/${identity}`),
          `arn:${partition}:ses:${region}:${account}:configuration-set/${configurationSet.configurationSetName}`,
        ],
      }),
    );
    dispatcher.addEnvironment('ALERTS_MAIL_FROM', from);
    dispatcher.addEnvironment('ALERTS_SES_CONFIGURATION_SET', configurationSet.configurationSetName);
    return { configurationSet, events };
  }

  /** The flow's alarms, to the platform's topic: its DLQ, and errors and throttles of its functions. */
  alarmTo(topic: ITopic): void {
    addAlarms(this, topic, {
      deadLetterQueues: { [this.dispatcherName]: this.deadLetterQueue },
      functions: Object.fromEntries([...this.functions].map(([entry, fn]) => [functionId(entry), fn])),
    });
  }
}
