/**
 * The one description of Kyoyu's resources and flow. infra/aws builds the AWS stacks from it and infra/local
 * builds the local platform from it, so the two cannot drift apart. Pure data: no CDK, no SDK.
 */

import { FIRST_STAGE, MAX_RECEIVES, PIPELINE_STAGES, type StageName } from '../shared/core/pipeline/stages';
import { UPLOAD_PREFIX } from '../shared/core/files/keys';

export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
}

export interface TableDefinition {
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  indexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, for records that expire (status resources). */
  timeToLiveAttribute?: string;
}

const S = (name: string): KeyDefinition => ({ name, type: 'S' });

export const tables = {
  /** Tenants, members, users, collections, grants. */
  directory: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [{ name: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') }],
  },
  /**
   * Committed STIX object versions: a collection's timeline in date_added order, each object's versions in
   * version order, and the per-collection clock (shared/adapters/dynamodb/keys.ts). Reads must be strongly
   * consistent, so there is deliberately no index.
   */
  objects: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
  },
  /** The pipeline funnel: per tenant and stage, how many objects were received, forwarded, dropped (by reason), failed. */
  funnel: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
  },
  /**
   * The append-only audit log: one hash chain per tenant in sequence order (shared/core/audit), by time (gsi1) and
   * by member and time (gsi2) for queries. Functions get `append` on it (PutItem, never Update/Delete) or `read`.
   */
  audit: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [
      { name: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') },
      { name: 'gsi2', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk') },
    ],
  },
  /** TAXII status resources of POSTs and their per-object outcomes. */
  statuses: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Attachments and malware samples: one item per file (metadata, state, who may download it; pending upload slots
   * expire by TTL) and one storage-usage counter per tenant (shared/core/files).
   */
  files: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Per-tenant request counts, one item per tenant and minute, expiring minutes later: what the per-tenant limit of
   * every TAXII route is checked against (shared/core/policy/tenant-throttle.ts, see `throttled` below).
   */
  throttle: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
} satisfies Record<string, TableDefinition>;
export type TableName = keyof typeof tables;

export interface QueueDefinition {
  /** Seconds a received message stays invisible; AWS requires ≥ 6 × the consuming function's timeout. */
  visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the queue's DLQ. */
  maxReceiveCount: number;
  /** Lambda event source mapping batch size. */
  batchSize: number;
  /** Instances of the stage's function working the queue at once (event source mapping maximum concurrency). */
  maxConcurrency: number;
  /** Seconds the event source gathers records before invoking (needed for batches over 10). */
  batchingWindowSeconds?: number;
}

export interface BucketDefinition {
  /** Buckets with their own KMS key on AWS (malware samples). */
  dedicatedKey: boolean;
  /**
   * S3 Object Lock on AWS: every object version is kept unchanged for this many days, in compliance mode (no one,
   * not the account's root, can shorten it). The local platform's s3rver has no Object Lock.
   */
  objectLockDays?: number;
  /** Members upload under this prefix; what was never verified and moved out of it expires (shared/core/files/keys.ts). */
  unverifiedUploadPrefix?: string;
  /** Everything in the bucket is transient and expires after this many days (every version). */
  expiresAfterDays?: number;
}

/** SQS keeps a dead letter for at most 14 days (infra/aws/pipeline-stage.ts); a claim must outlive its message. */
const DEAD_LETTER_RETENTION_DAYS = 14;

export const buckets = {
  attachments: { dedicatedKey: false, unverifiedUploadPrefix: UPLOAD_PREFIX },
  samples: { dedicatedKey: true, unverifiedUploadPrefix: UPLOAD_PREFIX },
  /**
   * Claim checks: pipeline messages too large for SQS wait here, referenced from the message. They hold submissions
   * before anonymisation, so they live no longer than the longest a message can wait (its DLQ), plus two days.
   */
  pipeline: { dedicatedKey: false, expiresAfterDays: DEAD_LETTER_RETENTION_DAYS + 2 },
  /**
   * Anchors of the audit chains' heads (shared/core/audit/anchor.ts), locked for seven years: the period an audit
   * record of a sharing community is commonly kept. Written only by the anchor function, which may put, never delete.
   */
  anchors: { dedicatedKey: false, objectLockDays: 7 * 366 },
  /**
   * Exports too large for a Lambda response (shared/core/export/delivery.ts), fetched once through a presigned URL
   * that works for minutes; nothing there is needed the next day.
   */
  exports: { dedicatedKey: false, expiresAfterDays: 1 },
} satisfies Record<string, BucketDefinition>;
export type BucketName = keyof typeof buckets;

/**
 * `append`: read, and add items or objects that do not exist yet — DynamoDB PutItem (the adapter conditions it on
 * attribute_not_exists) or S3 PutObject — with no update and no delete. What the audit log and its anchors get.
 */
export type Access = 'read' | 'append' | 'write';

