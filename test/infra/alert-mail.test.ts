import { alertMailSender } from '../../infra/aws/alerts-flow';
import { actionsOf, functionsOf, resources, synth } from './synth';

const DISPATCHER = 'functions/alerts/dispatch.ts';
const MAIL_EVENTS = 'functions/alerts/mail-events.ts';

describe('alert e-mail through SES (issue #16)', () => {
  describe('with alertMailFrom', () => {
    // Prepare
    const { alertsTemplate, platformTemplate } = synth(undefined, { alertMailFrom: 'alerts@example.org' });
    const template = alertsTemplate!;
    const functions = functionsOf(template);
    const setId = resources(template, 'AWS::SES::ConfigurationSet')[0]?.[0];
    const sesStatements = (entry: string) => functions.get(entry)!.statements.filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));

    it('builds the configuration set, with bounces and complaints to a TLS-only topic, in the alerts nested stack', () => {
      // Act
      const destinations = resources(template, 'AWS::SES::ConfigurationSetEventDestination');
      const topics = resources(template, 'AWS::SNS::Topic');

      // Assess
      expect(resources(platformTemplate, 'AWS::SES::ConfigurationSet')).toEqual([]);
      expect(resources(template, 'AWS::SES::ConfigurationSet')[0]![1].Properties).toMatchObject({
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
      expect(destinations.map(([, d]) => d.Properties)).toEqual([
        {
          ConfigurationSetName: { Ref: setId },
          EventDestination: {
            Enabled: true,
            MatchingEventTypes: ['bounce', 'complaint'],
            SnsDestination: { TopicARN: { Ref: topics[0]![0] } },
          },
        },
      ]);
      expect(resources(template, 'AWS::SNS::TopicPolicy').map(([, p]) => JSON.stringify(p.Properties))).toEqual([
        expect.stringContaining('aws:SecureTransport'),
      ]);
    });

    it('gives the dispatcher the sender and the configuration set, and ses:SendEmail on just those', () => {
      // Act
      const dispatcher = functions.get(DISPATCHER)!;
      const statements = sesStatements(DISPATCHER);

      // Assess
      expect((dispatcher.properties['Environment'] as { Variables: Record<string, unknown> }).Variables).toMatchObject({
        ALERTS_MAIL_FROM: 'alerts@example.org',
        ALERTS_SES_CONFIGURATION_SET: { Ref: setId },
      });
      expect(statements).toHaveLength(1);
      expect(actionsOf(statements[0]!)).toEqual(['ses:SendEmail']);
      const arns = JSON.stringify(statements[0]!.Resource);
      expect(arns).toContain(':identity/alerts@example.org');
      expect(arns).toContain(':identity/example.org');
      expect(arns).toContain(':configuration-set/');
      expect(arns).toContain(`"Ref":"${setId}"`);
      expect(arns).not.toContain('*');
    });

    it('subscribes the mail events function to the topic, with write on the directory table only', () => {
      // Prepare
      const topicId = resources(template, 'AWS::SNS::Topic')[0]![0];

      // Act
      const consumer = functions.get(MAIL_EVENTS)!;
      const subscriptions = resources(template, 'AWS::SNS::Subscription').map(([, p]) => p.Properties);

      // Assess
      expect(subscriptions).toEqual([
        { Protocol: 'lambda', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [consumer.logicalId, 'Arn'] } },
      ]);
      const actions = consumer.statements.flatMap(actionsOf);
      expect(actions.some((a) => a.startsWith('ses:') || a.startsWith('sqs:') || a.startsWith('s3:'))).toBe(false);
      expect(actions).toContain('dynamodb:PutItem');
    });

    it('lets no other function send mail', () => {
      // Act
      const senders = [...functions.keys()].filter((entry) => sesStatements(entry).length > 0);

      // Assess
      expect(senders).toEqual([DISPATCHER]);
    });
  });

  it('without alertMailFrom, builds no SES resource and leaves the dispatcher without a sender', () => {
    // Prepare
    const { alertsTemplate } = synth();

    // Act
    const dispatcher = functionsOf(alertsTemplate!).get(DISPATCHER)!;

    // Assess
    expect(resources(alertsTemplate!, 'AWS::SES::ConfigurationSet')).toEqual([]);
    expect(resources(alertsTemplate!, 'AWS::SNS::Topic')).toEqual([]);
    expect(functionsOf(alertsTemplate!).has(MAIL_EVENTS)).toBe(false);
    const variables = (dispatcher.properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect([variables['ALERTS_SES_CONFIGURATION_SET'], variables['ALERTS_MAIL_FROM']]).toEqual([undefined, undefined]);
    expect(dispatcher.statements.flatMap(actionsOf).filter((a) => a.startsWith('ses:'))).toEqual([]);
  });

  it('takes an address or a domain as the sender', () => {
    expect(alertMailSender('soc@example.org')).toEqual({ from: 'soc@example.org', identities: ['soc@example.org', 'example.org'] });
    expect(alertMailSender('example.org')).toEqual({ from: 'alerts@example.org', identities: ['alerts@example.org', 'example.org'] });
    expect(() => alertMailSender('not an address')).toThrow(/address or a domain/);
  });
});
