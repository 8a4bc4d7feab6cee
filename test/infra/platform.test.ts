import { functionId } from '../../infra/aws/handler-function';
import { Match } from 'aws-cdk-lib/assertions';
import { TOPOLOGY } from '../../infra/aws/topology-input';
import type { Access, FunctionDefinition } from '../../infra/topology';
import { bucketEnv, deadLetterQueueEnv, queueEnv, secretEnv, tableEnv } from '../../shared/runtime/resource-env';
import { POWERTOOLS_ENV } from '../../shared/runtime/observability-env';
import { actionsOf, definitionsOf, functionsOf, resources, synth, syntheticTopology, type SynthesisedFunction } from './synth';

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'sqs:SendMessage',
  's3:PutObject',
];

/*
 * Every TAXII function (every route under an API root) counts its requests in the throttle table to enforce each
 * tenant's request limit (infra/topology.ts `throttled`, shared/core/policy/tenant-throttle.ts), so a TAXII function
 * that only reads still writes that one table. "Only reads" sets aside that table and only it, on both sides: the topology's declaration and
 * the statements granting it. "grants table writes exactly where the topology declares them" checks that grant.
 */
const THROTTLE_TABLE = 'throttle';
const accesses = (d: FunctionDefinition): Access[] => [
  ...Object.entries(d.uses.tables ?? {}).flatMap(([table, access]) => (table === THROTTLE_TABLE ? [] : [access])),
  ...Object.values(d.uses.buckets ?? {}),
];
const onlyReads = (d: FunctionDefinition) =>
  accesses(d).every((a) => a === 'read') && !d.uses.queues?.length && !d.uses.deadLetterQueues?.length;
const resourcesOf = (s: SynthesisedFunction['statements'][number]): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const onThrottleTableOnly = (s: SynthesisedFunction['statements'][number]) =>
  resourcesOf(s).every((r) => JSON.stringify(r).includes('ThrottleTableName'));

const expectedEnvironment = (d: FunctionDefinition): string[] =>
  [
    ...Object.keys(d.uses.tables ?? {}).map(tableEnv),
    ...(d.uses.queues ?? []).map(queueEnv),
    ...Object.keys(d.uses.buckets ?? {}).map(bucketEnv),
    ...(d.uses.deadLetterQueues ?? []).map(deadLetterQueueEnv),
    ...(d.uses.secrets ?? []).map(secretEnv),
    ...(d.uses.auditMac ? [TOPOLOGY.auditMacKey.keyIdEnvVar] : []),
    'NODE_OPTIONS',
    ...Object.keys(POWERTOOLS_ENV),
  ].sort();

const pascalOf = (name: string) => name[0]!.toUpperCase() + name.slice(1);
const touches = (fn: SynthesisedFunction, text: string) => fn.statements.filter((s) => JSON.stringify(s.Resource).includes(text));

