import { z } from 'zod';
import { RegistryReviewSchema } from './registry';
import { RegistryInputSchema } from './registry-input';
import { NewTenantSchema, TenantPatchSchema } from './tenants';
import { MemberPatchSchema, NewMemberSchema } from './members';
import { KeyPatchSchema, NewKeySchema, NewUserSchema, RotateSchema, UserPatchSchema } from './credentials';
import { GroupPatchSchema, NewGroupSchema } from './groups';
import { CollectionPatchSchema, NewCollectionSchema } from './collections';
import { GrantInputSchema, GrantKeySchema } from './grants';
import { ModeratorDecisionInput, ProviderDecisionInput, RepostInput } from '../moderation/moderate';
import { NewTakedownInput, TakedownDecisionInput } from '../moderation/takedown';
import { FlagDecisionInput } from '../search/flags';
import { PostingInput } from '../moderation/posting';
import { NewSupportInput, SupportReplyInput } from '../moderation/support';
import { SubscriptionInputSchema, SubscriptionPatchSchema } from '../alerts/subscriptions';

/**
 * The OpenAPI 3.1 description of the admin API, served at GET /admin/openapi.json. Request bodies are generated
 * from the very zod schemas that validate them, so the document cannot drift from what the API accepts.
 */

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  who: string;
  body?: z.ZodType;
  query?: Record<string, string>;
  status: number;
  /** Other successful answers, by status: what they mean. */
  alsoAnswers?: Record<string, string>;
}

const T = '/admin/tenants/{tenant}';
const M = `${T}/members/{member}`;
const OPERATOR = 'platform operators';
const ADMIN = 'tenant admins of the tenant, operators';

