import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  AnchorStore,
  AuditEventQueue,
  AuditMac,
  AuditStore,
  DeadLetterQueues,
  DirectoryStore,
  ExportStore,
  FailureLog,
  FeedbackReader,
  FileStorage,
  FileStore,
  FunnelStore,
  ObjectStore,
  PipelineQueue,
  SearchIndex,
  StatusStore,
} from '../core/ports';
import { DynamoSearchIndex } from '../adapters/dynamodb/search-index';
import { IndexedObjectStore } from '../core/search/indexed-object-store';
import { S3ExportStore } from '../adapters/s3/export-store';
import { flaggedIn } from '../core/search/flags';
import { DynamoAuditStore } from '../adapters/dynamodb/audit-store';
import { DynamoDirectoryStore } from '../adapters/dynamodb/directory-store';
import { DynamoObjectStore } from '../adapters/dynamodb/object-store';
import { DynamoStatusStore } from '../adapters/dynamodb/status-store';
import { DynamoFunnelStore } from '../adapters/dynamodb/funnel-store';
import { DynamoRequestCounter } from '../adapters/dynamodb/request-counter';
import type { RequestCounter } from '../core/ports';
import { requestsPerMinuteOf } from '../core/policy/tenant-throttle';
import { cached } from './cached';
import { SqsPipelineQueue } from '../adapters/sqs/pipeline-queue';
import { DynamoFileStore } from '../adapters/dynamodb/file-store';
import { S3FileStorage } from '../adapters/s3/file-storage';
import { createDocumentClient, createKmsClient, createS3Client, createSecretsManagerClient, createSqsClient } from './aws-clients';
import {
  auditMacConfig,
  baseConfig,
  bucketName,
  currentEnv,
  deadLetterQueueUrl,
  declaredSecretIds,
  queueUrl,
  secretId,
  tableName,
  type BaseConfig,
} from './config';
import { SecretsManagerSecretSource } from '../adapters/secrets-manager/secret-source';
import { SecretLists } from './secrets';
import { HmacAuditMac } from '../adapters/hmac/audit-mac';
import { KmsAuditMac } from '../adapters/kms/audit-mac';
import { S3AnchorStore } from '../adapters/s3/anchor-store';
import { SqsAuditEventQueue } from '../adapters/sqs/audit-events';
import { AUDIT_QUEUE } from '../core/audit/events';
import { DynamoFailureLog } from '../adapters/dynamodb/failure-log';
import { SqsDeadLetterQueues } from '../adapters/sqs/dead-letters';
import { DynamoCorroborationStore } from '../adapters/dynamodb/corroboration-store';
import { DynamoOriginalsEraser, DynamoSealedStore } from '../adapters/dynamodb/originals-store';
import { Sealer } from '../adapters/dynamodb/sealed';
import { DynamoWithheldRegistry } from '../adapters/dynamodb/withheld-registry';
import { DynamoModerationStore } from '../adapters/dynamodb/moderation-store';
import { DynamoTakedownStore } from '../adapters/dynamodb/takedown-store';
import { DynamoFlagDecisionStore } from '../adapters/dynamodb/flag-store';
import { DynamoSupportStore } from '../adapters/dynamodb/support-store';
import { DEFAULT_WARNING_LISTS } from '../core/pipeline/default-warning-lists';
import { compileWarningLists, type WarningListMatcher } from '../core/pipeline/warning-lists';
import { pipelineDirectory, type PipelineDirectory } from './pipeline-deps';
import type { Logger } from '@aws-lambda-powertools/logger';
import { logger } from './observability';
import { DynamoSubscriptionStore } from '../adapters/dynamodb/subscription-store';
import { DynamoAlertLedger } from '../adapters/dynamodb/alert-ledger';
import { SqsAlertQueue } from '../adapters/sqs/alert-queue';
import { ALERTS_QUEUE } from '../core/alerts/messages';
import type { AlertLedger, AlertQueue, SubscriptionStore } from '../core/alerts/ports';
import { AlertingObjectStore } from './alerting-object-store';

