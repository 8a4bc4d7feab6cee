import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, Stack, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Access, FunctionDefinition } from '../topology';
import { bucketEnv, deadLetterQueueEnv, queueEnv, secretEnv, tableEnv } from '../../shared/runtime/resource-env';
import type { Topology } from './topology-input';
import { POWERTOOLS_ENV } from '../../shared/runtime/observability-env';

/** The repository root: the folder holding package-lock.json, found from here whether bundled or not. */
export const REPO_ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package-lock.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
})();

/** Everything a function may be given by its `uses`. */
export interface PlatformResources {
  tables: Record<string, ITable>;
  buckets: Record<string, IBucket>;
  bucketKeys: Record<string, IKey>;
  secrets: Record<string, ISecret>;
  auditMacKey: IKey;
  /** Stage queues and dead-letter queues, by stage name. */
  queues: Record<string, IQueue>;
  deadLetterQueues: Record<string, IQueue>;
}

export interface HandlerFunctionProps {
  definition: FunctionDefinition;
  topology: Topology;
  resources: PlatformResources;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  /** Queue uses wired elsewhere (a pipeline stage's next queue, by `PipelineStage.then`). */
  queuesWiredElsewhere?: string[];
}

function lookup<T>(map: Record<string, T>, name: string, kind: string): T {
  const found = map[name];
  if (!found) throw new Error(`Topology refers to unknown ${kind} "${name}"`);
  return found;
}

/**
 * One Lambda function for one handler entry: its environment and its IAM grants both come from `uses`, and
 * nothing else — a function that only reads cannot write.
 */