const OPERATIONS: Operation[] = [
  { method: 'get', path: '/admin/whoami', summary: 'Who these credentials are', who: 'anyone authenticated', status: 200 },
  {
    method: 'get',
    path: '/admin/tenants',
    summary: 'List tenants (operators: all; others: their own)',
    who: 'anyone authenticated',
    status: 200,
  },
  { method: 'post', path: '/admin/tenants', summary: 'Create a tenant', who: OPERATOR, body: NewTenantSchema, status: 201 },
  { method: 'get', path: T, summary: 'Read a tenant with its STIX identity', who: 'users of the tenant, operators', status: 200 },
  {
    method: 'patch',
    path: T,
    summary: 'Rename or describe a tenant; suspend or resume it, set its request limit and storage quota (operators)',
    who: ADMIN,
    body: TenantPatchSchema,
    status: 200,
  },
  { method: 'delete', path: T, summary: 'Delete a tenant (a tombstone: its id is never reused)', who: OPERATOR, status: 204 },
  { method: 'get', path: `${T}/members`, summary: 'List members', who: ADMIN, status: 200 },
  { method: 'post', path: `${T}/members`, summary: 'Add a member organisation', who: ADMIN, body: NewMemberSchema, status: 201 },
  { method: 'get', path: M, summary: 'Read a member', who: `${ADMIN}, the member's own users`, status: 200 },
  {
    method: 'patch',
    path: M,
    summary: 'Change a member; suspend or expel it (effective on its next request)',
    who: ADMIN,
    body: MemberPatchSchema,
    status: 200,
  },
  {
    method: 'get',
    path: `${M}/registry`,
    summary: "Read the member's identifier registry, with the change awaiting review as `pending`",
    who: "tenant admins, the member's own users",
    status: 200,
  },
  {
    method: 'put',
    path: `${M}/registry`,
    summary:
      "Replace the member's identifier registry. A tenant admin's change takes effect at once (200); the member's own moderators and analysts propose it (202 with the proposal), replacing any earlier proposal, until a tenant admin approves it",
    who: "tenant admins, the member's users except readers and submit-only",
    body: RegistryInputSchema,
    status: 200,
    alsoAnswers: { '202': 'Proposed: the active registry is unchanged until a tenant admin approves' },
  },
  {
    method: 'post',
    path: `${M}/registry/approve`,
    summary: 'Make the pending registry change active (409 when proposedAt names a proposal a newer one replaced)',
    who: 'tenant admins of the tenant',
    body: RegistryReviewSchema,
    status: 200,
  },
  {
    method: 'post',
    path: `${M}/registry/reject`,
    summary: 'Discard the pending registry change (409 as for approve)',
    who: 'tenant admins of the tenant',
    body: RegistryReviewSchema,
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/moderation`,
    summary: 'The moderation queue: items waiting for a moderator or their provider, oldest first, that the caller may read',
    who: 'moderators and tenant admins of the tenant',
    query: {
      collection: 'collection id',
      provider: 'member id of the provider',
      state: 'queued | returned | awaiting-provider',
      reason: 'text the reason contains',
      queued_before: 'RFC 3339 time',
      limit: '1–500 (50)',
      next: 'the `next` of the previous page',
    },
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/moderation/{item}`,
    summary: 'One item: the version to be published, the original and every difference (the read of the original is audited)',
    who: 'moderators and tenant admins of the tenant',
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/moderation/{item}/decision`,
    summary:
      'Approve, redact (remove or mask only), reject with a reason, or return to the provider with a question; 409 if decided meanwhile',
    who: 'moderators and tenant admins of the tenant',
    body: ModeratorDecisionInput,
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/moderation/repost`,
    summary:
      "Re-post an item's latest version into another collection within its scope (TLP, RED recipients, secret kept; the provider's review where that collection asks for it)",
    who: 'moderators and tenant admins who read the item and may write to the target',
    body: RepostInput,
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/reviews`,
    summary: "The caller's own items waiting for it: to review before publication, or a moderator's question",
    who: 'users of the tenant',
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/reviews/{item}`,
    summary: 'The provider approves, redacts further, withdraws, or answers a question',
    who: 'the provider of the item',
    body: ProviderDecisionInput,
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/takedowns`,
    summary: 'Ask the moderators to take down or correct an item you receive; its provider never learns who asked',
    who: 'users of the tenant who may read the item',
    body: NewTakedownInput,
    status: 201,
  },
  {
    method: 'get',
    path: `${T}/takedowns`,
    summary: 'Open takedown requests about items the caller may read, with their latest version',
    who: 'moderators and tenant admins of the tenant',
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/takedowns/mine`,
    summary: "The caller's member's own requests and their outcomes",
    who: 'users of the tenant',
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/takedowns/{request}/decision`,
    summary: 'Revoke the item (a new version with revoked: true), publish a correction (remove or mask only), or dismiss with a note',
    who: 'moderators and tenant admins of the tenant',
    body: TakedownDecisionInput,
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/flags`,
    summary:
      'False-positive flags (flagged, or lifted by a moderator) with members’ counts: moderators see every one with who decided, a provider those on its own objects',
    who: 'users of the tenant',
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/flags`,
    summary: "Confirm an object's false-positive flag (exports leave it out) or lift it (only opinions added later count), with a reason",
    who: 'moderators and tenant admins of the tenant',
    body: FlagDecisionInput,
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/support`,
    summary: 'Ask the hub for analysis support (on an item or a question); only your member and the moderators see the thread',
    who: 'users of the tenant',
    body: NewSupportInput,
    status: 201,
  },
  {
    method: 'get',
    path: `${T}/support`,
    summary: "Support threads: every one for moderators, your member's own for anyone else",
    who: 'users of the tenant',
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/support/{request}`,
    summary: 'One support thread with its messages (404 for anyone but its member and the moderators)',
    who: "the asking member's users, moderators",
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/support/{request}/messages`,
    summary: 'Add a message to a support thread; close: true closes it',
    who: "the asking member's users, moderators",
    body: SupportReplyInput,
    status: 200,
  },
  {
    method: 'put',
    path: `${M}/posting`,
    summary: "Suspend a member's posting (TAXII POSTs, lists, attachments, samples refused with the reason) or lift it; it keeps reading",
    who: 'moderators and tenant admins of the tenant',
    body: PostingInput,
    status: 200,
  },
  { method: 'get', path: `${M}/users`, summary: 'List users of a member', who: ADMIN, status: 200 },
  {
    method: 'post',
    path: `${M}/users`,
    summary: 'Create a user; the answer holds its password, once',
    who: ADMIN,
    body: NewUserSchema,
    status: 201,
  },
  {
    method: 'patch',
    path: `${M}/users/{username}`,
    summary: 'Change role, status or expiry (expiresAt: null clears it)',
    who: ADMIN,
    body: UserPatchSchema,
    status: 200,
  },
  { method: 'delete', path: `${M}/users/{username}`, summary: 'Delete a user', who: ADMIN, status: 204 },
  {
    method: 'post',
    path: `${M}/users/{username}/rotate`,
    summary: 'Issue a new password (shown once); the old one stops working',
    who: ADMIN,
    body: RotateSchema,
    status: 200,
  },
  { method: 'get', path: `${M}/keys`, summary: 'List API keys of a member', who: ADMIN, status: 200 },
  {
    method: 'post',
    path: `${M}/keys`,
    summary: 'Create an API key; the answer holds the key, once',
    who: ADMIN,
    body: NewKeySchema,
    status: 201,
  },
  {
    method: 'patch',
    path: `${M}/keys/{keyId}`,
    summary: 'Rename, re-role, suspend or expire a key',
    who: ADMIN,
    body: KeyPatchSchema,
    status: 200,
  },
  { method: 'delete', path: `${M}/keys/{keyId}`, summary: 'Revoke a key', who: ADMIN, status: 204 },
  {
    method: 'post',
    path: `${M}/keys/{keyId}/rotate`,
    summary: 'Issue a new secret for the key (shown once)',
    who: ADMIN,
    body: RotateSchema,
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/groups`,
    summary: 'List groups (secret groups only to their members and admins)',
    who: 'users of the tenant',
    status: 200,
  },
  { method: 'post', path: `${T}/groups`, summary: 'Create a group', who: ADMIN, body: NewGroupSchema, status: 201 },
  {
    method: 'get',
    path: `${T}/groups/{group}`,
    summary: 'Read a group (404 for a secret group you are not in)',
    who: 'users of the tenant',
    status: 200,
  },
  { method: 'patch', path: `${T}/groups/{group}`, summary: 'Change a group', who: ADMIN, body: GroupPatchSchema, status: 200 },
  { method: 'delete', path: `${T}/groups/{group}`, summary: 'Delete a group and its grants', who: ADMIN, status: 204 },
  { method: 'put', path: `${T}/groups/{group}/members/{member}`, summary: 'Add a member to a group', who: ADMIN, status: 200 },
  { method: 'delete', path: `${T}/groups/{group}/members/{member}`, summary: 'Remove a member from a group', who: ADMIN, status: 200 },
  { method: 'get', path: `${T}/collections`, summary: 'List collections with their pipeline policy', who: ADMIN, status: 200 },
  {
    method: 'post',
    path: `${T}/collections`,
    summary: 'Create a collection (its id is a new UUIDv4)',
    who: ADMIN,
    body: NewCollectionSchema,
    status: 201,
  },
  { method: 'get', path: `${T}/collections/{collectionId}`, summary: 'Read a collection', who: ADMIN, status: 200 },
  {
    method: 'patch',
    path: `${T}/collections/{collectionId}`,
    summary: 'Change a collection or its policy',
    who: ADMIN,
    body: CollectionPatchSchema,
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/grants`,
    summary: 'List grants',
    who: ADMIN,
    query: { collection: 'only grants on this collection', member: 'only grants to this member', group: 'only grants to this group' },
    status: 200,
  },
  {
    method: 'put',
    path: `${T}/grants`,
    summary: 'Create or replace the grant of a member or group on a collection',
    who: ADMIN,
    body: GrantInputSchema,
    status: 200,
  },
  {
    method: 'delete',
    path: `${T}/grants`,
    summary: 'Delete a grant (named in the body, or by ?collection= and ?member= or ?group=)',
    who: ADMIN,
    body: GrantKeySchema,
    query: { collection: 'collection id', member: 'member id', group: 'group id' },
    status: 204,
  },
  {
    method: 'get',
    path: `${T}/audit`,
    summary: "Query the tenant's audit log in time order",
    who: ADMIN,
    query: {
      log: 'main (default) or auth (refused credentials)',
      since: 'ISO 8601 instant, inclusive',
      until: 'ISO 8601 instant, inclusive',
      member: 'acting member id',
      limit: '1–1000, default 100',
      next: 'from the previous page',
    },
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/audit/verify`,
    summary: "Verify the tenant's audit chain: hashes, links, MACs and its latest anchor",
    who: ADMIN,
    query: { log: 'main (default) or auth' },
    status: 200,
  },
  {
    method: 'get',
    path: '/admin/audit',
    summary: "Query the platform audit log (operators' changes; ?log=auth: failed logins of unknown users)",
    who: OPERATOR,
    query: { log: 'main (default) or auth' },
    status: 200,
  },
  {
    method: 'get',
    path: '/admin/audit/verify',
    summary: 'Verify the platform audit chain',
    who: OPERATOR,
    query: { log: 'main (default) or auth' },
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/collections/{collectionId}/search-index`,
    summary:
      "Rebuild the collection's search postings from its stored versions, a slice per call; pass the answer's next back until it has none",
    who: ADMIN,
    body: z.object({ next: z.string().optional() }),
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/stats`,
    summary: "The tenant's pipeline funnel: per stage received, forwarded, dropped by reason, failed, committed",
    who: ADMIN,
    status: 200,
  },
  {
    method: 'get',
    path: '/admin/pipeline/{stage}/dead-letters',
    summary: "Messages in a stage's dead-letter queue, with the last error",
    who: OPERATOR,
    status: 200,
  },
  {
    method: 'post',
    path: '/admin/pipeline/{stage}/dead-letters/redrive',
    summary: "Send a stage's dead letters back to the stage",
    who: OPERATOR,
    status: 200,
  },
  {
    method: 'post',
    path: '/admin/bootstrap',
    summary: 'Create the first platform operator of a fresh deployment (header X-Kyoyu-Bootstrap-Secret; once)',
    who: 'holder of the deployment bootstrap secret',
    status: 201,
  },
  { method: 'get', path: '/admin/openapi.json', summary: 'This document', who: 'anyone authenticated', status: 200 },
  // Alerts (issue #16, docs/alerts.md).
  {
    method: 'get',
    path: `${T}/subscriptions`,
    summary: "Every member's alert subscriptions (never their secrets)",
    who: 'tenant admins',
    status: 200,
  },
  {
    method: 'get',
    path: `${M}/subscriptions`,
    summary: "The member's alert subscriptions (never their secrets)",
    who: "tenant admins, the member's own users",
    status: 200,
  },
  {
    method: 'post',
    path: `${M}/subscriptions`,
    summary:
      'Subscribe a webhook (https; its whsec_ secret is in this answer only) or an e-mail address to alerts, with filters; role `escalation` for a secondary contact',
    who: "tenant admins, the member's users except readers and submit-only",
    body: SubscriptionInputSchema,
    status: 201,
  },
  {
    method: 'get',
    path: `${M}/subscriptions/{subscription}`,
    summary: 'Read one subscription (status, and why it was disabled)',
    who: "tenant admins, the member's own users",
    status: 200,
  },
  {
    method: 'patch',
    path: `${M}/subscriptions/{subscription}`,
    summary: 'Change filters, payload (thin or full), role; re-enable a disabled subscription with status active',
    who: "tenant admins, the member's users except readers and submit-only",
    body: SubscriptionPatchSchema,
    status: 200,
  },
  {
    method: 'delete',
    path: `${M}/subscriptions/{subscription}`,
    summary: 'Remove a subscription',
    who: "tenant admins, the member's users except readers and submit-only",
    status: 204,
  },
  {
    method: 'post',
    path: `${M}/subscriptions/{subscription}/rotate`,
    summary:
      'A new webhook secret (in this answer only); the previous one keeps signing beside it until {"finish": true} or the next rotation',
    who: "tenant admins, the member's users except readers and submit-only",
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/alerts`,
    summary: "Alerts, newest first: a member's own with its deliveries; tenant admins every alert with counts",
    who: 'users of the tenant',
    query: { limit: '1–500, default 100' },
    status: 200,
  },
  {
    method: 'get',
    path: `${T}/alerts/{alert}`,
    summary: "One alert: a recipient's own deliveries and acknowledgement; tenant admins every recipient's; its provider counts only",
    who: 'users of the tenant (404 to anyone else)',
    status: 200,
  },
  {
    method: 'post',
    path: `${T}/alerts/{alert}`,
    summary: "Acknowledge an alert for the caller's member (once; again, it answers the first acknowledgement)",
    who: 'users of a recipient member',
    status: 200,
  },
];