/** Everything a handler needs, built lazily once per cold start (a handler only pays for what it uses). */
export interface Container {
  config: BaseConfig;
  logger: Logger;
  directory: DirectoryStore;
  objects: ObjectStore;
  searchIndex: SearchIndex;
  statuses: StatusStore;
  pipeline: PipelineQueue;
  funnel: FunnelStore;
  /** Requests per tenant and minute, for the per-tenant limit every TAXII route enforces (http.ts). */
  requestCounter: RequestCounter;
  /** A tenant's requests-per-minute limit, read from the directory at most once a minute per warm container. */
  tenantLimits: (tenantId: string) => Promise<number>;
  /**
   * A secret the function declares in infra/topology.ts (`cursor`, `sealing`, …), newest first: read from Secrets
   * Manager when the container starts, kept for its life and refreshed every few minutes (shared/runtime/secrets.ts).
   */
  secretList(name: string): Promise<string[]>;
  audit: AuditStore;
  /**
   * The audit chain's MAC. Resolved on first use, so a function without the key (most) can still build admin deps;
   * it fails then, naming the missing variable.
   */
  auditMac: AuditMac;
  /** Where reads and refused credentials are sent to be audited (events.ts). */
  auditEvents: AuditEventQueue;
  /** The audit chains' anchors (the anchor function writes, the verifier reads). */
  anchors: AnchorStore;
  /** Attachment and sample metadata, and each tenant's storage usage. */
  files: FileStore;
  /** The attachments and samples buckets; presigned URLs for members' tools. */
  fileStorage: FileStorage;
  corroboration: DynamoCorroborationStore;
  sealed: DynamoSealedStore;
  /** Deletes originals without the sealing key (the DELETE route). */
  originalsEraser: DynamoOriginalsEraser;
  withheld: DynamoWithheldRegistry;
  moderation: DynamoModerationStore;
  takedowns: DynamoTakedownStore;
  /** Moderators' confirmations and lifts of false-positive flags (shared/core/search/flags.ts). */
  flags: DynamoFlagDecisionStore;
  support: DynamoSupportStore;
  warningLists: WarningListMatcher;
  /** Large exports (the exports bucket). */
  exportStore: ExportStore;
  /** False-positive flags: members' opinions, tallied through the search index (shared/core/search/feedback.ts). */
  feedback: FeedbackReader;
  pipelineDirectory: PipelineDirectory;
  failures: FailureLog;
  deadLetters: DeadLetterQueues;
  /** Alerts (issue #16): members' subscriptions (secrets sealed), the ledger, the alerts queue. */
  subscriptions: SubscriptionStore;
  alertLedger: AlertLedger;
  alertQueue: AlertQueue;
}

function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

