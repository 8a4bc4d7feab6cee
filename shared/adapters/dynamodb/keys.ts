/** Every key layout of the directory table, in one place. */
export const directoryKeys = {
  tenant: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'TENANT' }),
  allTenants: () => ({ gsi1pk: 'TENANTS' }),
  member: (tenantId: string, memberId: string) => ({ pk: `TENANT#${tenantId}`, sk: `MEMBER#${memberId}` }),
  /** Usernames are global: Basic auth on /taxii2/ arrives before any tenant is known. */
  user: (username: string) => ({ pk: `USER#${username.toLowerCase()}`, sk: 'USER' }),
  usersOfMember: (tenantId: string, memberId: string) => ({ gsi1pk: `TENANT#${tenantId}#MEMBER#${memberId}` }),
  collection: (tenantId: string, collectionId: string) => ({ pk: `TENANT#${tenantId}`, sk: `COLLECTION#${collectionId}` }),
  collectionPrefix: 'COLLECTION#',
  bootstrap: () => ({ pk: 'PLATFORM', sk: 'BOOTSTRAP' }),
  memberGrant: (tenantId: string, memberId: string, collectionId: string) => ({
    pk: `TENANT#${tenantId}`,
    sk: `GRANT#MEMBER#${memberId}#${collectionId}`,
  }),
  memberGrantPrefix: (memberId: string) => `GRANT#MEMBER#${memberId}#`,
  groupGrant: (tenantId: string, groupId: string, collectionId: string) => ({
    pk: `TENANT#${tenantId}`,
    sk: `GRANT#GROUP#${groupId}#${collectionId}`,
  }),
  groupGrantPrefix: (groupId: string) => `GRANT#GROUP#${groupId}#`,
  grantPrefix: 'GRANT#',
  memberPrefix: 'MEMBER#',
  group: (tenantId: string, groupId: string) => ({ pk: `TENANT#${tenantId}`, sk: `GROUP#${groupId}` }),
  groupPrefix: 'GROUP#',
  /** Apart from the member item, so that reading a member never carries its identifiers along. */
  registry: (tenantId: string, memberId: string) => ({ pk: `TENANT#${tenantId}`, sk: `REGISTRY#${memberId}` }),
  /** Active registries only: proposals sort under REGISTRY_PROPOSAL#, which this prefix does not match. */
  registryPrefix: 'REGISTRY#',
  /** The change waiting for a tenant admin: beside the active registry, never read by the pipeline. */
  registryProposal: (tenantId: string, memberId: string) => ({ pk: `TENANT#${tenantId}`, sk: `REGISTRY_PROPOSAL#${memberId}` }),
  /** Key ids are global: a bearer token names no tenant. */
  apiKey: (keyId: string) => ({ pk: `APIKEY#${keyId}`, sk: 'APIKEY' }),
  /** Users and keys of a member share one gsi1 partition; keys sort under this prefix, users by username. */
  apiKeyOfMemberSortKey: (keyId: string) => `KEY#${keyId}`,
};

/** Every key layout of the audit table: one partition per chain in sequence order, two indexes by time. */
export const auditKeys = {
  pk: (chain: string) => `AUDIT#${chain}`,
  entry: (chain: string, seq: number) => ({ pk: `AUDIT#${chain}`, sk: `E#${String(seq).padStart(12, '0')}` }),
  /** gsi1 (chain by time) and gsi2 (chain and member by time) sort keys: time, then sequence. */
  timeSortKey: (at: string, seq: number) => `${at}#${String(seq).padStart(12, '0')}`,
  byMember: (chain: string, memberId: string) => `AUDIT#${chain}#MEMBER#${memberId}`,
};

const MS_WIDTH = 15;
/** date_added in ms, zero-padded so that string order is time order. */
export const msSortKey = (ms: number): string => String(ms).padStart(MS_WIDTH, '0');