/** The resources a function touches and how; drives both its environment and its IAM grants. */
export interface ResourceUse {
  tables?: Partial<Record<TableName, Access>>;
  /** Queues the function sends to: pipeline stages, or `audit` (the audit appender's). */
  queues?: string[];
  buckets?: Partial<Record<BucketName, Access>>;
  /** Secrets the function may read (see `secrets`): their ARNs in its environment, a read grant on each. */
  secrets?: SecretName[];
  /** Stages whose dead-letter queue the function reads and empties (receive, delete), for `kyoyu dlq`. */
  deadLetterQueues?: string[];
  /** The audit MAC key (see `auditMacKey`): `sign` for appenders, `verify` for the verifier and the anchor function. */
  auditMac?: 'sign' | 'verify';
}

/**
 * Secrets the platform generates at deploy time, one Secrets Manager secret each. A function declaring one in its
 * `uses` gets only the secret's ARN (locally its name) in the environment variable shared/runtime/resource-env.ts
 * `secretEnv` names, and `secretsmanager:GetSecretValue` on that secret alone; it reads the value at cold start
 * (shared/runtime/secrets.ts). Each value is a comma-separated list, newest first: the first signs or seals, all
 * verify or open (docs/operations.md "Operating": rotation). To add one: an entry here, its name in the `uses` of the functions
 * that need it, and `await c.secretList('<name>')` where it is used; both platforms generate it from this entry.
 *
 * `cursor` seals TAXII `next` tokens (shared/core/taxii/cursor.ts): every read function must share it, and it must
 * outlive deployments, or clients' saved tokens break.
 */
export const secrets = {
  cursor: { minLength: 32 },
  /** Seals originals before anonymisation (shared/adapters/dynamodb/sealed.ts). */
  sealing: { minLength: 32 },
  /** Creates the first platform operator of a fresh deployment (POST /admin/bootstrap), once. */
  bootstrap: { minLength: 32 },
  /** MACs alerts' acknowledgement links (shared/core/alerts/ack-token.ts); rotating it keeps older links valid. */
  alerts: { minLength: 32 },
} as const;
export type SecretName = keyof typeof secrets;

/**
 * The audit chain's MAC key (shared/core/audit/chain.ts). On AWS a KMS HMAC_256 key that never leaves KMS: only the
 * functions with `auditMac: 'sign'` may GenerateMac, those with `verify` only VerifyMac; they get its id in
 * `keyIdEnvVar`. Locally a secret the platform generates, in `secretEnvVar`.
 */
export const auditMacKey = { keyIdEnvVar: 'AUDIT_MAC_KEY_ID', secretEnvVar: 'AUDIT_MAC_SECRETS' } as const;

export interface FunctionDefinition {
  /** Path of the handler file from the repository root; it exports `handler`. */
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  uses: ResourceUse;
}

export interface PipelineStage extends FunctionDefinition {
  name: string;
  queue: QueueDefinition;
}

const STAGE_USES: Record<StageName, ResourceUse> = {
  normalize: { tables: { directory: 'read', statuses: 'write', funnel: 'write' }, queues: ['filter'], buckets: { pipeline: 'write' } },
  // Reads the objects table only to tell a withdrawal (a revoked or expired version of a published object) from a stale object.
  filter: {
    tables: { directory: 'read', objects: 'read', statuses: 'write', funnel: 'write' },
    queues: ['dedupe'],
    buckets: { pipeline: 'write' },
  },
  // Its own queue too: a report of something still on its way to the store waits there for its fate (dedupe.ts).
  dedupe: {
    tables: { directory: 'read', objects: 'write', statuses: 'write', funnel: 'write' },
    queues: ['anonymize', 'dedupe'],
    buckets: { pipeline: 'write' },
  },
  anonymize: {
    tables: { directory: 'read', objects: 'write', statuses: 'write', funnel: 'write' },
    queues: ['commit'],
    secrets: ['sealing'],
    buckets: { pipeline: 'write' },
  },
  // Write on the pipeline bucket: a stage deletes the claim check it consumed (every stage does).
  // The alerts queue: a publication that alerts raises it right after the commit (shared/runtime/alerting-object-store.ts).
  commit: {
    tables: { directory: 'read', objects: 'write', statuses: 'write', funnel: 'write' },
    queues: ['alerts'],
    buckets: { pipeline: 'write' },
  },
};

/** Pipeline stages in order (shared/core/pipeline/stages.ts): each consumes its own queue and forwards to the next. */
export const stages: PipelineStage[] = PIPELINE_STAGES.map((name) => ({
  name,
  entry: `functions/pipeline/${name}.ts`,
  timeoutSeconds: 60,
  memoryMb: 1024,
  // 6 × the timeout, as AWS requires of a queue feeding a Lambda.
  // Commit serialises per collection on its clock: two instances keep it busy without a crowd of retries.
  queue: { visibilityTimeoutSeconds: 360, maxReceiveCount: MAX_RECEIVES, batchSize: 10, maxConcurrency: name === 'commit' ? 2 : 4 },
  uses: STAGE_USES[name],
}));