export class HandlerFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const { definition, resources, topology } = props;
    const uses = definition.uses;

    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.fn = new NodejsFunction(this, 'Function', {
      description: `Kyoyu ${definition.entry}`,
      entry: join(REPO_ROOT, definition.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMb,
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environment: {
        // sourceMap: true below is only useful with this.
        NODE_OPTIONS: '--enable-source-maps',
        // Service name, metrics namespace, and no events, responses or errors in logs and traces.
        ...POWERTOOLS_ENV,
      },
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        format: OutputFormat.CJS,
        target: 'node22',
        // Bundle the AWS SDK too: the version the tests ran against, not whichever the runtime ships.
        externalModules: [],
      },
    });

    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions-${id}`, reason });
    acknowledge(
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AWSLambdaBasicExecutionRole allows only logs:CreateLogGroup, CreateLogStream and PutLogEvents: what any function needs to write its logs.',
    );
    acknowledge(
      'IAM5[Resource::*]',
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (test/infra proves no other action has Resource *).',
    );
    acknowledge(
      'L1',
      'The project pins nodejs22.x, the newest runtime it is built and tested for (esbuild target node22); moving to a newer runtime is a deliberate upgrade, not a side effect of a CDK bump.',
    );

    for (const [name, access] of Object.entries(uses.tables ?? {}) as Array<[string, Access]>) {
      const table = lookup(resources.tables, name, 'table');
      this.fn.addEnvironment(tableEnv(name), table.tableName);
      if (access === 'write') table.grantReadWriteData(this.fn);
      else table.grantReadData(this.fn);
      // Append: new items only. PutItem alone (no UpdateItem, DeleteItem, BatchWriteItem); the adapter conditions it
      // on attribute_not_exists, and the MAC and anchors catch an overwrite IAM cannot forbid (docs/admin-api.md, "Audit log").
      if (access === 'append') table.grant(this.fn, 'dynamodb:PutItem');
      if ((topology.tables[name]?.indexes.length ?? 0) > 0) {
        acknowledge(
          `IAM5[Resource::${nagName(Stack.of(this).resolve(table.tableArn))}/index/*]`,
          `Queries of the ${name} table's own global secondary indexes (infra/topology.ts); the wildcard covers index names of this one table only.`,
        );
      }
    }
    for (const stage of uses.queues ?? []) {
      if (props.queuesWiredElsewhere?.includes(stage)) continue;
      const queue = lookup(resources.queues, stage, 'queue');
      this.fn.addEnvironment(queueEnv(stage), queue.queueUrl);
      queue.grantSendMessages(this.fn);
    }
    for (const stage of uses.deadLetterQueues ?? []) {
      const dlq = lookup(resources.deadLetterQueues, stage, 'dead-letter queue');
      this.fn.addEnvironment(deadLetterQueueEnv(stage), dlq.queueUrl);
      dlq.grantConsumeMessages(this.fn);
    }
    // Bucket grants include the bucket's KMS key (decrypt; encrypt too for writers): only users of a
    // dedicated-key bucket ever touch that key.
    for (const [name, access] of Object.entries(uses.buckets ?? {}) as Array<[string, Access]>) {
      const bucket = lookup(resources.buckets, name, 'bucket');
      this.fn.addEnvironment(bucketEnv(name), bucket.bucketName);
      if (access === 'write') bucket.grantReadWrite(this.fn);
      else bucket.grantRead(this.fn);
      // Append: put new objects, never delete (a delete marker could hide the latest anchor from a listing).
      if (access === 'append') bucket.grantPut(this.fn);
      acknowledge(
        `IAM5[Resource::${nagName(Stack.of(this).resolve(bucket.bucketArn))}/*]`,
        `The function ${access === 'read' ? 'reads' : access === 'append' ? 'reads and adds' : 'reads and writes'} objects under generated keys in the ${name} bucket; the wildcard covers that one bucket's objects.`,
      );
      const actions = [
        's3:GetObject*',
        's3:GetBucket*',
        's3:List*',
        ...(access === 'write' ? ['s3:DeleteObject*', 's3:Abort*'] : []),
        ...(access === 'append' ? ['s3:Abort*'] : []),
      ];
      for (const action of actions) {
        acknowledge(
          `IAM5[Action::${action}]`,
          `CDK's ${access === 'read' ? 'grantRead' : access === 'append' ? 'grantRead and grantPut' : 'grantReadWrite'} action group on the ${name} bucket (and nothing else), as the topology declares.`,
        );
      }
      if (resources.bucketKeys[name]) {
        for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
          acknowledge(
            `IAM5[Action::${action}]`,
            `CDK's grant on the ${name} bucket's dedicated key, for this function only, because it uses that bucket.`,
          );
        }
      }
    }
    for (const name of uses.secrets ?? []) {
      const secret = lookup(resources.secrets, name, 'secret');
      lookup(topology.secrets, name, 'secret definition');
      // The ARN, never the value: the function reads the value at cold start (shared/runtime/secrets.ts), so it is
      // in no template, no console view of the function, and a rotation reaches it without a redeploy.
      this.fn.addEnvironment(secretEnv(name), secret.secretArn);
      // GetSecretValue alone (ISecret.grantRead adds DescribeSecret, which the function has no use for). The
      // secrets use Secrets Manager's AWS-managed key, which needs no grant of its own.
      this.fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    }
    // The audit MAC key: its id, and GenerateMac (appenders) or VerifyMac (verifier, anchor function), nothing else.
    if (uses.auditMac) {
      this.fn.addEnvironment(topology.auditMacKey.keyIdEnvVar, resources.auditMacKey.keyArn);
      resources.auditMacKey.grant(this.fn, uses.auditMac === 'sign' ? 'kms:GenerateMac' : 'kms:VerifyMac');
    }
  }
}

/**
 * How cdk-nag names a resource in a finding id (`AwsSolutions-IAM5[Resource::…]`): pseudo parameters and
 * references as `<Name>`, attributes as `<Id.Attr>`, imports by export name. Only what the grants produce.
 */
function nagName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Ref' in v) return `<${String(v['Ref'])}>`;
    if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::ImportValue' in v) return nagName(v['Fn::ImportValue']);
    if ('Fn::Join' in v) {
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(nagName).join(separator);
    }
  }
  throw new Error(`Cannot name ${JSON.stringify(value)} for cdk-nag`);
}

// Moved to infra/topology.ts, where the local platform reads them too; re-exported for the callers here.
export { functionsByEntry, mergeUses } from '../topology';

/** A construct id from a handler path: functions/taxii/get-objects.ts → TaxiiGetObjects. */
export const functionId = (entry: string): string =>
  entry
    .replace(/^functions\//, '')
    .replace(/\.ts$/, '')
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
