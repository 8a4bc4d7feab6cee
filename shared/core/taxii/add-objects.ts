import type { Principal } from '../directory/model';
import { assertCanWrite } from '../policy/collection-access';
import { tlpOfObject } from '../policy/tlp';
import type { PipelineMessage } from '../pipeline/message';
import { FIRST_STAGE } from '../pipeline/stages';
import type { DirectoryStore, PipelineQueue, StatusStore } from '../ports';
import { MAX_CONTENT_LENGTH } from './api-root';
import { collectionContext } from './collections';
import { parseEnvelope, type EnvelopeItem } from './envelope';
import { parseIndicatorList } from '../normalize/indicator-list';
import { BadRequestError, PayloadTooLargeError } from '../errors';
import type { AccessScope, StixObject, Tlp } from './model';
import { versionOf } from '../stix/version';
import { objectLimitExceeded } from '../stix/bounds';
import { statusResource, type StatusEntry, type StatusResource } from './status';

/** Properties by which a provider scopes an object; read here, never published (BRIEF: the provider sets the scope). */
export const SCOPE_PROPERTIES = { recipients: 'x_kyoyu_recipients', secret: 'x_kyoyu_secret' } as const;

/** One committed version must fit a DynamoDB item (400 KB) with its metadata. */
const OBJECT_BYTES = 350 * 1024;

export interface AddObjectsDeps {
  directory: DirectoryStore;
  statuses: StatusStore;
  pipeline: PipelineQueue;
  now: () => number;
  newId: () => string;
}

function scopeOf(
  object: StixObject,
  defaultTlp: Tlp,
  providerMemberId: string,
): { access: AccessScope; published: StixObject } | { error: string } {
  const { [SCOPE_PROPERTIES.recipients]: recipients, [SCOPE_PROPERTIES.secret]: secret, ...published } = object;
  if (recipients !== undefined && (!Array.isArray(recipients) || !recipients.every((r) => typeof r === 'string'))) {
    return { error: `${SCOPE_PROPERTIES.recipients}: must be a list of member ids` };
  }
  if (secret !== undefined && typeof secret !== 'boolean') return { error: `${SCOPE_PROPERTIES.secret}: must be true or false` };
  return {
    access: {
      tlp: tlpOfObject(object) ?? defaultTlp,
      recipients: (recipients as string[] | undefined) ?? [],
      secret: secret === true,
      providerMemberId,
    },
    published: published as StixObject,
  };
}

/**
 * POST …/objects/ — TAXII 2.1 §5.5: checks the envelope, records a status with every object pending (or failed
 * with its reason), hands the objects to the pipeline as one message, and answers at once
 * with the status (202). The pipeline settles each object's entry as it goes.
 */
export async function addObjects(
  request: { principal: Principal; tenantId: string; collectionId: string; body: string | undefined; review?: readonly string[] },
  deps: AddObjectsDeps,
): Promise<StatusResource> {
  return submit(request, () => parseEnvelope(request.body, MAX_CONTENT_LENGTH), deps);
}

/**
 * POST …/indicators/ (a Kyoyu extension): a plain list of values or a CSV with a type column, turned into STIX
 * indicators (shared/core/normalize/indicator-list.ts) and shared exactly like a TAXII POST.
 */
export async function addIndicatorList(
  request: {
    principal: Principal;
    tenantId: string;
    collectionId: string;
    body: string | undefined;
    format: 'lines' | 'csv';
    label?: string;
    review?: readonly string[];
  },
  deps: AddObjectsDeps,
): Promise<StatusResource> {
  return submit(
    request,
    () => {
      if (request.body !== undefined && Buffer.byteLength(request.body) > MAX_CONTENT_LENGTH) {
        throw new PayloadTooLargeError(`The list is larger than ${MAX_CONTENT_LENGTH} bytes; split it into several POSTs`);
      }
      if (!request.body?.trim())
        throw new BadRequestError('The request has no body; send one indicator per line, or a CSV with a "value" column');
      return parseIndicatorList(request.body, { format: request.format, now: new Date(deps.now()).toISOString(), label: request.label });
    },
    deps,
  );
}