/**
 * The audit appender: reads and refused credentials arrive on its queue as events; each batch becomes one entry per
 * chain (shared/core/audit/events.ts). It is shaped like a pipeline stage — queue, DLQ, partial batch responses — and
 * built by the same constructs. Batches of up to 100 events gathered for up to a second: fewer, larger entries.
 */
export const auditAppender: PipelineStage = {
  name: 'audit',
  entry: 'functions/audit/append.ts',
  timeoutSeconds: 60,
  memoryMb: 512,
  queue: { visibilityTimeoutSeconds: 360, maxReceiveCount: 5, batchSize: 100, maxConcurrency: 2, batchingWindowSeconds: 1 },
  uses: { tables: { audit: 'append' }, auditMac: 'sign' },
};

/**
 * Alerts (issue #16): one queue carries `raise` messages (sent after every publication that alerts, by whatever
 * commits: the commit stage, moderation, takedowns) and `deliver` messages (one attempt at one channel; retries wait
 * on the queue, re-sent with DelaySeconds — core/alerts/delivery.ts). Deliveries that finally fail are sent to its DLQ
 * by the dispatcher itself, with the reason, and recorded in the ledger. A 1,000-member fan-out is 100 batches of
 * ten; up to 10 instances deliver at once.
 */
export const alertDispatcher: PipelineStage = {
  name: 'alerts',
  entry: 'functions/alerts/dispatch.ts',
  timeoutSeconds: 60,
  memoryMb: 512,
  queue: { visibilityTimeoutSeconds: 360, maxReceiveCount: 5, batchSize: 10, maxConcurrency: 10 },
  // directory write: a 410 from a receiver disables its subscription. sealing: opens webhook secrets.
  uses: {
    tables: { directory: 'write', objects: 'write' },
    queues: ['alerts'],
    deadLetterQueues: ['alerts'],
    secrets: ['sealing', 'alerts'],
  },
};

/** Every function fed by a queue: the pipeline stages, then the audit appender and the alert dispatcher. */
/**
 * SES's bounce and complaint events of alert mail (an SNS topic, built only when the deployment sends e-mail:
 * infra/aws/alerts-flow.ts): a permanent bounce or a complaint disables the subscription (directory write).
 */
export const alertMailEvents: FunctionDefinition = {
  entry: 'functions/alerts/mail-events.ts',
  timeoutSeconds: 30,
  memoryMb: 256,
  uses: { tables: { directory: 'write' } },
};

export const queueConsumers: PipelineStage[] = [...stages, auditAppender, alertDispatcher];

/**
 * The uses of a function that records its acts before answering (shared/core/audit/record.ts: admin changes, file
 * acts, reads of originals): it appends to the audit log (PutItem only) and signs entries with the MAC key.
 */
export const appendsAudit = (uses: ResourceUse): ResourceUse => ({
  ...uses,
  tables: { ...uses.tables, audit: 'append' },
  auditMac: 'sign',
});

export interface ScheduledFunction extends FunctionDefinition {
  name: string;
  /** Runs every this many minutes (an EventBridge rule on AWS, a timer on the local platform). */
  everyMinutes: number;
}

/**
 * The audit anchor: every five minutes, the head of every chain that moved goes to the anchors bucket (Object Lock).
 * The period bounds how much of a chain only its links and MACs protect (shared/core/audit/anchor.ts).
 */
export const scheduled: ScheduledFunction[] = [
  {
    name: 'audit-anchor',
    entry: 'functions/audit/anchor.ts',
    timeoutSeconds: 300,
    memoryMb: 512,
    everyMinutes: 5,
    uses: { tables: { directory: 'read', audit: 'read' }, buckets: { anchors: 'append' }, auditMac: 'verify' },
  },
  {
    // Moderation: a provider's review past its deadline is decided by the collection's policy (withdraw or publish), and
    // a publication whose commit failed is completed once its claim's lease passed (core/moderation/sweeps.ts).
    name: 'moderation-deadlines',
    entry: 'functions/moderation/deadlines.ts',
    timeoutSeconds: 300,
    memoryMb: 512,
    everyMinutes: 5,
    uses: appendsAudit({ tables: { directory: 'read', objects: 'write', statuses: 'write' }, queues: ['alerts'], secrets: ['sealing'] }),
  },
  {
    // Alerts unacknowledged past their collection's deadline reach the members' escalation contacts.
    name: 'alert-escalation',
    entry: 'functions/alerts/escalate.ts',
    timeoutSeconds: 300,
    memoryMb: 512,
    everyMinutes: 1,
    uses: { tables: { directory: 'read', objects: 'write' }, queues: ['alerts'], secrets: ['alerts'] },
  },
];

