import { App } from 'aws-cdk-lib';
import { TOPOLOGY, type Topology } from '../../infra/aws/topology-input';
import { queueEnv } from '../../shared/runtime/resource-env';
import { actionsOf, functionsOf, resources, synth, syntheticTopology } from './synth';
import { buildKyoyu } from '../../infra/aws/kyoyu';

describe.each([
  ['the topology', TOPOLOGY],
  ['a synthetic topology', syntheticTopology()],
])('pipeline from %s', (_name, topology) => {
  const { platformTemplate: template } = synth(topology);
  const functions = functionsOf(template);
  const queues = resources(template, 'AWS::SQS::Queue');
  // The audit appender's queue is in the audit flow's nested stack (test/infra/audit.test.ts).
  const consumers = topology.stages;
  const queueId = (stage: string, kind: 'Queue' | 'DeadLetterQueue') => {
    const pascal = stage[0]!.toUpperCase() + stage.slice(1);
    const found = queues.find(([id]) => new RegExp(`^${pascal}Stage${kind}[0-9A-F]{8}$`).test(id));
    if (!found) throw new Error(`No ${kind} for ${stage}`);
    return found;
  };

  it('gives every queue that is not a dead-letter queue a redrive policy to its own DLQ', () => {
    const deadLetterIds = new Set(consumers.map((s) => queueId(s.name, 'DeadLetterQueue')[0]));
    const live = queues.filter(([id]) => !deadLetterIds.has(id));
    expect(live.length).toBe(consumers.length);
    for (const stage of consumers) {
      const [id, queue] = queueId(stage.name, 'Queue');
      expect([id, queue.Properties['RedrivePolicy']]).toEqual([
        id,
        {
          deadLetterTargetArn: { 'Fn::GetAtt': [queueId(stage.name, 'DeadLetterQueue')[0], 'Arn'] },
          maxReceiveCount: stage.queue.maxReceiveCount,
        },
      ]);
    }
    for (const [id, queue] of queues) expect([id, queue.Properties['SqsManagedSseEnabled']]).toEqual([id, true]);
  });

  it('refuses plain HTTP on every queue', () => {
    const policies = resources(template, 'AWS::SQS::QueuePolicy');
    for (const [queue] of queues) {
      const policy = policies.find(([, p]) => JSON.stringify(p.Properties['Queues']).includes(`"${queue}"`));
      expect([queue, JSON.stringify(policy?.[1].Properties['PolicyDocument'])]).toEqual([
        queue,
        expect.stringContaining('"aws:SecureTransport":"false"'),
      ]);
    }
  });

  it('hides a received message for at least 6 × its function timeout', () => {
    for (const stage of consumers) {
      const [, queue] = queueId(stage.name, 'Queue');
      const fn = functions.get(stage.entry)!;
      expect(queue.Properties['VisibilityTimeout'] as number).toBeGreaterThanOrEqual(6 * (fn.properties['Timeout'] as number));
      expect(queue.Properties['VisibilityTimeout']).toBe(stage.queue.visibilityTimeoutSeconds);
    }
  });

  it('feeds each stage function from its queue with partial batch responses and bounded concurrency', () => {
    const mappings = resources(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBe(consumers.length);
    for (const stage of consumers) {
      const mapping = mappings.find(([, m]) => JSON.stringify(m.Properties['EventSourceArn']).includes(queueId(stage.name, 'Queue')[0]));
      expect([stage.name, mapping?.[1].Properties]).toEqual([
        stage.name,
        expect.objectContaining({
          FunctionName: { Ref: functions.get(stage.entry)!.logicalId },
          BatchSize: stage.queue.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: stage.queue.maxConcurrency },
          ...(stage.queue.batchingWindowSeconds ? { MaximumBatchingWindowInSeconds: stage.queue.batchingWindowSeconds } : {}),
        }),
      ]);
    }
  });

  it('lets each stage send to the next stage only (and dedupe to itself, to wait), and the POST route to the first', () => {
    topology.stages.forEach((stage, i) => {
      const fn = functions.get(stage.entry)!;
      const next = topology.stages[i + 1];
      // Besides the next stage, a stage that commits (a use of the alerts queue) raises alerts: the alerts flow's queue.
      const alerts = stage.uses.queues?.includes('alerts') ? ['alerts'] : [];
      // Dedupe alone puts a report back on its own queue, to wait for the object it would be merged into.
      const own = stage.name === 'dedupe' ? [stage.name] : [];
      expect([stage.name, stage.uses.queues?.includes(stage.name) ?? false]).toEqual([stage.name, own.length > 0]);
      const sends = fn.statements.filter((s) => actionsOf(s).includes('sqs:SendMessage')).map((s) => JSON.stringify(s.Resource));
      expect([stage.name, sends.filter((s) => !s.includes('AlertsNestedStack')).sort()]).toEqual([
        stage.name,
        [...own, ...(next ? [next.name] : [])].map((name) => JSON.stringify({ 'Fn::GetAtt': [queueId(name, 'Queue')[0], 'Arn'] })).sort(),
      ]);
      expect([stage.name, sends.filter((s) => s.includes('AlertsNestedStack')).length]).toEqual([stage.name, alerts.length]);
      const variables = (fn.properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect([
        stage.name,
        Object.keys(variables)
          .filter((v) => v.startsWith('QUEUE_URL_'))
          .sort(),
      ]).toEqual([stage.name, [...(next ? [queueEnv(next.name)] : []), ...own.map(queueEnv), ...alerts.map(queueEnv)].sort()]);
    });
    const post = topology.routes.find((r) => r.method === 'POST' && r.path.endsWith('/objects/'))!;
    const first = topology.stages[0]!;
    expect(post.uses.queues).toEqual([first.name]);
    const sends = functions.get(post.entry)!.statements.filter((s) => actionsOf(s).includes('sqs:SendMessage'));
    expect(sends.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId(first.name, 'Queue')[0], 'Arn'] }]);
  });
});

describe('pipeline guard rails', () => {
  it('refuses a stage whose visibility timeout is under 6 × its function timeout', () => {
    const [first, ...rest] = TOPOLOGY.stages;
    const bad: Topology = {
      ...TOPOLOGY,
      stages: [{ ...first!, queue: { ...first!.queue, visibilityTimeoutSeconds: 5 * first!.timeoutSeconds } }, ...rest],
    };
    expect(() => buildKyoyu(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), bad)).toThrow(/6 × the function timeout/);
  });
});