/**
 * Objects the platform composes for a member (the STIX description of an uploaded file), shared exactly like a
 * TAXII POST of them: same checks, same pipeline, same status.
 */
export async function shareObjects(
  request: { principal: Principal; tenantId: string; collectionId: string },
  objects: StixObject[],
  deps: AddObjectsDeps,
): Promise<StatusResource> {
  return submit(request, () => objects.map((object) => ({ ok: true, object })), deps);
}

/**
 * `?review=provider` on a POST (issue #14): the provider sees the anonymised version of what it shares before anyone
 * else, and publishes it with its approval (shared/core/moderation). Anything else is refused, not ignored.
 */
function providerReviewOf(review: readonly string[] | undefined): boolean {
  if (review === undefined || review.length === 0) return false;
  if (review.length === 1 && review[0] === 'provider') return true;
  throw new BadRequestError(
    `review must be "provider" (to review the anonymised version before it is published), got ${JSON.stringify(review.join(','))}`,
  );
}

async function submit(
  request: { principal: Principal; tenantId: string; collectionId: string; review?: readonly string[] },
  parse: () => EnvelopeItem[],
  deps: AddObjectsDeps,
): Promise<StatusResource> {
  const { principal, tenantId, collectionId } = request;
  const providerReview = providerReviewOf(request.review);
  const { collection, access, reader } = await collectionContext(principal, tenantId, collectionId, deps);
  assertCanWrite(access, collectionId);
  const items = parse();
  const submittedAt = new Date(deps.now()).toISOString();
  const statusId = deps.newId();

  // The whole submission is one pipeline message (carried by claim check when large), so every stage decides over
  // all of it: a reference in one part to an object withheld in another cannot slip through (anonymize).
  const entries: StatusEntry[] = [];
  const message: PipelineMessage = {
    tenantId,
    collectionId,
    statusId,
    submittedAt,
    submitter: { ...reader, canRead: access.canRead },
    // The settings read just now (a consistent read): a policy narrowed a moment ago governs this POST.
    settings: { policy: collection.policy, publication: collection.publication },
    withheldIds: [],
    ...(providerReview ? { providerReview } : {}),
    items: [],
  };
  const firstIndexOf = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    if (!item.ok) {
      entries.push({ id: item.id, version: item.version, state: 'failure', message: item.message });
      continue;
    }
    const version = versionOf(item.object, submittedAt);
    const scoped = scopeOf(item.object, collection.defaultTlp, principal.memberId);
    if ('error' in scoped) {
      entries.push({ id: item.object.id, version, state: 'failure', message: scoped.error });
      continue;
    }
    const beyond = objectLimitExceeded(item.object);
    if (beyond) {
      entries.push({ id: item.object.id, version, state: 'failure', message: `The object is refused: ${beyond}` });
      continue;
    }
    const bytes = Buffer.byteLength(JSON.stringify(scoped.published));
    if (bytes > OBJECT_BYTES) {
      entries.push({
        id: item.object.id,
        version,
        state: 'failure',
        message: `The object is ${bytes} bytes; objects over ${OBJECT_BYTES} bytes are not accepted (share large files as attachments)`,
      });
      continue;
    }
    // The same version twice in one POST is one object: the commit writes each version in one transaction, which
    // refuses two writes of one item, and the whole POST stayed pending for ever. The copy is answered, not sent.
    const earlier = firstIndexOf.get(`${item.object.id}|${version}`);
    if (earlier !== undefined) {
      entries.push({
        id: item.object.id,
        version,
        state: 'failure',
        message: `The same version as objects[${earlier}] of this request, which is shared once`,
      });
      continue;
    }
    firstIndexOf.set(`${item.object.id}|${version}`, index);
    message.items.push({ entry: entries.length, access: scoped.access, object: scoped.published });
    entries.push({ id: item.object.id, version, state: 'pending' });
  }

  const header = {
    id: statusId,
    tenantId,
    collectionId,
    memberId: principal.memberId,
    requestTimestamp: submittedAt,
    totalCount: items.length,
  };
  // The status exists before any stage can settle it.
  await deps.statuses.create(header, entries);
  if (message.items.length > 0) await deps.pipeline.send(FIRST_STAGE, [message]);
  return statusResource(header, entries);
}