export interface RouteDefinition extends FunctionDefinition {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /** API Gateway resource path; `{name}` segments are path parameters. */
  path: string;
  /** Routes without the authorizer; none today (TAXII requires authentication everywhere). */
  public?: boolean;
}

/**
 * The uses of a function built on shared/runtime/http.ts `taxiiRoute`, which enforces each tenant's request limit
 * before the use case runs: it counts the request in the throttle table (one UpdateItem) and reads the tenant's
 * limit from the directory (cached per warm container; unset, DEFAULT_TENANT_REQUESTS_PER_MINUTE in
 * shared/core/policy/tenant-throttle.ts). Admin routes are not throttled: operators need them during an incident.
 */
export const throttled = (uses: ResourceUse): ResourceUse => ({
  ...uses,
  tables: { directory: 'read', ...uses.tables, throttle: 'write' },
});

const taxiiRoute = (method: RouteDefinition['method'], path: string, entry: string, uses: ResourceUse): RouteDefinition => ({
  method,
  path,
  entry: `functions/taxii/${entry}.ts`,
  timeoutSeconds: 29,
  memoryMb: 1024,
  uses: throttled(uses),
});

const READ_DIRECTORY: ResourceUse = { tables: { directory: 'read' } };
// Reads are audited (shared/core/audit/events.ts): the read functions send an event on the audit queue and have no
// access to the audit log itself.
const READ_OBJECTS: ResourceUse = { tables: { directory: 'read', objects: 'read' }, queues: ['audit'], secrets: ['cursor'] };
// Exports read like get-objects (audited the same way) and add what is too large to answer to their bucket (put,
// abort a multipart upload, presign a GET; never delete or overwrite another's key).
const EXPORT_OBJECTS: ResourceUse = { ...READ_OBJECTS, buckets: { exports: 'append' } };

type AdminMethod = RouteDefinition['method'];

/** One admin resource: one function (`functions/admin/<entry>.ts`) serving several methods and paths. */
const adminResource = (entry: string, paths: Array<[AdminMethod[], string]>, uses: ResourceUse): RouteDefinition[] =>
  paths.flatMap(([methods, path]) =>
    methods.map((method) => ({ method, path, entry: `functions/admin/${entry}.ts`, timeoutSeconds: 29, memoryMb: 1024, uses })),
  );

const ADMIN_WRITES: ResourceUse = appendsAudit({ tables: { directory: 'write' } });
const MEMBER = '/admin/tenants/{tenant}/members/{member}';

const PIPELINE_OPERATIONS: ResourceUse = appendsAudit({
  tables: { directory: 'read', funnel: 'read' },
  queues: [...PIPELINE_STAGES],
  deadLetterQueues: [...PIPELINE_STAGES],
});

