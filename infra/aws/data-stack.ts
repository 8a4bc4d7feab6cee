import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage, type IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { KeyDefinition } from '../topology';
import type { Topology } from './topology-input';

export interface DataStackProps extends StackProps {
  topology: Topology;
  /** What happens to tables, buckets, keys and secrets when the stack is deleted. RETAIN unless told otherwise. */
  removalPolicy?: RemovalPolicy;
}

const attribute = (key: KeyDefinition) => ({ name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });

/** The stateful half: tables, buckets, keys and secrets. Nothing here is rebuilt when the flow changes. */
export class DataStack extends Stack {
  readonly tables: Record<string, ITable> = {};
  readonly buckets: Record<string, IBucket> = {};
  /** Dedicated keys of buckets with `dedicatedKey` (samples), by bucket name. */
  readonly bucketKeys: Record<string, IKey> = {};
  readonly secrets: Record<string, ISecret> = {};
  /** The audit chain's HMAC key (infra/topology.ts auditMacKey). */
  readonly auditMacKey: Key;
  /** Export names, the data stack's contract with the platform stack. */
  private readonly exportNames = new Map<string, string>();

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const { topology } = props;

    for (const [name, definition] of Object.entries(topology.tables)) {
      const table = new Table(this, `${pascal(name)}Table`, {
        partitionKey: attribute(definition.partitionKey),
        ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.AWS_MANAGED,
        ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
        deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
        removalPolicy,
      });
      for (const index of definition.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        });
      }
      this.tables[name] = table;
    }

    // Server access logs land here; S3 log delivery supports only SSE-S3 on the target bucket.
    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(7), noncurrentVersionExpiration: Duration.days(90) },
        { expiration: Duration.days(365) },
      ],
      removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log target of the other buckets; logging it into itself would loop.',
    });

    for (const [name, definition] of Object.entries(topology.buckets)) {
      let encryption: { encryption: BucketEncryption; encryptionKey?: IKey; bucketKeyEnabled: boolean } = {
        encryption: BucketEncryption.KMS_MANAGED,
        bucketKeyEnabled: true,
      };
      if (definition.dedicatedKey) {
        const key = new Key(this, `${pascal(name)}Key`, {
          description: `Kyoyu ${name} bucket`,
          enableKeyRotation: true,
          removalPolicy,
        });
        this.bucketKeys[name] = key;
        encryption = { encryption: BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true };
      }
      this.buckets[name] = new Bucket(this, `${pascal(name)}Bucket`, {
        ...encryption,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned: true,
        lifecycleRules: [
          { abortIncompleteMultipartUploadAfter: Duration.days(7), noncurrentVersionExpiration: Duration.days(90) },
          // Uploads nobody verified: slots close after an hour, so a day later nothing there is still wanted.
          ...(definition.unverifiedUploadPrefix
            ? [
                {
                  prefix: definition.unverifiedUploadPrefix,
                  expiration: Duration.days(1),
                  noncurrentVersionExpiration: Duration.days(1),
                  abortIncompleteMultipartUploadAfter: Duration.days(1),
                },
              ]
            : []),
          ...('expiresAfterDays' in definition && definition.expiresAfterDays
            ? [{ expiration: Duration.days(definition.expiresAfterDays), noncurrentVersionExpiration: Duration.days(1) }]
            : []),
        ],
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${name}/`,
        // Compliance mode: no one, not the account's root, can remove or overwrite a version before it expires.
        ...('objectLockDays' in definition && definition.objectLockDays
          ? {
              objectLockEnabled: true,
              objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(definition.objectLockDays)),
            }
          : {}),
        removalPolicy,
      });
    }

    this.auditMacKey = new Key(this, 'AuditMacKey', {
      description: 'Kyoyu audit chain MAC (HMAC-SHA-256): appenders may GenerateMac, the verifier only VerifyMac',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy,
    });
    Validations.of(this.auditMacKey).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason:
        'KMS rotates only symmetric encryption keys; an HMAC key cannot rotate automatically, and every MAC of the log must stay verifiable with it.',
    });

    for (const [name, definition] of Object.entries(topology.secrets)) {
      const secret = new Secret(this, `${pascal(name)}Secret`, {
        description: `Kyoyu ${name} secret; comma-separated, newest first, to rotate (docs/operations.md "Operating")`,
        generateSecretString: {
          passwordLength: Math.max(48, definition.minLength),
          excludePunctuation: true,
          includeSpace: false,
        },
        removalPolicy,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'A value is a list, newest first, whose older entries must stay while tokens and sealed records made with them exist; ' +
          'a rotation function would replace the value and lose them. Operators rotate by putting a new value in front (docs/operations.md "Operating"); ' +
          'functions read the secret at cold start and again every few minutes, so the change reaches them without a redeploy.',
      });
      this.secrets[name] = secret;
    }

    for (const [name, table] of Object.entries(this.tables)) this.export(`${pascal(name)}TableName`, table.tableName);
    for (const [name, bucket] of Object.entries(this.buckets)) this.export(`${pascal(name)}BucketName`, bucket.bucketName);
    for (const [name, key] of Object.entries(this.bucketKeys)) this.export(`${pascal(name)}KeyArn`, key.keyArn);
    for (const [name, secret] of Object.entries(this.secrets)) this.export(`${pascal(name)}SecretArn`, secret.secretArn);
    this.export('AuditMacKeyArn', this.auditMacKey.keyArn);
  }

  /** Named exports rather than CDK's generated ones: stable names, the same in tests and in `cdk synth`. */
  private export(id: string, value: string): void {
    const exportName = `${this.stackName}-${id}`;
    new CfnOutput(this, id, { value, exportName });
    this.exportNames.set(id, exportName);
  }

  private imported(id: string): string {
    const name = this.exportNames.get(id);
    if (!name) throw new Error(`Data stack exports no ${id}`);
    return Fn.importValue(name);
  }

  /** The data stack's resources as seen from another stack, through the exports. */
  importInto(scope: Construct, topology: Topology): DataResources {
    const out: DataResources = {
      tables: {},
      buckets: {},
      bucketKeys: {},
      secrets: {},
      auditMacKey: Key.fromKeyArn(scope, 'AuditMacKey', this.imported('AuditMacKeyArn')),
    };
    for (const name of Object.keys(this.tables)) {
      out.tables[name] = Table.fromTableAttributes(scope, `${pascal(name)}Table`, {
        tableName: this.imported(`${pascal(name)}TableName`),
        globalIndexes: (topology.tables[name]?.indexes ?? []).map((i) => i.name),
      });
    }
    for (const name of Object.keys(this.bucketKeys)) {
      out.bucketKeys[name] = Key.fromKeyArn(scope, `${pascal(name)}Key`, this.imported(`${pascal(name)}KeyArn`));
    }
    for (const name of Object.keys(this.buckets)) {
      const encryptionKey = out.bucketKeys[name];
      out.buckets[name] = Bucket.fromBucketAttributes(scope, `${pascal(name)}Bucket`, {
        bucketName: this.imported(`${pascal(name)}BucketName`),
        ...(encryptionKey ? { encryptionKey } : {}),
      });
    }
    for (const name of Object.keys(this.secrets)) {
      out.secrets[name] = Secret.fromSecretCompleteArn(scope, `${pascal(name)}Secret`, this.imported(`${pascal(name)}SecretArn`));
    }
    return out;
  }
}

export interface DataResources {
  tables: Record<string, ITable>;
  buckets: Record<string, IBucket>;
  bucketKeys: Record<string, IKey>;
  secrets: Record<string, ISecret>;
  auditMacKey: IKey;
}

export const pascal = (name: string): string =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