/** A STIX timestamp at fixed microsecond width, so that string order is time order whatever the input precision. */
export function versionSortKey(timestamp: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/i.exec(timestamp);
  if (!match) return timestamp;
  return `${match[1]}.${(match[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

/** Every key layout of the objects table. */
export const objectKeys = {
  /** The collection's clock: last date_added allocated and committed (the readers' watermark). */
  clock: (tenantId: string, collectionId: string) => ({ pk: `CLOCK#${tenantId}#${collectionId}`, sk: 'CLOCK' }),
  /** All versions of a collection in date_added order. */
  timelinePk: (tenantId: string, collectionId: string) => `TL#${tenantId}#${collectionId}`,
  timeline: (tenantId: string, collectionId: string, dateAddedMs: number) => ({
    pk: `TL#${tenantId}#${collectionId}`,
    sk: msSortKey(dateAddedMs),
  }),
  /** The versions of one object, in version order; the item's existence makes a version unique. */
  versionsPk: (tenantId: string, collectionId: string, objectId: string) => `OV#${tenantId}#${collectionId}#${objectId}`,
  version: (tenantId: string, collectionId: string, objectId: string, version: string) => ({
    pk: `OV#${tenantId}#${collectionId}#${objectId}`,
    sk: versionSortKey(version),
  }),
};

/** Every key layout of the statuses table. */
export const statusKeys = {
  pk: (tenantId: string, statusId: string) => `ST#${tenantId}#${statusId}`,
  header: (tenantId: string, statusId: string) => ({ pk: `ST#${tenantId}#${statusId}`, sk: 'HEADER' }),
  chunk: (tenantId: string, statusId: string, chunk: number) => ({
    pk: `ST#${tenantId}#${statusId}`,
    sk: `CHUNK#${String(chunk).padStart(6, '0')}`,
  }),
};

/** Every key layout of the funnel table. */
export const funnelKeys = {
  pk: (tenantId: string) => `FUNNEL#${tenantId}`,
  stage: (tenantId: string, stage: string) => ({ pk: `FUNNEL#${tenantId}`, sk: `STAGE#${stage}` }),
};

/** Originals as submitted, sealed, in the objects table beside what was published: one partition per object. */
export const originalsKeys = {
  pk: (tenantId: string, collectionId: string, objectId: string) => `ORIG#${tenantId}#${collectionId}#${objectId}`,
};

/** Every key layout of the files table: one item per file, one usage counter per tenant. */
export const fileKeys = {
  file: (tenantId: string, fileId: string) => ({ pk: `TENANT#${tenantId}#FILE#${fileId}`, sk: 'FILE' }),
  usage: (tenantId: string) => ({ pk: `TENANT#${tenantId}#USAGE`, sk: 'BYTES' }),
};

/** Corroboration records live in the objects table, beside the versions they corroborate. */
export const corroborationKeys = {
  item: (tenantId: string, collectionId: string, key: string) => ({ pk: `CORR#${tenantId}#${collectionId}`, sk: key }),
};

/** Request counts of the throttle table: one item per tenant and minute, expiring soon after. */
export const throttleKeys = {
  window: (tenantId: string, windowStartMs: number) => ({
    pk: `TENANT#${tenantId}`,
    sk: `MINUTE#${new Date(windowStartMs).toISOString()}`,
  }),
};

/** Last failure reasons of pipeline messages, in the funnel table. */
export const failureKeys = {
  item: (stage: string, messageId: string) => ({ pk: `FAILURE#${stage}`, sk: messageId }),
};

/** The moderation queue, in the objects table: open items by queue time, a pointer per provider, decided items apart. */
export const moderationKeys = {
  openPk: (tenantId: string) => `MODQ#${tenantId}`,
  open: (tenantId: string, itemId: string) => ({ pk: `MODQ#${tenantId}`, sk: itemId }),
  providerPk: (tenantId: string, memberId: string) => `MODP#${tenantId}#${memberId}`,
  provider: (tenantId: string, memberId: string, itemId: string) => ({ pk: `MODP#${tenantId}#${memberId}`, sk: itemId }),
  decided: (tenantId: string, itemId: string) => ({ pk: `MODD#${tenantId}`, sk: itemId }),
};

/** Takedown requests, in the objects table: one item each, open ones in their own partition, a pointer per requester. */
export const takedownKeys = {
  openPk: (tenantId: string) => `TKO#${tenantId}`,
  item: (tenantId: string, requestId: string) => ({ pk: `TK#${tenantId}`, sk: requestId }),
  open: (tenantId: string, requestId: string) => ({ pk: `TKO#${tenantId}`, sk: requestId }),
  requesterPk: (tenantId: string, memberId: string) => `TKR#${tenantId}#${memberId}`,
  requester: (tenantId: string, memberId: string, requestId: string) => ({ pk: `TKR#${tenantId}#${memberId}`, sk: requestId }),
};