/** The admin API (JSON, docs/admin-api.md), documented by GET /admin/openapi.json. */
export const adminRoutes: RouteDefinition[] = [
  // No authorizer: there is no operator yet to authorise; the route checks the deployment's bootstrap secret itself.
  ...adminResource(
    'bootstrap',
    [[['POST'], '/admin/bootstrap']],
    appendsAudit({ tables: { directory: 'write' }, secrets: ['bootstrap'] }),
  ).map((r) => ({ ...r, public: true })),
  ...adminResource(
    'pipeline',
    [
      [['GET'], '/admin/tenants/{tenant}/stats'],
      [['GET'], '/admin/pipeline/{stage}/dead-letters'],
      [['POST'], '/admin/pipeline/{stage}/dead-letters/redrive'],
    ],
    PIPELINE_OPERATIONS,
  ),
  ...adminResource('openapi', [[['GET'], '/admin/openapi.json']], {}),
  ...adminResource('whoami', [[['GET'], '/admin/whoami']], { tables: { directory: 'read' } }),
  ...adminResource(
    'tenants',
    [
      [['GET', 'POST'], '/admin/tenants'],
      [['GET', 'PATCH', 'DELETE'], '/admin/tenants/{tenant}'],
    ],
    ADMIN_WRITES,
  ),
  ...adminResource(
    'members',
    [
      [['GET', 'POST'], '/admin/tenants/{tenant}/members'],
      [['GET', 'PATCH'], MEMBER],
    ],
    ADMIN_WRITES,
  ),
  ...adminResource(
    'users',
    [
      [['GET', 'POST'], `${MEMBER}/users`],
      [['PATCH', 'DELETE'], `${MEMBER}/users/{username}`],
      [['POST'], `${MEMBER}/users/{username}/rotate`],
    ],
    ADMIN_WRITES,
  ),
  ...adminResource(
    'keys',
    [
      [['GET', 'POST'], `${MEMBER}/keys`],
      [['PATCH', 'DELETE'], `${MEMBER}/keys/{keyId}`],
      [['POST'], `${MEMBER}/keys/{keyId}/rotate`],
    ],
    ADMIN_WRITES,
  ),
  ...adminResource(
    'registry',
    [
      [['GET', 'PUT'], `${MEMBER}/registry`],
      [['POST'], `${MEMBER}/registry/approve`],
      [['POST'], `${MEMBER}/registry/reject`],
    ],
    ADMIN_WRITES,
  ),
  ...adminResource(
    'groups',
    [
      [['GET', 'POST'], '/admin/tenants/{tenant}/groups'],
      [['GET', 'PATCH', 'DELETE'], '/admin/tenants/{tenant}/groups/{group}'],
      [['PUT', 'DELETE'], '/admin/tenants/{tenant}/groups/{group}/members/{member}'],
    ],
    ADMIN_WRITES,
  ),
  ...adminResource(
    'collections',
    [
      [['GET', 'POST'], '/admin/tenants/{tenant}/collections'],
      [['GET', 'PATCH'], '/admin/tenants/{tenant}/collections/{collectionId}'],
    ],
    ADMIN_WRITES,
  ),
  ...adminResource('grants', [[['GET', 'PUT', 'DELETE'], '/admin/tenants/{tenant}/grants']], ADMIN_WRITES),
  ...adminResource(
    'moderation',
    [
      [['GET'], '/admin/tenants/{tenant}/moderation'],
      [['GET'], '/admin/tenants/{tenant}/moderation/{item}'],
      [['POST'], '/admin/tenants/{tenant}/moderation/{item}/decision'],
      [['POST'], '/admin/tenants/{tenant}/moderation/repost'],
      [['GET'], '/admin/tenants/{tenant}/reviews'],
      [['POST'], '/admin/tenants/{tenant}/reviews/{item}'],
      [['PUT'], `${MEMBER}/posting`],
    ],
    // Decisions publish (objects, and raise alerts), tell the provider (statuses) and show originals (sealing); posting is on the member.
    appendsAudit({ tables: { directory: 'write', objects: 'write', statuses: 'write' }, queues: ['alerts'], secrets: ['sealing'] }),
  ),
  ...adminResource(
    'takedowns',
    [
      [['GET', 'POST'], '/admin/tenants/{tenant}/takedowns'],
      [['GET'], '/admin/tenants/{tenant}/takedowns/mine'],
      [['POST'], '/admin/tenants/{tenant}/takedowns/{request}/decision'],
      [['GET', 'POST'], '/admin/tenants/{tenant}/support'],
      [['GET'], '/admin/tenants/{tenant}/support/{request}'],
      [['POST'], '/admin/tenants/{tenant}/support/{request}/messages'],
      [['GET', 'POST'], '/admin/tenants/{tenant}/flags'],
    ],
    // A decision publishes a revocation or a correction (objects), which alerts whoever was alerted; flag decisions
    // live in the objects table too.
    appendsAudit({ tables: { directory: 'read', objects: 'write' }, queues: ['alerts'] }),
  ),
  // Rebuilding the search index writes postings in the objects table from the versions there.
  ...adminResource('search-index', [[['POST'], '/admin/tenants/{tenant}/collections/{collectionId}/search-index']], {
    tables: { directory: 'read', objects: 'write' },
  }),
  // Alerts (issue #16): subscriptions and the ledger, one function. The platform stack is at CloudFormation's 500
  // resources (test/infra): one function and as few path segments as the API allows (POST …/alerts/{alert}
  // acknowledges).
  ...adminResource(
    'alerts',
    [
      [['GET'], '/admin/tenants/{tenant}/subscriptions'],
      [['GET', 'POST'], `${MEMBER}/subscriptions`],
      [['GET', 'PATCH', 'DELETE'], `${MEMBER}/subscriptions/{subscription}`],
      [['POST'], `${MEMBER}/subscriptions/{subscription}/rotate`],
      [['GET'], '/admin/tenants/{tenant}/alerts'],
      [['GET', 'POST'], '/admin/tenants/{tenant}/alerts/{alert}'],
    ],
    // Webhook secrets are sealed at rest (sealing); acknowledgement links are MACed (alerts).
    appendsAudit({ tables: { directory: 'write', objects: 'write' }, secrets: ['sealing', 'alerts'] }),
  ),

  ...adminResource(
    'audit',
    [
      [['GET'], '/admin/tenants/{tenant}/audit'],
      [['GET'], '/admin/tenants/{tenant}/audit/verify'],
      [['GET'], '/admin/audit'],
      [['GET'], '/admin/audit/verify'],
    ],
    // The verifier: reads the log and the anchors, verifies MACs, writes nothing.
    { tables: { directory: 'read', audit: 'read' }, buckets: { anchors: 'read' }, auditMac: 'verify' },
  ),
];

/**
 * Attachments and malware samples (shared/core/files), a Kyoyu extension under each collection: JSON, throttled like
 * TAXII routes. Samples have their own functions, the only ones that touch the samples bucket and its key.
 */