export function createContainer(env: NodeJS.ProcessEnv = currentEnv()): Container {
  const config = baseConfig(env);
  const secrets = new SecretLists(new SecretsManagerSecretSource(createSecretsManagerClient(config)), {
    onRefreshFailed: (id, error) =>
      logger.warn('secret not refreshed; the last value read stays in use', { secretId: id, error: String(error) }),
  });
  // Cold start: the function's secrets are on their way before its first use case needs one.
  secrets.prefetch(declaredSecretIds(env));
  const secretList = (name: string) => secrets.list(secretId(name, env));
  const documentClient = lazy<DynamoDBDocumentClient>(() => createDocumentClient(config));
  const directory = lazy(() => new DynamoDirectoryStore(documentClient(), tableName('directory', env)));
  const searchIndex = lazy(() => new DynamoSearchIndex(documentClient(), tableName('objects', env)));
  const alertLedger = lazy(() => new DynamoAlertLedger(documentClient(), tableName('objects', env)));
  const alertQueue = lazy(
    () => new SqsAlertQueue(createSqsClient(config), queueUrl(ALERTS_QUEUE, env), () => deadLetterQueueUrl(ALERTS_QUEUE, env)),
  );
  // Every publication and deletion keeps the search index (shared/core/search/indexed-object-store.ts) and raises its
  // alerts (alerting-object-store.ts); the alerts queue is looked up at the first commit, so functions that only read
  // need none.
  const objects = lazy(
    () =>
      new AlertingObjectStore(new IndexedObjectStore(new DynamoObjectStore(documentClient(), tableName('objects', env)), searchIndex()), {
        policyOf: (t, col) => pipelineDirectoryOf().policyOf(t, col),
        ledger: alertLedger(),
        queue: alertQueue,
      }),
  );
  const statuses = lazy(() => new DynamoStatusStore(documentClient(), tableName('statuses', env)));
  const corroboration = lazy(() => new DynamoCorroborationStore(documentClient(), tableName('objects', env)));
  // One Sealer per list of secrets: rebuilt only when a refresh brings a rotated list.
  let sealer: { secrets: string[]; sealer: Sealer } | undefined;
  const currentSealer = async (): Promise<Sealer> => {
    const list = await secretList('sealing');
    if (sealer?.secrets !== list) sealer = { secrets: list, sealer: new Sealer(list) };
    return sealer.sealer;
  };
  const sealed = lazy(() => new DynamoSealedStore(documentClient(), tableName('objects', env), currentSealer));
  const originalsEraser = lazy(() => new DynamoOriginalsEraser(documentClient(), tableName('objects', env)));
  const withheld = lazy(() => new DynamoWithheldRegistry(documentClient(), tableName('objects', env)));
  const moderation = lazy(() => new DynamoModerationStore(documentClient(), tableName('objects', env)));
  const takedowns = lazy(() => new DynamoTakedownStore(documentClient(), tableName('objects', env)));
  const flags = lazy(() => new DynamoFlagDecisionStore(documentClient(), tableName('objects', env)));
  const support = lazy(() => new DynamoSupportStore(documentClient(), tableName('objects', env)));
  const warningLists = lazy(() => compileWarningLists(DEFAULT_WARNING_LISTS));
  const exportStore = lazy(() => new S3ExportStore(createS3Client(config), () => bucketName('exports', env)));
  const feedback = lazy(
    (): FeedbackReader => ({
      flaggedIn: (reader, tenantId, collectionId) =>
        flaggedIn(reader, tenantId, collectionId, { directory: directory(), objects: objects(), index: searchIndex(), flags: flags() }),
    }),
  );
  // The statuses store is built when a stage settles, not before: functions that only read policies (alerts) have no statuses table.
  const pipelineDirectoryOf = lazy(() => pipelineDirectory(directory(), statuses));
  const audit = lazy(() => new DynamoAuditStore(documentClient(), tableName('audit', env)));
  const macOf = lazy(() => auditMacOf(config));
  const auditMac: AuditMac = { sign: (data) => macOf().sign(data), verify: (data, mac) => macOf().verify(data, mac) };
  const auditEvents = lazy(() => new SqsAuditEventQueue(createSqsClient(config), queueUrl(AUDIT_QUEUE, env)));
  const anchors = lazy(() => new S3AnchorStore(createS3Client(config), bucketName('anchors', env)));
  const failures = lazy(() => new DynamoFailureLog(documentClient(), tableName('funnel', env)));
  const deadLetters = lazy(
    () =>
      new SqsDeadLetterQueues(
        createSqsClient(config),
        (stage) => ({ queue: queueUrl(stage, env), deadLetters: deadLetterQueueUrl(stage, env) }),
        failures(),
      ),
  );
  const subscriptions = lazy(() => new DynamoSubscriptionStore(documentClient(), tableName('directory', env), currentSealer));
  const funnel = lazy(() => new DynamoFunnelStore(documentClient(), tableName('funnel', env)));
  const requestCounter = lazy(() => new DynamoRequestCounter(documentClient(), tableName('throttle', env)));
  const tenantLimits = lazy(() => cached(async (tenantId) => requestsPerMinuteOf(await directory().getTenant(tenantId))));
  const files = lazy(() => new DynamoFileStore(documentClient(), tableName('files', env)));
  // Only the file functions have these buckets; the names are looked up when a kind is first used.
  const fileStorage = lazy(
    () => new S3FileStorage(createS3Client(config), (kind) => bucketName(kind === 'attachment' ? 'attachments' : 'samples', env)),
  );
  const pipeline = lazy(
    () =>
      new SqsPipelineQueue(createSqsClient(config), (stage) => queueUrl(stage, env), {
        s3: createS3Client(config),
        bucket: bucketName('pipeline', env),
      }),
  );
  return {
    config,
    logger,
    secretList,
    get directory() {
      return directory();
    },
    get objects() {
      return objects();
    },
    get searchIndex() {
      return searchIndex();
    },
    get statuses() {
      return statuses();
    },
    get pipeline() {
      return pipeline();
    },
    get funnel() {
      return funnel();
    },
    get requestCounter() {
      return requestCounter();
    },
    get tenantLimits() {
      return tenantLimits();
    },
    get corroboration() {
      return corroboration();
    },
    get sealed() {
      return sealed();
    },
    get originalsEraser() {
      return originalsEraser();
    },
    get withheld() {
      return withheld();
    },
    get moderation() {
      return moderation();
    },
    get takedowns() {
      return takedowns();
    },
    get flags() {
      return flags();
    },
    get support() {
      return support();
    },
    get warningLists() {
      return warningLists();
    },
    get exportStore() {
      return exportStore();
    },
    get feedback() {
      return feedback();
    },
    get failures() {
      return failures();
    },
    get deadLetters() {
      return deadLetters();
    },
    get pipelineDirectory() {
      return pipelineDirectoryOf();
    },
    get audit() {
      return audit();
    },
    auditMac,
    get auditEvents() {
      return auditEvents();
    },
    get anchors() {
      return anchors();
    },
    get files() {
      return files();
    },
    get fileStorage() {
      return fileStorage();
    },
    get subscriptions() {
      return subscriptions();
    },
    get alertLedger() {
      return alertLedger();
    },
    get alertQueue() {
      return alertQueue();
    },
  };
}

/** The audit MAC a function's configuration gives it (config.ts auditMacConfig). */
export function auditMacOf(config: BaseConfig): AuditMac {
  const mac = auditMacConfig(config);
  return mac.kind === 'kms' ? new KmsAuditMac(createKmsClient(config), mac.keyId) : new HmacAuditMac(mac.secrets);
}

const containers = new WeakMap<NodeJS.ProcessEnv, Container>();
/**
 * The function's container, built from its environment at its first invocation (config.ts currentEnv); Lambda reuses
 * it across invocations of a warm function. On Lambda there is one per process; the local platform, which runs every
 * function in one process, gets one per function, each seeing only the resources its topology entry grants.
 */
export function container(): Container {
  const env = currentEnv();
  let built = containers.get(env);
  if (!built) containers.set(env, (built = createContainer(env)));
  return built;
}