/** Moderators' decisions on false-positive flags, in the objects table: one item per object, by collection. */
export const flagKeys = {
  pk: (tenantId: string, collectionId: string) => `FLAG#${tenantId}#${collectionId}`,
  item: (tenantId: string, collectionId: string, objectId: string) => ({ pk: `FLAG#${tenantId}#${collectionId}`, sk: objectId }),
};

/** Analysis-support threads, in the objects table: one item each under the tenant, a pointer per asking member. */
export const supportKeys = {
  pk: (tenantId: string) => `SUP#${tenantId}`,
  item: (tenantId: string, requestId: string) => ({ pk: `SUP#${tenantId}`, sk: requestId }),
  memberPk: (tenantId: string, memberId: string) => `SUPM#${tenantId}#${memberId}`,
  member: (tenantId: string, memberId: string, requestId: string) => ({ pk: `SUPM#${tenantId}#${memberId}`, sk: requestId }),
};

/** Object ids the anonymize stage withheld in a tenant: a later submission may not point at them either. */
export const withheldKeys = {
  item: (tenantId: string, objectId: string) => ({ pk: `WITHHELD#${tenantId}`, sk: objectId }),
};

/** The search index, in the objects table: postings by tenant and logical partition (shared/core/search/postings.ts). */
export const searchKeys = {
  pk: (tenantId: string, partition: string) => `IX#${tenantId}#${partition}`,
  posting: (tenantId: string, partition: string, sort: string) => ({ pk: `IX#${tenantId}#${partition}`, sk: sort }),
  partitionOf: (tenantId: string, pk: string) => pk.slice(`IX#${tenantId}#`.length),
  /** Sorts before every posting (collection ids, hex, labels and STIX ids start with a letter or digit). */
  markerSortKey: '#',
  /** Says the partition holds, or held, postings. */
  marker: (tenantId: string, partition: string) => ({ pk: `IX#${tenantId}#${partition}`, sk: '#' }),
  /** The network prefix lengths the tenant's postings use. */
  prefixLengths: (tenantId: string) => ({ pk: `IXP#${tenantId}`, sk: 'PREFIX_LENGTHS' }),
};

/**
 * Alerts (issue #16). Subscriptions live in the directory table beside their member; the ledger in the objects table:
 * an alert's header and one item per recipient share a partition (one query reads an alert whole); pointers list a
 * tenant's and a member's alerts newest first; a marker per alerted object finds corrections to alert; a pointer per
 * unacknowledged recipient, sorted by deadline, is what the escalation reads (removed once acknowledged or escalated).
 */
export const subscriptionKeys = {
  item: (tenantId: string, memberId: string, subscriptionId: string) => ({
    pk: `TENANT#${tenantId}`,
    sk: `SUBSCRIPTION#${memberId}#${subscriptionId}`,
  }),
  prefix: (memberId?: string) => (memberId === undefined ? 'SUBSCRIPTION#' : `SUBSCRIPTION#${memberId}#`),
};

export const alertKeys = {
  pk: (tenantId: string, alertId: string) => `ALERT#${tenantId}#${alertId}`,
  header: (tenantId: string, alertId: string) => ({ pk: `ALERT#${tenantId}#${alertId}`, sk: 'ALERT' }),
  recipient: (tenantId: string, alertId: string, memberId: string) => ({ pk: `ALERT#${tenantId}#${alertId}`, sk: `R#${memberId}` }),
  recipientPrefix: 'R#',
  tenantPk: (tenantId: string) => `ALERTS#${tenantId}`,
  memberPk: (tenantId: string, memberId: string) => `ALERTS#${tenantId}#M#${memberId}`,
  /** Pointer sort key: time order, then the id. */
  pointerSk: (raisedAt: string, alertId: string) => `${raisedAt}#${alertId}`,
  alerted: (tenantId: string, collectionId: string, objectId: string) => ({
    pk: `ALERTED#${tenantId}#${collectionId}#${objectId}`,
    sk: 'ALERTED',
  }),
  duePk: 'ALERTS_DUE',
  due: (deadline: string, tenantId: string, alertId: string, memberId: string) => ({
    pk: 'ALERTS_DUE',
    sk: JSON.stringify([deadline, tenantId, alertId, memberId]),
  }),
};