const fileResource = (entry: string, paths: Array<[RouteDefinition['method'][], string]>, uses: ResourceUse): RouteDefinition[] =>
  paths.flatMap(([methods, path]) =>
    methods.map((method) => ({
      method,
      path,
      entry: `functions/files/${entry}.ts`,
      timeoutSeconds: 29,
      memoryMb: 1024,
      uses: throttled(uses),
    })),
  );

const COLLECTION = '/{tenant}/collections/{collectionId}';
// Completing an upload shares the file's STIX description through the pipeline, like a TAXII POST.
// File acts are appended before the answer: a download URL is handed out only once its entry is written.
const SHARE_FILE: ResourceUse = appendsAudit({
  tables: { directory: 'read', files: 'write', statuses: 'write' },
  queues: [FIRST_STAGE],
  buckets: { pipeline: 'write' },
});
const DELIVER_FILE: ResourceUse = appendsAudit({ tables: { directory: 'read', files: 'read' } });

export const fileRoutes: RouteDefinition[] = [
  ...fileResource(
    'attachment-upload',
    [
      [['POST'], `${COLLECTION}/attachments/`],
      [['POST'], `${COLLECTION}/attachments/{fileId}/complete/`],
      [['DELETE'], `${COLLECTION}/attachments/{fileId}/`],
    ],
    { ...SHARE_FILE, buckets: { ...SHARE_FILE.buckets, attachments: 'write' } },
  ),
  ...fileResource(
    'attachment-download',
    [
      [['GET'], `${COLLECTION}/attachments/{fileId}/`],
      [['GET'], `${COLLECTION}/attachments/{fileId}/content/`],
    ],
    { ...DELIVER_FILE, buckets: { attachments: 'read' } },
  ),
  ...fileResource(
    'sample-intake',
    [
      [['POST'], `${COLLECTION}/samples/`],
      [['POST'], `${COLLECTION}/samples/{fileId}/complete/`],
      [['DELETE'], `${COLLECTION}/samples/{fileId}/`],
    ],
    // It reads the raw upload to zip it, then deletes it.
    { ...SHARE_FILE, buckets: { ...SHARE_FILE.buckets, samples: 'write' } },
  ),
  ...fileResource(
    'sample-download',
    [
      [['GET'], `${COLLECTION}/samples/{fileId}/`],
      [['GET'], `${COLLECTION}/samples/{fileId}/content/`],
    ],
    { ...DELIVER_FILE, buckets: { samples: 'read' } },
  ),
  ...fileResource(
    'sample-recipients',
    [[['PUT', 'DELETE'], `${COLLECTION}/samples/{fileId}/recipients/{memberId}/`]],
    appendsAudit({ tables: { directory: 'read', files: 'write' } }),
  ),
];

/** The acknowledgement link of an alert: the signed token is the credential (GET shows a button, POST acknowledges). */
export const alertLinkRoutes: RouteDefinition[] = ['GET', 'POST'].map(
  (method): RouteDefinition => ({
    method: method as RouteDefinition['method'],
    path: '/alerts/{token}',
    entry: 'functions/alerts/ack.ts',
    timeoutSeconds: 29,
    memoryMb: 512,
    public: true,
    // An acknowledgement is audited (appends) and refused for a suspended member (reads the directory).
    uses: appendsAudit({ tables: { objects: 'write', directory: 'read' }, secrets: ['alerts'] }),
  }),
);

