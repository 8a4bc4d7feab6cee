import type { Template } from 'aws-cdk-lib/assertions';
import { TOPOLOGY } from '../../infra/aws/topology-input';
import { queueEnv, tableEnv, bucketEnv, secretEnv } from '../../shared/runtime/resource-env';
import { POWERTOOLS_ENV } from '../../shared/runtime/observability-env';
import {
  actionsOf,
  alertsDefinitionsOf,
  auditDefinitionsOf,
  definitionsOf,
  functionsOf,
  resources,
  synth,
  type SynthesisedFunction,
} from './synth';

/*
 * The audit log survives a compromised function (docs/admin-api.md, "Audit log"): the table is append-only for every function, read
 * handlers cannot touch it, only appenders may create MACs, and the anchors sit in a bucket under Object Lock.
 */
const { dataTemplate, platformTemplate, auditTemplate, alertsTemplate } = synth();
// The platform's functions and those of its nested stacks (the audit flow, alerts), by entry.
const functions = new Map([
  ...functionsOf(platformTemplate),
  ...functionsOf(auditTemplate),
  ...(alertsTemplate ? functionsOf(alertsTemplate) : []),
]);
const definitions = [...definitionsOf(TOPOLOGY), ...auditDefinitionsOf(TOPOLOGY), ...alertsDefinitionsOf(TOPOLOGY)];

const on = (fn: SynthesisedFunction, text: string): string[] =>
  fn.statements.filter((s) => JSON.stringify(s.Resource).includes(text)).flatMap(actionsOf);
const onAuditTable = (fn: SynthesisedFunction) => on(fn, 'AuditTableName');
const onAnchors = (fn: SynthesisedFunction) => on(fn, 'AnchorsBucketName');
const macActions = (fn: SynthesisedFunction) => on(fn, 'AuditMacKeyArn');

const READ_ROUTES = ['get-objects', 'get-manifest', 'get-object', 'get-versions'].map((name) => `functions/taxii/${name}.ts`);
const VERIFIER = 'functions/admin/audit.ts';

