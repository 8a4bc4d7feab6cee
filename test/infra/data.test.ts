import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { TOPOLOGY } from '../../infra/aws/topology-input';
import { resources, synth } from './synth';

describe('data stack', () => {
  const { dataTemplate } = synth();

  it('builds every table of the topology with its keys and indexes, on demand, recoverable and encrypted', () => {
    const tables = resources(dataTemplate, 'AWS::DynamoDB::Table');
    for (const definition of Object.values(TOPOLOGY.tables)) {
      dataTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        GlobalSecondaryIndexes: definition.indexes.length
          ? definition.indexes.map((i) => Match.objectLike({ IndexName: i.name }))
          : Match.absent(),
        TimeToLiveSpecification: definition.timeToLiveAttribute
          ? { AttributeName: definition.timeToLiveAttribute, Enabled: true }
          : Match.absent(),
      });
    }
    expect(tables.length).toBe(Object.keys(TOPOLOGY.tables).length);
    for (const [id, table] of tables) {
      expect([id, table.Properties['BillingMode']]).toEqual([id, 'PAY_PER_REQUEST']);
      expect([id, table.Properties['PointInTimeRecoverySpecification']]).toEqual([id, { PointInTimeRecoveryEnabled: true }]);
      expect([id, table.Properties['SSESpecification']]).toEqual([id, { SSEEnabled: true }]);
    }
  });

  it('retains stateful resources by default and lets a prop change that', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret']) {
      for (const [id, r] of Object.entries(dataTemplate.findResources(type))) expect([id, r['DeletionPolicy']]).toEqual([id, 'Retain']);
    }
    const { dataTemplate: disposable } = synth(TOPOLOGY, { removalPolicy: RemovalPolicy.DESTROY });
    for (const [id, r] of Object.entries(disposable.findResources('AWS::DynamoDB::Table')))
      expect([id, r['DeletionPolicy']]).toEqual([id, 'Delete']);
  });

  it('allows no public access to any bucket, and every bucket policy refuses plain HTTP', () => {
    const buckets = resources(dataTemplate, 'AWS::S3::Bucket');
    expect(buckets.length).toBe(Object.keys(TOPOLOGY.buckets).length + 1); // + the access log bucket
    for (const [id, bucket] of buckets) {
      expect([id, bucket.Properties['PublicAccessBlockConfiguration']]).toEqual([
        id,
        { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      ]);
      expect([id, bucket.Properties['VersioningConfiguration']]).toEqual([id, { Status: 'Enabled' }]);
      expect(bucket.Properties['BucketEncryption']).toBeDefined();
    }
    const policies = resources(dataTemplate, 'AWS::S3::BucketPolicy');
    const policedBuckets = policies.map(([, p]) => JSON.stringify(p.Properties['Bucket']));
    for (const [id] of buckets) expect(policedBuckets).toContain(JSON.stringify({ Ref: id }));
    for (const [id, policy] of policies) {
      const statements = (policy.Properties['PolicyDocument'] as { Statement: Array<Record<string, unknown>> }).Statement;
      expect([id, statements]).toEqual([
        id,
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      ]);
      expect(statements.filter((s) => s['Effect'] === 'Allow' && JSON.stringify(s['Principal']).includes('"*"'))).toEqual([]);
    }
  });

  it('expires incomplete uploads and old versions, and logs access to the log bucket', () => {
    const dataBuckets = resources(dataTemplate, 'AWS::S3::Bucket').filter(([, b]) => b.Properties['LoggingConfiguration']);
    expect(dataBuckets.length).toBe(Object.keys(TOPOLOGY.buckets).length);
    for (const [id, bucket] of dataBuckets) {
      expect([id, (bucket.Properties['LifecycleConfiguration'] as { Rules: unknown[] }).Rules[0]]).toEqual([
        id,
        expect.objectContaining({
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          Status: 'Enabled',
        }),
      ]);
    }
  });

  it('expires uploads that were never verified, and everything in a short-lived bucket, and nothing else', () => {
    const uploadAreas = Object.entries(TOPOLOGY.buckets).filter(([, b]) => b.unverifiedUploadPrefix);
    expect(uploadAreas.map(([name]) => name).sort()).toEqual(['attachments', 'samples']);
    // Claim checks hold submissions before anonymisation: they must outlive the DLQ (14 days), and no more than that.
    expect((TOPOLOGY.buckets as Record<string, { expiresAfterDays?: number }>).pipeline?.expiresAfterDays).toBe(16);
    const rulesByBucket = resources(dataTemplate, 'AWS::S3::Bucket')
      .filter(([, b]) => b.Properties['LoggingConfiguration'])
      .map(([, b]) => ({
        prefix: (b.Properties['LoggingConfiguration'] as { LogFilePrefix: string }).LogFilePrefix.replace(/\/$/, ''),
        rules: (b.Properties['LifecycleConfiguration'] as { Rules: Array<Record<string, unknown>> }).Rules,
      }));
    for (const { prefix: bucket, rules } of rulesByBucket) {
      const expiring = rules.filter((r) => r['ExpirationInDays'] !== undefined);
      const definition = (TOPOLOGY.buckets as Record<string, { unverifiedUploadPrefix?: string; expiresAfterDays?: number }>)[bucket]!;
      expect([bucket, expiring]).toEqual([
        bucket,
        [
          ...(definition.unverifiedUploadPrefix
            ? [expect.objectContaining({ Prefix: definition.unverifiedUploadPrefix, ExpirationInDays: 1, Status: 'Enabled' })]
            : []),
          ...(definition.expiresAfterDays
            ? [
                expect.objectContaining({
                  ExpirationInDays: definition.expiresAfterDays,
                  NoncurrentVersionExpiration: { NoncurrentDays: 1 },
                  Status: 'Enabled',
                }),
              ]
            : []),
        ],
      ]);
      expect(expiring.filter((r) => r['Prefix'] === undefined)).toHaveLength(definition.expiresAfterDays ? 1 : 0);
    }
  });

  it('encrypts dedicated-key buckets with their own rotating key, the others with KMS', () => {
    // The audit MAC key is the one other key (test/infra/audit.test.ts); HMAC keys cannot rotate.
    const keys = resources(dataTemplate, 'AWS::KMS::Key').filter(([, k]) => k.Properties['KeySpec'] !== 'HMAC_256');
    const dedicated = Object.entries(TOPOLOGY.buckets).filter(([, b]) => b.dedicatedKey);
    expect(keys.length).toBe(dedicated.length);
    for (const [, key] of keys) expect(key.Properties['EnableKeyRotation']).toBe(true);
    const encryption = resources(dataTemplate, 'AWS::S3::Bucket')
      .filter(([, b]) => b.Properties['LoggingConfiguration'])
      .map(([, b]) => JSON.stringify(b.Properties['BucketEncryption']));
    expect(encryption.filter((e) => e.includes('KMSMasterKeyID')).length).toBe(dedicated.length);
    expect(encryption.every((e) => e.includes('aws:kms'))).toBe(true);
  });

  it('generates each secret: 48+ characters without punctuation', () => {
    const secrets = resources(dataTemplate, 'AWS::SecretsManager::Secret');
    expect(secrets.length).toBe(Object.keys(TOPOLOGY.secrets).length);
    for (const [, secret] of secrets) {
      expect(secret.Properties['GenerateSecretString']).toEqual(
        expect.objectContaining({ PasswordLength: expect.any(Number), ExcludePunctuation: true, IncludeSpace: false }),
      );
      expect((secret.Properties['GenerateSecretString'] as { PasswordLength: number }).PasswordLength).toBeGreaterThanOrEqual(48);
    }
  });
});