/** TAXII 2.1 §4–§5, one function per resource, then files, then the admin API. */
export const routes: RouteDefinition[] = [
  taxiiRoute('GET', '/taxii2/', 'discovery', READ_DIRECTORY),
  taxiiRoute('GET', '/{tenant}/', 'api-root', READ_DIRECTORY),
  taxiiRoute('GET', '/{tenant}/status/{statusId}/', 'get-status', { tables: { statuses: 'read' } }),
  taxiiRoute('GET', '/{tenant}/collections/', 'collections', READ_DIRECTORY),
  taxiiRoute('GET', '/{tenant}/collections/{collectionId}/', 'collection', READ_DIRECTORY),
  taxiiRoute('GET', '/{tenant}/collections/{collectionId}/manifest/', 'get-manifest', READ_OBJECTS),
  taxiiRoute('GET', '/{tenant}/collections/{collectionId}/objects/', 'get-objects', READ_OBJECTS),
  taxiiRoute('POST', '/{tenant}/collections/{collectionId}/objects/', 'add-objects', {
    tables: { directory: 'read', statuses: 'write' },
    queues: [FIRST_STAGE],
    buckets: { pipeline: 'write' },
  }),
  taxiiRoute('POST', '/{tenant}/collections/{collectionId}/indicators/', 'add-indicator-list', {
    tables: { directory: 'read', statuses: 'write' },
    queues: [FIRST_STAGE],
    buckets: { pipeline: 'write' },
  }),
  taxiiRoute('GET', '/{tenant}/collections/{collectionId}/objects/{objectId}/', 'get-object', READ_OBJECTS),
  // Deleting removes versions, originals and corroboration (all in the objects table), and is audited.
  // A deletion is on record before it is answered (shared/core/audit/record.ts recordDelete).
  taxiiRoute(
    'DELETE',
    '/{tenant}/collections/{collectionId}/objects/{objectId}/',
    'delete-object',
    appendsAudit({ tables: { directory: 'read', objects: 'write' }, secrets: ['cursor'] }),
  ),
  taxiiRoute('GET', '/{tenant}/collections/{collectionId}/objects/{objectId}/versions/', 'get-versions', READ_OBJECTS),
  // Exports (issue #15, docs/exports.md): every readable collection, or one; a full snapshot per format.
  taxiiRoute('GET', '/{tenant}/exports/{format}/', 'export', EXPORT_OBJECTS),
  taxiiRoute('GET', '/{tenant}/collections/{collectionId}/exports/{format}/', 'export', EXPORT_OBJECTS),
  // Reading what a provider submitted before anonymisation is rare and is on record before it is answered.
  taxiiRoute(
    'GET',
    '/{tenant}/collections/{collectionId}/objects/{objectId}/originals/',
    'get-originals',
    appendsAudit({ tables: { directory: 'read', objects: 'read' }, secrets: ['sealing'] }),
  ),
  // "Have we seen this?" (shared/core/search): reads postings and versions, audited like every read.
  ...(['GET', 'POST'] as const).map((method) =>
    taxiiRoute(method, '/{tenant}/search/', 'search', { tables: { directory: 'read', objects: 'read' }, queues: ['audit'] }),
  ),
  ...fileRoutes,
  ...adminRoutes,
  ...alertLinkRoutes,
];

/** API Gateway REQUEST authorizer in front of every non-public route. */
export const authorizer = {
  entry: 'functions/auth/authorizer.ts',
  timeoutSeconds: 10,
  memoryMb: 512,
  // Authentication failures are audited: one event each on the audit queue, for the tenant's auth chain.
  uses: { tables: { directory: 'read' }, queues: ['audit'] },
  identityHeader: 'Authorization',
  /** API Gateway caches an answer per Authorization header for this long; revocations wait at most this. */
  resultTtlSeconds: 60,
} satisfies FunctionDefinition & { identityHeader: string; resultTtlSeconds: number };

/** API Gateway's payload quota (10 MB). */
export const API_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

/**
 * Responses API Gateway itself produces (the authorizer refused, or no route matched), shaped as TAXII error
 * messages. TAXII 2.1 §3.6.1; RFC 7235 requires WWW-Authenticate on a 401.
 */
export const gatewayResponses = {
  UNAUTHORIZED: {
    status: 401,
    headers: { 'WWW-Authenticate': 'Basic realm="kyoyu", charset="UTF-8"' },
    body: { title: 'Authentication required', description: 'Send valid HTTP Basic credentials for this TAXII server', http_status: '401' },
  },
  ACCESS_DENIED: {
    status: 403,
    headers: {},
    body: { title: 'Forbidden', description: 'These credentials may not use this resource', http_status: '403' },
  },
  /** API Gateway's own stage throttling (the outer limit; each tenant's own limit answers 429 from the function). */
  THROTTLED: {
    status: 429,
    headers: { 'Retry-After': '1' },
    body: {
      title: 'Too many requests',
      description: 'The platform is busy; retry after the number of seconds in Retry-After',
      http_status: '429',
    },
  },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 404,
    headers: {},
    body: { title: 'Not found', description: 'No TAXII resource at this path and method', http_status: '404' },
  },
  /** API Gateway's 10 MB payload quota. */
  REQUEST_TOO_LARGE: {
    status: 413,
    headers: {},
    body: { title: 'Payload too large', description: `Request bodies are limited to ${API_MAX_CONTENT_LENGTH} bytes`, http_status: '413' },
  },
  /** The authorizer itself failed (not a refusal: that is UNAUTHORIZED). */
  AUTHORIZER_FAILURE: {
    status: 500,
    headers: {},
    body: { title: 'Internal error', description: 'Authentication is unavailable; retry later', http_status: '500' },
  },
  /** The function failed or could not be invoked (e.g. an event over Lambda's 6 MB). */
  INTEGRATION_FAILURE: {
    status: 502,
    headers: {},
    body: { title: 'Bad gateway', description: 'The request could not be served; retry later', http_status: '502' },
  },
  INTEGRATION_TIMEOUT: {
    status: 504,
    headers: {},
    body: {
      title: 'Gateway timeout',
      description: 'The request took longer than 29 s; ask for less (a smaller limit)',
      http_status: '504',
    },
  },
} as const;