describe('audit log in the stacks', () => {
  it('lets no function update, delete or batch-write the audit table: at most new items, conditionally, by PutItem', () => {
    // Not even the verifier: it reads the log and the anchors, and verifies MACs; nothing it does needs a write.
    for (const fn of functions.values()) {
      const forbidden = onAuditTable(fn).filter((a) =>
        ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'].includes(a),
      );
      expect([fn.entry, forbidden]).toEqual([fn.entry, []]);
    }
    const appenders = [...functions.values()].filter((fn) => onAuditTable(fn).includes('dynamodb:PutItem')).map((fn) => fn.entry);
    expect(appenders).toContain('functions/audit/append.ts');
    expect(appenders).not.toContain(VERIFIER);
  });

  it('gives TAXII read handlers and the authorizer no access to the audit table, only a send on the audit queue', () => {
    const queue = resources(auditTemplate, 'AWS::SQS::Queue').find(([id]) => /^AuditStageQueue[0-9A-F]{8}$/.test(id))![0];
    for (const entry of [...READ_ROUTES, TOPOLOGY.authorizer.entry]) {
      const fn = functions.get(entry)!;
      expect([entry, onAuditTable(fn), macActions(fn)]).toEqual([entry, [], []]);
      // The queue's ARN, an output of the audit flow's nested stack.
      const sends = fn.statements
        .filter((s) => actionsOf(s).includes('sqs:SendMessage'))
        .map((s) => s.Resource as { 'Fn::GetAtt': [string, string] });
      const outputs = auditTemplate.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
      expect([entry, sends.map((s) => outputs[s['Fn::GetAtt'][1].replace(/^Outputs\./, '')]?.Value)]).toEqual([
        entry,
        [{ 'Fn::GetAtt': [queue, 'Arn'] }],
      ]);
    }
  });

  it('gives the audit functions exactly the environment their uses declare', () => {
    for (const d of auditDefinitionsOf(TOPOLOGY)) {
      const variables = Object.keys(
        (functions.get(d.entry)!.properties['Environment'] as { Variables: Record<string, unknown> }).Variables,
      ).sort();
      const expected = [
        ...Object.keys(d.uses.tables ?? {}).map(tableEnv),
        ...(d.uses.queues ?? []).map(queueEnv),
        ...Object.keys(d.uses.buckets ?? {}).map(bucketEnv),
        ...(d.uses.auditMac ? [TOPOLOGY.auditMacKey.keyIdEnvVar] : []),
        ...(d.uses.secrets ?? []).map(secretEnv),
        'NODE_OPTIONS',
        ...Object.keys(POWERTOOLS_ENV),
      ].sort();
      expect([d.entry, variables]).toEqual([d.entry, expected]);
    }
  });

  it('feeds the appender from the audit queue in batches, with a DLQ and partial batch responses, and alarms on both', () => {
    const { auditAppender: appender } = TOPOLOGY;
    const queues = resources(auditTemplate, 'AWS::SQS::Queue');
    const [queueId, queue] = queues.find(([id]) => /^AuditStageQueue[0-9A-F]{8}$/.test(id))!;
    const [dlqId] = queues.find(([id]) => /^AuditStageDeadLetterQueue[0-9A-F]{8}$/.test(id))!;
    expect(queue.Properties['RedrivePolicy']).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: appender.queue.maxReceiveCount,
    });
    expect(queue.Properties['VisibilityTimeout']).toBeGreaterThanOrEqual(6 * appender.timeoutSeconds);
    expect(resources(auditTemplate, 'AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties)).toEqual([
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: functions.get(appender.entry)!.logicalId },
        BatchSize: appender.queue.batchSize,
        MaximumBatchingWindowInSeconds: appender.queue.batchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: appender.queue.maxConcurrency },
      }),
    ]);
    const alarms = resources(auditTemplate, 'AWS::CloudWatch::Alarm').map(([, a]) => JSON.stringify(a.Properties));
    expect(alarms.filter((a) => a.includes(dlqId))).toHaveLength(1);
    for (const d of auditDefinitionsOf(TOPOLOGY))
      expect([d.entry, alarms.filter((a) => a.includes(functions.get(d.entry)!.logicalId))]).toEqual([
        d.entry,
        [expect.any(String), expect.any(String)],
      ]);
  });

  it("keeps every stack under CloudFormation's 500 resources", () => {
    const count = (template: Template) => Object.keys(template.toJSON()['Resources'] as object).length;
    for (const [name, template] of [
      ['data', dataTemplate],
      ['platform', platformTemplate],
      ['audit', auditTemplate],
    ] as const) {
      expect([name, count(template) <= 500 ? 'at most 500' : count(template)]).toEqual([name, 'at most 500']);
    }
  });

  it('lets only appenders generate MACs, and exactly the functions that append to the table', () => {
    for (const d of definitions) {
      const fn = functions.get(d.entry)!;
      const appends = onAuditTable(fn).includes('dynamodb:PutItem');
      expect([d.entry, macActions(fn).includes('kms:GenerateMac'), d.uses.auditMac === 'sign']).toEqual([d.entry, appends, appends]);
      expect([d.entry, macActions(fn).filter((a) => a !== 'kms:GenerateMac' && a !== 'kms:VerifyMac')]).toEqual([d.entry, []]);
    }
    expect(macActions(functions.get(VERIFIER)!)).toEqual(['kms:VerifyMac']);
  });

  it('keys the chain with a KMS HMAC key', () => {
    const keys = resources(dataTemplate, 'AWS::KMS::Key').filter(([, k]) => k.Properties['KeyUsage'] === 'GENERATE_VERIFY_MAC');
    expect(keys.map(([, k]) => k.Properties['KeySpec'])).toEqual(['HMAC_256']);
  });

  it('locks the anchors bucket in compliance mode, and lets only the anchor function add to it, never delete', () => {
    const locked = resources(dataTemplate, 'AWS::S3::Bucket').filter(([, b]) => b.Properties['ObjectLockEnabled'] === true);
    expect(
      locked.map(([id, b]) => [
        id.replace(/[0-9A-F]{8}$/, ''),
        b.Properties['ObjectLockConfiguration'],
        b.Properties['VersioningConfiguration'],
      ]),
    ).toEqual([
      [
        'AnchorsBucket',
        {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: TOPOLOGY.buckets['anchors']!.objectLockDays } },
        },
        { Status: 'Enabled' },
      ],
    ]);
    const writers = [...functions.values()].filter((fn) => onAnchors(fn).some((a) => a.startsWith('s3:Put'))).map((fn) => fn.entry);
    expect(writers).toEqual(['functions/audit/anchor.ts']);
    for (const fn of functions.values()) expect([fn.entry, onAnchors(fn).filter((a) => a.startsWith('s3:Delete'))]).toEqual([fn.entry, []]);
  });

  it('runs each scheduled function (the anchor, moderation deadlines) on its own rule', () => {
    const rules = resources(auditTemplate, 'AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toEqual(
      TOPOLOGY.scheduled.map((fn) =>
        expect.objectContaining({
          ScheduleExpression: fn.everyMinutes === 1 ? 'rate(1 minute)' : `rate(${fn.everyMinutes} minutes)`,
          State: 'ENABLED',
          Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [functions.get(fn.entry)!.logicalId, 'Arn'] } })],
        }),
      ),
    );
  });
});