const ERROR_RESPONSE = {
  description: 'An error: what went wrong and what to do',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

function operation(op: Operation) {
  const pathParameters = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryParameters = Object.entries(op.query ?? {}).map(([name, description]) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type: 'string' },
  }));
  return {
    summary: op.summary,
    description: `Who may: ${op.who}.`,
    parameters: [...pathParameters, ...queryParameters],
    ...(op.body
      ? {
          requestBody: {
            required: op.method !== 'delete',
            content: { 'application/json': { schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }) } },
          },
        }
      : {}),
    responses: {
      [String(op.status)]:
        op.status === 204
          ? { description: 'Done' }
          : { description: 'Done', content: { 'application/json': { schema: { type: 'object' } } } },
      ...Object.fromEntries(
        Object.entries(op.alsoAnswers ?? {}).map(([status, description]) => [
          status,
          { description, content: { 'application/json': { schema: { type: 'object' } } } },
        ]),
      ),
      '400': ERROR_RESPONSE,
      '401': ERROR_RESPONSE,
      '403': ERROR_RESPONSE,
      '404': ERROR_RESPONSE,
      '409': ERROR_RESPONSE,
    },
  };
}

export function adminOpenApi(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kyoyu admin API',
      version: '1',
      description:
        'Tenants, members, users, API keys, identifier registries, groups, collections, grants and the audit log. ' +
        'Every change is recorded in the tenant audit log. A tenant admin manages its own tenant only: another tenant answers 404.',
    },
    servers: [{ url: serverUrl }],
    security: [{ basic: [] }, { apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'username:password, or any username with an API key as the password' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key> (or Token <API key>)' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['title', 'description', 'error_id', 'http_status'],
          properties: {
            title: { type: 'string' },
            description: { type: 'string' },
            error_id: { type: 'string' },
            http_status: { type: 'string' },
          },
        },
      },
    },
  };
}
