/**
 * The one description of Kyoyu's resources and flow. infra/aws builds the AWS stacks from it and infra/local
 * builds the local platform from it, so the two cannot drift apart. Pure data: no CDK, no SDK.
 */

import { FIRST_STAGE, PIPELINE_STAGES, type StageName } from '../shared/core/pipeline/stages';

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
  /** TAXII status resources of POSTs and their per-object outcomes. */
  statuses: {
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
}

export interface BucketDefinition {
  /** Buckets with their own KMS key on AWS (malware samples). */
  dedicatedKey: boolean;
}

export const buckets = {
  attachments: { dedicatedKey: false },
  samples: { dedicatedKey: true },
} satisfies Record<string, BucketDefinition>;
export type BucketName = keyof typeof buckets;

export type Access = 'read' | 'write';

/** The resources a function touches and how; drives both its environment and its IAM grants. */
export interface ResourceUse {
  tables?: Partial<Record<TableName, Access>>;
  /** Pipeline stages whose queue the function sends to. */
  queues?: string[];
  buckets?: Partial<Record<BucketName, Access>>;
  /** Secrets given to the function as environment variables (see `secrets`). */
  secrets?: SecretName[];
}

/**
 * Secrets the platform generates at deploy time. `cursor` seals TAXII `next` tokens (shared/core/taxii/cursor.ts):
 * every read function must share it, and it must outlive deployments, or clients' saved tokens break.
 */
export const secrets = {
  cursor: { envVar: 'CURSOR_SECRETS', minLength: 32 },
} as const;
export type SecretName = keyof typeof secrets;

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
  commit: { tables: { objects: 'write', statuses: 'write', funnel: 'write' } },
};

/** Pipeline stages in order (shared/core/pipeline/stages.ts): each consumes its own queue and forwards to the next. */
export const stages: PipelineStage[] = PIPELINE_STAGES.map((name) => ({
  name,
  entry: `functions/pipeline/${name}.ts`,
  timeoutSeconds: 60,
  memoryMb: 1024,
  // 6 × the timeout, as AWS requires of a queue feeding a Lambda.
  queue: { visibilityTimeoutSeconds: 360, maxReceiveCount: 5, batchSize: 10 },
  uses: STAGE_USES[name],
}));

export interface RouteDefinition extends FunctionDefinition {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /** API Gateway resource path; `{name}` segments are path parameters. */
  path: string;
  /** Routes without the authorizer; none today (TAXII requires authentication everywhere). */
  public?: boolean;
}

const taxiiRoute = (method: RouteDefinition['method'], path: string, entry: string, uses: ResourceUse): RouteDefinition => ({
  method,
  path,
  entry: `functions/taxii/${entry}.ts`,
  timeoutSeconds: 29,
  memoryMb: 1024,
  uses,
});

const READ_DIRECTORY: ResourceUse = { tables: { directory: 'read' } };
const READ_OBJECTS: ResourceUse = { tables: { directory: 'read', objects: 'read' }, secrets: ['cursor'] };

/** TAXII 2.1 §4–§5, one function per resource. */
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
  }),
  taxiiRoute('GET', '/{tenant}/collections/{collectionId}/objects/{objectId}/', 'get-object', READ_OBJECTS),
  taxiiRoute('DELETE', '/{tenant}/collections/{collectionId}/objects/{objectId}/', 'delete-object', {
    tables: { directory: 'read', objects: 'write' },
    secrets: ['cursor'],
  }),
  taxiiRoute('GET', '/{tenant}/collections/{collectionId}/objects/{objectId}/versions/', 'get-versions', READ_OBJECTS),
];

/** API Gateway REQUEST authorizer in front of every non-public route. */
export const authorizer = {
  entry: 'functions/auth/authorizer.ts',
  timeoutSeconds: 10,
  memoryMb: 512,
  uses: { tables: { directory: 'read' } },
  identityHeader: 'Authorization',
  /** API Gateway caches an answer per Authorization header for this long; revocations wait at most this. */
  resultTtlSeconds: 60,
} satisfies FunctionDefinition & { identityHeader: string; resultTtlSeconds: number };

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
  MISSING_AUTHENTICATION_TOKEN: {
    status: 404,
    headers: {},
    body: { title: 'Not found', description: 'No TAXII resource at this path and method', http_status: '404' },
  },
} as const;

export const API_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;
