import { z } from 'zod';
import { parseInput } from '../input';
import { appendAudit } from '../audit/chain';
import { actorOf, type AuditDeps } from '../audit/record';
import type { Principal } from '../directory/model';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { assertOwnTenant } from '../policy/admin-access';
import { collectionNotFound } from '../policy/collection-access';
import { isModeratingRole } from '../policy/roles';
import type { SupportStore } from '../ports';
import { collectionVisibleTo, handledVersion, latestVisibleTo, type ObjectAccessDeps } from './object-access';

/**
 * Analysis-support requests (issue #14, point 6; the design guide's 分析支援依頼): a member asks the hub for help — on
 * an item or a question of its own — and the thread is visible only to that member and the tenant's moderators.
 * Anyone else gets the 404 of a request that does not exist. A thread about an object is a request about it like a
 * takedown (object-access.ts): the member asks about the latest version it reads, and the moderators who see the
 * thread are those who read the object's latest version and whose member provided none of it (the provider does not
 * learn who asks about its items); one about a collection, those who see the collection.
 */
const MAX_MESSAGES = 200;
/** A thread is one stored item (DynamoDB: 400 KB at most): its messages' text together stays under this many bytes. */
const MAX_THREAD_BYTES = 256 * 1024;
const textBytes = (messages: readonly { text: string }[]): number =>
  messages.reduce((sum, m) => sum + new TextEncoder().encode(m.text).length, 0);

export const SupportMessageSchema = z.object({
  at: z.string(),
  from: z.enum(['member', 'moderator']),
  username: z.string(),
  text: z.string(),
});

export const SupportRequestSchema = z.object({
  tenantId: z.string(),
  requestId: z.string(),
  memberId: z.string(),
  subject: z.string(),
  collectionId: z.string().optional(),
  objectId: z.string().optional(),
  state: z.enum(['open', 'closed']),
  revision: z.number().int().min(1),
  messages: z.array(SupportMessageSchema),
});
export type SupportRequest = z.infer<typeof SupportRequestSchema>;

export interface SupportDeps extends AuditDeps, ObjectAccessDeps {
  support: SupportStore;
  newId: () => string;
}

const Text = z.string().min(1).max(8000);
export const NewSupportInput = z
  .object({
    subject: z.string().min(1).max(200),
    question: Text,
    collectionId: z.string().min(1).max(64).optional(),
    objectId: z.string().min(1).max(300).optional(),
  })
  .strict();
export const SupportReplyInput = z.object({ text: Text, close: z.boolean().default(false) }).strict();

/** Whether `principal` sees the thread: its own member's, or a moderator's as the header above says. */
async function maySee(principal: Principal, request: SupportRequest, deps: SupportDeps): Promise<boolean> {
  if (request.memberId === principal.memberId) return true;
  if (!isModeratingRole(principal.role)) return false;
  const { collectionId, objectId } = request;
  if (collectionId && objectId) return (await handledVersion(principal, request.tenantId, { collectionId, objectId }, deps)) !== undefined;
  if (collectionId) return collectionVisibleTo(principal, request.tenantId, collectionId, deps);
  return true;
}

/** The request if `principal` may see it, else the 404 of one that does not exist. */
async function visibleRequest(principal: Principal, tenantId: string, requestId: string, deps: SupportDeps): Promise<SupportRequest> {
  assertOwnTenant(principal, tenantId);
  const request = await deps.support.get(tenantId, requestId);
  if (!request || !(await maySee(principal, request, deps)))
    throw new NotFoundError(`No support request ${requestId} for these credentials`);
  return request;
}

export async function askSupport(principal: Principal, tenantId: string, input: unknown, deps: SupportDeps): Promise<SupportRequest> {
  assertOwnTenant(principal, tenantId);
  const { question, ...about } = parseInput(NewSupportInput, input);
  const { collectionId, objectId } = about;
  if (objectId && !collectionId) throw new BadRequestError('objectId: name its collection too (collectionId)');
  if (collectionId && objectId && !(await latestVisibleTo(principal, tenantId, { collectionId, objectId }, deps)))
    throw new NotFoundError(`No object ${objectId} in collection ${collectionId} for these credentials`);
  if (collectionId && !(await collectionVisibleTo(principal, tenantId, collectionId, deps))) throw collectionNotFound(collectionId);
  const at = new Date(deps.now()).toISOString();
  const request: SupportRequest = {
    tenantId,
    requestId: `${at}~${deps.newId()}`,
    memberId: principal.memberId,
    ...about,
    state: 'open',
    revision: 1,
    messages: [{ at, from: 'member', username: principal.username, text: question }],
  };
  await deps.support.create(request);
  await appendAudit(
    tenantId,
    { actor: actorOf(principal), memberId: principal.memberId, action: 'support.ask', target: { type: 'support', id: request.requestId } },
    deps,
  );
  return request;
}

/** Moderators: every request of the tenant they may see (maySee); anyone else: its own member's. */
export async function listSupport(
  principal: Principal,
  tenantId: string,
  deps: SupportDeps,
): Promise<{ requests: Array<Omit<SupportRequest, 'messages'> & { messages: number }> }> {
  assertOwnTenant(principal, tenantId);
  const all = isModeratingRole(principal.role)
    ? await deps.support.list(tenantId)
    : await deps.support.ofMember(tenantId, principal.memberId);
  const seen = await Promise.all(all.map((r) => maySee(principal, r, deps)));
  const requests = all.filter((_, i) => seen[i]);
  return { requests: requests.map(({ messages, ...rest }) => ({ ...rest, messages: messages.length })) };
}

export const showSupport = visibleRequest;

export async function replySupport(
  principal: Principal,
  tenantId: string,
  requestId: string,
  input: unknown,
  deps: SupportDeps,
): Promise<SupportRequest> {
  const request = await visibleRequest(principal, tenantId, requestId, deps);
  const { text, close } = parseInput(SupportReplyInput, input);
  if (request.state === 'closed') throw new BadRequestError(`Support request ${requestId} is closed; ask a new one`);
  if (request.messages.length >= MAX_MESSAGES)
    throw new BadRequestError(`Support request ${requestId} has ${MAX_MESSAGES} messages; ask a new one`);
  if (textBytes(request.messages) + textBytes([{ text }]) > MAX_THREAD_BYTES)
    throw new BadRequestError(`text: support request ${requestId} would exceed ${MAX_THREAD_BYTES} bytes of messages; ask a new one`);
  const from = request.memberId === principal.memberId ? 'member' : 'moderator';
  const updated: SupportRequest = {
    ...request,
    state: close ? 'closed' : 'open',
    revision: request.revision + 1,
    messages: [...request.messages, { at: new Date(deps.now()).toISOString(), from, username: principal.username, text }],
  };
  if ((await deps.support.update(updated, request.revision)) === 'stale')
    throw new ConflictError(`Support request ${requestId} changed meanwhile; reload it`);
  await appendAudit(
    tenantId,
    {
      actor: actorOf(principal),
      memberId: principal.memberId,
      action: close ? 'support.close' : 'support.reply',
      target: { type: 'support', id: requestId },
    },
    deps,
  );
  return updated;
}
