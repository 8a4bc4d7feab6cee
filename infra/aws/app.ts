import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildKyoyu, type KyoyuOptions } from './kyoyu';
import { TOPOLOGY } from './topology-input';

/**
 * The CDK app (cdk.json → infra/aws/synth.mjs → this). Options come from context, e.g.
 * `npx cdk deploy --all -c alarmEmail=ops@example.org -c domainName=taxii.example.org -c certificateArn=arn:… -c alertMailFrom=alerts@example.org`.
 */
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
};
const number = (key: string): number | undefined => {
  const value = context(key);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`Context ${key} must be a positive number, got ${value}`);
  return parsed;
};

const removal = context('removalPolicy');
if (removal && removal !== 'retain' && removal !== 'destroy') throw new Error('Context removalPolicy must be retain or destroy');
const domainName = context('domainName');
const certificateArn = context('certificateArn');
if (Boolean(domainName) !== Boolean(certificateArn)) throw new Error('Context domainName and certificateArn go together');

const account = process.env['CDK_DEFAULT_ACCOUNT'];
const region = process.env['CDK_DEFAULT_REGION'];
const options: KyoyuOptions = {
  ...(account || region ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } } : {}),
  ...(context('prefix') ? { prefix: context('prefix')! } : {}),
  removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  ...(number('logRetentionDays') !== undefined ? { logRetentionDays: number('logRetentionDays')! } : {}),
  ...(context('alarmEmail') ? { alarmEmail: context('alarmEmail')! } : {}),
  ...(number('throttlingRateLimit') !== undefined ? { throttlingRateLimit: number('throttlingRateLimit')! } : {}),
  ...(number('throttlingBurstLimit') !== undefined ? { throttlingBurstLimit: number('throttlingBurstLimit')! } : {}),
  ...(domainName && certificateArn ? { domain: { domainName, certificateArn } } : {}),
  ...(context('alertMailFrom') ? { alertMailFrom: context('alertMailFrom')! } : {}),
};

buildKyoyu(app, TOPOLOGY, options);
// cdk-nag (v3: a policy validation plugin): synthesis fails on any unacknowledged AwsSolutions error
// (test/infra/nag.test.ts proves there are none).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