describe.each([
  ['the topology', TOPOLOGY],
  ['a synthetic topology', syntheticTopology()],
])('platform stack from %s', (_name, topology) => {
  const { platformTemplate: template, methodNotAllowedTemplate, observabilityTemplate } = synth(topology);
  const functions = functionsOf(template);
  const definitions = definitionsOf(topology);

  it('has one function per handler entry, nodejs22.x on arm64, traced, logging JSON, sized from the topology', () => {
    expect([...functions.keys()].sort()).toEqual(definitions.map((d) => d.entry).sort());
    for (const d of definitions) {
      const fn = functions.get(d.entry)!;
      expect([d.entry, fn.properties]).toEqual([
        d.entry,
        expect.objectContaining({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: expect.objectContaining({ LogFormat: 'JSON' }),
          Timeout: d.timeoutSeconds,
          MemorySize: d.memoryMb,
        }),
      ]);
    }
  });

  it('gives each function exactly the environment its uses declare', () => {
    for (const d of definitions) {
      const variables = (functions.get(d.entry)!.properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect([d.entry, Object.keys(variables).sort()]).toEqual([d.entry, expectedEnvironment(d)]);
    }
  });

  it('puts no secret value in any environment: a declared secret arrives as its ARN, exported by the data stack', () => {
    expect(definitions.some((d) => (d.uses.secrets ?? []).length > 0)).toBe(topology === TOPOLOGY);
    for (const d of definitions) {
      const variables = (functions.get(d.entry)!.properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      // A dynamic reference would have CloudFormation write the value into the function's configuration.
      expect([d.entry, JSON.stringify(variables)]).toEqual([
        d.entry,
        expect.not.stringMatching(/resolve:secretsmanager|SecretString|GenerateSecretString/),
      ]);
      for (const secret of d.uses.secrets ?? []) {
        expect([d.entry, variables[secretEnv(secret)]]).toEqual([
          d.entry,
          { 'Fn::ImportValue': expect.stringMatching(new RegExp(`-${pascalOf(secret)}SecretArn$`)) },
        ]);
      }
    }
  });

  it('grants secretsmanager:GetSecretValue, and nothing else on secrets, on exactly the secrets each function declares', () => {
    for (const d of definitions) {
      const onSecrets = functions
        .get(d.entry)!
        .statements.filter(
          (s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')) || JSON.stringify(s.Resource).includes('SecretArn'),
        );
      const granted = onSecrets.flatMap(resourcesOf).map((r) => JSON.stringify(r).match(/-(\w+)SecretArn"/)?.[1] ?? JSON.stringify(r));
      expect([d.entry, onSecrets.flatMap(actionsOf).filter((a) => a !== 'secretsmanager:GetSecretValue')]).toEqual([d.entry, []]);
      expect([d.entry, granted.sort()]).toEqual([d.entry, (d.uses.secrets ?? []).map(pascalOf).sort()]);
    }
  });

  it('grants no write to functions that only read', () => {
    const readers = definitions.filter(onlyReads);
    expect(readers.map((d) => d.entry)).toContain('functions/taxii/discovery.ts');
    for (const d of readers) {
      const actions = functions
        .get(d.entry)!
        .statements.filter((s) => !onThrottleTableOnly(s))
        .flatMap(actionsOf);
      expect([d.entry, actions.filter((a) => WRITE_ACTIONS.includes(a))]).toEqual([d.entry, []]);
    }
  });

  it('grants table writes exactly where the topology declares them', () => {
    for (const d of definitions) {
      const fn = functions.get(d.entry)!;
      for (const table of Object.keys(topology.tables)) {
        const pascal = table[0]!.toUpperCase() + table.slice(1);
        const writes = touches(fn, `${pascal}TableName`).flatMap(actionsOf).includes('dynamodb:PutItem');
        const reads = touches(fn, `${pascal}TableName`).flatMap(actionsOf).includes('dynamodb:GetItem');
        const declared = d.uses.tables?.[table as keyof typeof d.uses.tables];
        const updates = touches(fn, `${pascal}TableName`).flatMap(actionsOf).includes('dynamodb:UpdateItem');
        expect([d.entry, table, reads, writes, updates]).toEqual([
          d.entry,
          table,
          declared !== undefined,
          declared === 'write' || declared === 'append',
          declared === 'write',
        ]);
      }
    }
  });

  it('lets no role but those of samples users read the samples bucket or use its key', () => {
    for (const d of definitions) {
      const fn = functions.get(d.entry)!;
      const usesSamples = d.uses.buckets?.samples !== undefined;
      const samples = [...touches(fn, 'SamplesBucketName'), ...touches(fn, 'SamplesKeyArn')].flatMap(actionsOf);
      if (usesSamples) expect([d.entry, samples]).toEqual([d.entry, expect.arrayContaining(['s3:GetObject*', 'kms:Decrypt'])]);
      else expect([d.entry, samples]).toEqual([d.entry, []]);
    }
    // And no policy other than the functions' (API Gateway's log role, event sources) touches them.
    const others = resources(template, 'AWS::IAM::Policy').filter(([, p]) => !JSON.stringify(p.Properties['Roles']).match(/Function/));
    for (const [id, p] of others) expect([id, JSON.stringify(p.Properties).match(/Samples(BucketName|KeyArn)/)]).toEqual([id, null]);
  });

  it('allows Resource "*" only for X-Ray, which has no resource-level permissions', () => {
    for (const fn of functions.values()) {
      const star = fn.statements.filter((s) => s.Resource === '*');
      expect([fn.entry, star.flatMap(actionsOf).filter((a) => !a.startsWith('xray:'))]).toEqual([fn.entry, []]);
    }
  });

  it('puts every route on its function, behind the authorizer unless public', () => {
    const methods = resources(template, 'AWS::ApiGateway::Method');
    expect(methods.length).toBe(topology.routes.length);
    for (const [id, method] of methods) {
      const route = topology.routes.find(
        (r) =>
          r.method === method.Properties['HttpMethod'] &&
          // Alert routes' functions live in the alerts flow's nested stack: the integration names its output.
          (functions.has(r.entry)
            ? JSON.stringify(method.Properties['Integration']).includes(functions.get(r.entry)!.logicalId)
            : JSON.stringify(method.Properties['Integration']).includes('AlertsNestedStack') &&
              JSON.stringify(method.Properties['Integration']).includes(functionId(r.entry))),
      );
      expect([id, route]).toEqual([id, expect.anything()]);
      expect([id, method.Properties['AuthorizationType']]).toEqual([id, route!.public ? 'NONE' : 'CUSTOM']);
    }
    const paths = resources(template, 'AWS::ApiGateway::Resource').map(([, r]) => String(r.Properties['PathPart']));
    for (const route of topology.routes) {
      for (const segment of route.path.split('/').filter(Boolean)) expect(paths).toContain(segment);
    }
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: `method.request.header.${topology.authorizer.identityHeader}`,
      AuthorizerResultTtlInSeconds: topology.authorizer.resultTtlSeconds,
    });
  });

  it('answers a method a resource does not have with 405 and its methods, from API Gateway itself (RFC 9110 §15.5.6)', () => {
    expect(resources(template, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties['HttpMethod'] === 'ANY')).toEqual([]);
    const refusals = resources(methodNotAllowedTemplate, 'AWS::ApiGateway::Method');
    const paths = [...new Set(topology.routes.map((r) => r.path))];
    expect(refusals.length).toBe(paths.length);
    const allows = refusals.map(([, m]) => {
      const integration = m.Properties['Integration'] as {
        Type: string;
        IntegrationResponses: Array<{ StatusCode: string; ResponseParameters: Record<string, string> }>;
      };
      expect([m.Properties['AuthorizationType'], integration.Type, integration.IntegrationResponses[0]!.StatusCode]).toEqual([
        'NONE',
        'MOCK',
        '405',
      ]);
      return integration.IntegrationResponses[0]!.ResponseParameters['method.response.header.Allow'];
    });
    const expected = paths.map(
      (path) =>
        `'${['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => topology.routes.some((r) => r.path === path && r.method === m)).join(', ')}'`,
    );
    expect(allows.sort()).toEqual(expected.sort());
  });

  it('hands every request body over as bytes (base64), so the functions can refuse invalid UTF-8 (RFC 8259 §8.1)', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
  });

  it('answers any other refusal of API Gateway as a TAXII error, keeping its status', () => {
    const responses = resources(template, 'AWS::ApiGateway::GatewayResponse');
    for (const [kind, body] of Object.entries(topology.defaultGatewayResponses)) {
      // The template is JSON once API Gateway puts the quoted reason in.
      expect(Object.keys(JSON.parse(body.replace('$context.error.messageString', '"a reason"')) as object).sort()).toEqual([
        'description',
        'title',
      ]);
      const found = responses.filter(([, r]) => r.Properties['ResponseType'] === kind).map(([, r]) => r.Properties);
      expect(found).toEqual([
        {
          ResponseType: kind,
          RestApiId: expect.anything(),
          ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/taxii+json;version=2.1'" },
          ResponseTemplates: { 'application/json': body },
        },
      ]);
    }
  });

  it('answers as the local gateway does when API Gateway itself refuses, with a quoted WWW-Authenticate', () => {
    for (const [kind, response] of Object.entries(topology.gatewayResponses)) {
      const headers = Object.fromEntries(
        Object.entries(response.headers).map(([name, value]) => [`gatewayresponse.header.${name}`, `'${value}'`]),
      );
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: kind,
        StatusCode: String(response.status),
        ResponseParameters: Match.objectLike({ ...headers, 'gatewayresponse.header.Content-Type': "'application/taxii+json;version=2.1'" }),
        ResponseTemplates: { 'application/json': JSON.stringify(response.body) },
      });
    }
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.WWW-Authenticate': Match.stringLikeRegexp('^\'Basic realm="kyoyu".*\'$'),
      }),
    });
  });

  it('logs access without request bodies, never traces data, and throttles', () => {
    const stages = resources(template, 'AWS::ApiGateway::Stage');
    expect(stages.length).toBe(1);
    const stage = stages[0]![1];
    const format = String((stage.Properties['AccessLogSetting'] as { Format: string }).Format);
    expect(JSON.parse(format)).toEqual(expect.objectContaining({ requestId: '$context.requestId', status: '$context.status' }));
    expect(format).not.toMatch(/requestBody|\$input\.body|body/i);
    expect(stage.Properties['TracingEnabled']).toBe(true);
    expect(stage.Properties['MethodSettings']).toEqual([
      expect.objectContaining({
        DataTraceEnabled: false,
        MetricsEnabled: true,
        ThrottlingRateLimit: expect.any(Number),
        ThrottlingBurstLimit: expect.any(Number),
      }),
    ]);
  });

  it('alarms on every dead-letter queue and every function', () => {
    // The nested stack names the platform's functions through its parameters: read them back to the functions' ids.
    const nested = resources(template, 'AWS::CloudFormation::Stack').map(
      ([, r]) => r.Properties['Parameters'] as Record<string, unknown> | undefined,
    );
    const passed = Object.assign({}, ...nested.map((p) => p ?? {})) as Record<string, unknown>;
    const resolved = (text: string) =>
      text.replace(/\{"Ref":"([^"]+)"\}/g, (ref, name: string) => (passed[name] === undefined ? ref : JSON.stringify(passed[name])));
    const alarms = resources(observabilityTemplate, 'AWS::CloudWatch::Alarm').map(
      ([, a]) => JSON.parse(resolved(JSON.stringify(a.Properties))) as Record<string, unknown>,
    );
    const dlqAlarms = alarms.filter((a) => a['MetricName'] === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms.length).toBe(topology.stages.length);
    for (const a of dlqAlarms)
      expect(a).toEqual(
        expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [expect.anything()] }),
      );
    for (const metric of ['Errors', 'Throttles']) {
      const alarmed = alarms.filter((a) => a['MetricName'] === metric).map((a) => JSON.stringify(a['Dimensions']));
      for (const fn of functions.values())
        expect([metric, fn.entry, alarmed.some((d) => d.includes(fn.logicalId))]).toEqual([metric, fn.entry, true]);
    }
  });

  it('shows the pipeline funnel per stage on a dashboard', () => {
    const dashboards = resources(observabilityTemplate, 'AWS::CloudWatch::Dashboard');
    expect(dashboards.length).toBe(1);
    const dashboard = dashboards[0]![1];
    const body = JSON.stringify(dashboard.Properties['DashboardBody']).replace(/\\/g, '');
    for (const stage of topology.stages) {
      for (const name of ['received', 'forwarded', 'dropped', 'failed', 'committed']) {
        expect(body).toContain(`["Kyoyu","${name}","stage","${stage.name}"`);
      }
    }
  });
});

describe('platform options', () => {
  it('maps a custom domain at its root, names it in every function (alert links), and subscribes the alarm e-mail', () => {
    const { platformTemplate, alertsTemplate, auditTemplate } = synth(TOPOLOGY, {
      domain: { domainName: 'taxii.example.org', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      alarmEmail: 'soc@example.org',
      throttlingRateLimit: 7,
      throttlingBurstLimit: 9,
    });
    platformTemplate.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'taxii.example.org', SecurityPolicy: 'TLS_1_2' });
    platformTemplate.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: Match.absent() });
    platformTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'soc@example.org' });
    platformTemplate.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 })],
    });
    const functions = [platformTemplate, alertsTemplate!, auditTemplate].flatMap((t) => [...functionsOf(t).values()]);
    const named = functions.map((fn) => [
      fn.entry,
      (fn.properties['Environment'] as { Variables: Record<string, unknown> }).Variables['PUBLIC_BASE_URL'],
    ]);
    expect(functions.length).toBeGreaterThan(30);
    expect(named).toEqual(functions.map((fn) => [fn.entry, 'https://taxii.example.org']));
  });
});
