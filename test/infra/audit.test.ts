import { TOPOLOGY } from '../../infra/aws/topology-input';
import { actionsOf, definitionsOf, functionsOf, resources, synth, type SynthesisedFunction } from './synth';

/*
 * The audit log survives a compromised function (README, Audit): the table is append-only for every function, read
 * handlers cannot touch it, only appenders may create MACs, and the anchors sit in a bucket under Object Lock.
 */
const { dataTemplate, platformTemplate } = synth();
const functions = functionsOf(platformTemplate);
const definitions = definitionsOf(TOPOLOGY);

const on = (fn: SynthesisedFunction, text: string): string[] => fn.statements.filter((s) => JSON.stringify(s.Resource).includes(text)).flatMap(actionsOf);
const onAuditTable = (fn: SynthesisedFunction) => on(fn, 'AuditTableName');
const onAnchors = (fn: SynthesisedFunction) => on(fn, 'AnchorsBucketName');
const macActions = (fn: SynthesisedFunction) => on(fn, 'AuditMacKeyArn');

const READ_ROUTES = ['get-objects', 'get-manifest', 'get-object', 'get-versions'].map((name) => `functions/taxii/${name}.ts`);
const VERIFIER = 'functions/admin/audit.ts';

describe('audit log in the stacks', () => {
  it('lets no function update, delete or batch-write the audit table: at most new items, conditionally, by PutItem', () => {
    // Not even the verifier: it reads the log and the anchors, and verifies MACs; nothing it does needs a write.
    for (const fn of functions.values()) {
      const forbidden = onAuditTable(fn).filter((a) => ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'].includes(a));
      expect([fn.entry, forbidden]).toEqual([fn.entry, []]);
    }
    const appenders = [...functions.values()].filter((fn) => onAuditTable(fn).includes('dynamodb:PutItem')).map((fn) => fn.entry);
    expect(appenders).toContain('functions/audit/append.ts');
    expect(appenders).not.toContain(VERIFIER);
  });

  it('gives TAXII read handlers and the authorizer no access to the audit table, only a send on the audit queue', () => {
    const queue = resources(platformTemplate, 'AWS::SQS::Queue').find(([id]) => /^AuditStageQueue[0-9A-F]{8}$/.test(id))![0];
    for (const entry of [...READ_ROUTES, TOPOLOGY.authorizer.entry]) {
      const fn = functions.get(entry)!;
      expect([entry, onAuditTable(fn), macActions(fn)]).toEqual([entry, [], []]);
      const sends = fn.statements.filter((s) => actionsOf(s).includes('sqs:SendMessage')).map((s) => s.Resource);
      expect([entry, sends]).toEqual([entry, [{ 'Fn::GetAtt': [queue, 'Arn'] }]]);
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
    expect(locked.map(([id, b]) => [id.replace(/[0-9A-F]{8}$/, ''), b.Properties['ObjectLockConfiguration'], b.Properties['VersioningConfiguration']])).toEqual([
      ['AnchorsBucket', { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: TOPOLOGY.buckets['anchors']!.objectLockDays } } }, { Status: 'Enabled' }],
    ]);
    const writers = [...functions.values()].filter((fn) => onAnchors(fn).some((a) => a.startsWith('s3:Put'))).map((fn) => fn.entry);
    expect(writers).toEqual(['functions/audit/anchor.ts']);
    for (const fn of functions.values()) expect([fn.entry, onAnchors(fn).filter((a) => a.startsWith('s3:Delete'))]).toEqual([fn.entry, []]);
  });

  it('runs the anchor function on its schedule', () => {
    const [anchor] = TOPOLOGY.scheduled;
    const rules = resources(platformTemplate, 'AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toEqual([
      expect.objectContaining({
        ScheduleExpression: `rate(${anchor!.everyMinutes} minutes)`,
        State: 'ENABLED',
        Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [functions.get(anchor!.entry)!.logicalId, 'Arn'] } })],
      }),
    ]);
  });
});