/**
 * Whatever else API Gateway refuses by itself on AWS (a type above not listed, or one added later) is still a TAXII
 * error message: the status it chose is kept, the body carries its reason. `http_status` is optional in a TAXII
 * error (TAXII 2.1 §3.6.1) and left out, since a template cannot know the status; the local gateway never answers
 * these (its own refusals are the kinds above and infra/local/gateway.ts `clientErrorResponse`).
 */
export const defaultGatewayResponses = {
  DEFAULT_4XX: '{"title":"Request refused","description":$context.error.messageString}',
  DEFAULT_5XX: '{"title":"Internal error","description":$context.error.messageString}',
} as const;

/**
 * Every request body reaches the functions as the bytes the client sent (base64), never as text API Gateway
 * decoded itself: its decoder replaces invalid UTF-8 silently, and RFC 8259 §8.1 JSON must be refused instead
 * (shared/core/text/utf8.ts decodes fatally). Responses are unaffected: the functions answer text
 * (isBase64Encoded false).
 */
export const API_BINARY_MEDIA_TYPES = ['*/*'] as const;

/** The uses of several routes served by one function, and one definition per function: read by infra/aws and infra/local alike. */
const ACCESS_RANK: Record<Access, number> = { read: 0, append: 1, write: 2 };
const stronger = (a: Access | undefined, b: Access | undefined): Access | undefined =>
  a === undefined ? b : b === undefined ? a : ACCESS_RANK[a] >= ACCESS_RANK[b] ? a : b;

function mergeAccess<K extends string>(a: Partial<Record<K, Access>> = {}, b: Partial<Record<K, Access>> = {}): Partial<Record<K, Access>> {
  const out: Partial<Record<K, Access>> = { ...a };
  for (const [name, access] of Object.entries(b) as Array<[K, Access]>) out[name] = stronger(out[name], access);
  return out;
}

const union = <T>(a: T[] = [], b: T[] = []): T[] => [...new Set([...a, ...b])];

/** The uses of several routes served by one function: each resource at the strongest access any route needs. */
export function mergeUses(a: ResourceUse, b: ResourceUse): ResourceUse {
  const merged: ResourceUse = {};
  const tables = mergeAccess(a.tables, b.tables);
  const buckets = mergeAccess(a.buckets, b.buckets);
  if (Object.keys(tables).length) merged.tables = tables;
  if (Object.keys(buckets).length) merged.buckets = buckets;
  const queues = union(a.queues, b.queues);
  const secrets = union(a.secrets, b.secrets);
  const deadLetterQueues = union(a.deadLetterQueues, b.deadLetterQueues);
  if (queues.length) merged.queues = queues;
  if (secrets.length) merged.secrets = secrets;
  if (deadLetterQueues.length) merged.deadLetterQueues = deadLetterQueues;
  const auditMac = a.auditMac === 'sign' || b.auditMac === 'sign' ? 'sign' : (a.auditMac ?? b.auditMac);
  if (auditMac) merged.auditMac = auditMac;
  return merged;
}

/** One definition per distinct entry: several routes share one function. */
export function functionsByEntry(definitions: FunctionDefinition[]): Map<string, FunctionDefinition> {
  const byEntry = new Map<string, FunctionDefinition>();
  for (const d of definitions) {
    const seen = byEntry.get(d.entry);
    byEntry.set(
      d.entry,
      seen
        ? {
            entry: d.entry,
            timeoutSeconds: Math.max(seen.timeoutSeconds, d.timeoutSeconds),
            memoryMb: Math.max(seen.memoryMb, d.memoryMb),
            uses: mergeUses(seen.uses, d.uses),
          }
        : d,
    );
  }
  return byEntry;
}

/** Every function of the platform, one definition per handler entry: routes, the authorizer, queue consumers, scheduled. */
export const allFunctions = (): Map<string, FunctionDefinition> =>
  functionsByEntry([...routes, authorizer, ...queueConsumers, ...scheduled]);

const METHOD_ORDER: RouteDefinition['method'][] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The methods a resource path has, in a fixed order: what a 405's Allow header lists. */
export const methodsOf = (path: string, among: RouteDefinition[] = routes): RouteDefinition['method'][] =>
  METHOD_ORDER.filter((m) => among.some((r) => r.path === path && r.method === m));

/**
 * A method a known resource does not have (RFC 9110 §15.5.6): the gateway answers it before any authorizer or
 * function runs (infra/aws/rest-api.ts: an ANY method with a mock integration on each resource; infra/local/gateway.ts),
 * as a TAXII error message with the resource's methods in Allow.
 */
export const methodNotAllowed = (allow: readonly string[]) =>
  ({
    status: 405,
    headers: { Allow: allow.join(', ') },
    body: { title: 'Method not allowed', description: `This resource allows ${allow.join(', ')}`, http_status: '405' },
  }) as const;
