import { z } from 'zod';
import { TLP_LEVELS } from '../taxii/model';
import { CollectionPolicySchema } from '../pipeline/collection-policy';
import { bounded, LIMITS } from '../text/limits';

/** Tenant ids appear in URLs (`/<tenant>/`), so they are restricted to URL-safe slugs. */
/** Path segments the platform itself uses at the top level; no tenant may take them. */
export const RESERVED_TENANT_IDS = ['taxii2', 'admin', 'operator', 'openapi', 'health'];

export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2–63 lower-case letters, digits or hyphens, starting with a letter or digit')
  .refine((id) => !RESERVED_TENANT_IDS.includes(id), { message: `must not be one of ${RESERVED_TENANT_IDS.join(', ')}` });

export const RoleSchema = z.enum(['tenant-admin', 'moderator', 'analyst', 'reader', 'submit-only']);
export type Role = z.infer<typeof RoleSchema>;

export const StatusSchema = z.enum(['active', 'suspended']);
/** A deleted tenant is a tombstone: its id is never reused, so no new tenant inherits its objects or audit log. */
export const TenantStatusSchema = z.enum(['active', 'suspended', 'deleted']);

export const TenantSchema = z.object({
  id: TenantIdSchema,
  nameEn: bounded(LIMITS.name).min(1),
  nameJa: bounded(LIMITS.name).min(1),
  description: bounded(LIMITS.description).default(''),
  /** STIX identity the tenant publishes under (anonymised items carry it as created_by_ref). */
  identityId: z.string().regex(/^identity--[0-9a-f-]{36}$/),
  status: TenantStatusSchema.default('active'),
  /**
   * TAXII requests the tenant's users and keys may make per minute, together; set by platform operators only.
   * Unset: DEFAULT_TENANT_REQUESTS_PER_MINUTE (shared/core/policy/tenant-throttle.ts).
   */
  requestsPerMinute: z.number().int().positive().optional(),
  /** Bytes of attachments and samples the tenant may keep; set by platform operators. Unset: the platform default. */
  storageQuotaBytes: z.number().int().positive().optional(),
});
export type Tenant = z.infer<typeof TenantSchema>;

export const MemberSchema = z.object({
  tenantId: TenantIdSchema,
  id: z.string().min(1),
  nameEn: bounded(LIMITS.name).min(1),
  nameJa: bounded(LIMITS.name).min(1),
  sector: bounded(LIMITS.sector).default('unspecified'),
  tier: z.number().int().min(0).default(0),
  status: z.enum(['active', 'suspended', 'expelled']).default('active'),
  secretOptIn: z.boolean().default(false),
  /** Set by a moderator: the member reads as before but shares nothing until it is lifted (issue #14). */
  postingSuspended: z.object({ at: z.string(), by: z.string(), reason: z.string() }).optional(),
});
export type Member = z.infer<typeof MemberSchema>;

export const UserSchema = z.object({
  username: z.string().regex(/^[a-z0-9][a-z0-9._@-]{2,127}$/i, 'must be 3–128 letters, digits or . _ @ -'),
  tenantId: TenantIdSchema,
  memberId: z.string().min(1),
  role: RoleSchema,
  passwordHash: z.string().min(1),
  status: StatusSchema.default('active'),
  /** After this instant the password no longer authenticates (rotate to renew). */
  expiresAt: z.iso.datetime().optional(),
});
export type User = z.infer<typeof UserSchema>;

/**
 * A platform operator: creates, suspends and deletes tenants, belongs to none. Stored in the users' namespace
 * (usernames are global), marked by `kind`.
 */
export const OperatorSchema = z.object({
  kind: z.literal('operator'),
  username: UserSchema.shape.username,
  passwordHash: z.string().min(1),
  status: StatusSchema.default('active'),
});
export type Operator = z.infer<typeof OperatorSchema>;

export const CollectionSchema = z.object({
  tenantId: TenantIdSchema,
  /** TAXII-CLIENTS #8: a lower-case canonical UUIDv4 (Sentinel refuses anything else). */
  id: z.string().uuid(),
  title: bounded(LIMITS.name).min(1),
  description: bounded(LIMITS.description).default(''),
  alias: bounded(LIMITS.name).optional(),
  /** TLP given to objects that arrive without a TLP marking. */
  defaultTlp: z.enum(TLP_LEVELS).default('amber'),
  /** What the pipeline does with objects shared here: TLP ceiling, filters, attribution (shared/core/pipeline). */
  policy: CollectionPolicySchema.default(CollectionPolicySchema.parse({})),
  /** `auto`: what passes the pipeline is published; `moderation`: a moderator publishes it. */
  publication: z.enum(['auto', 'moderation']).default('auto'),
});
export type Collection = z.infer<typeof CollectionSchema>;

/** Who is calling, as established by the authorizer; every use case takes it. */
export interface Principal {
  tenantId: string;
  memberId: string;
  username: string;
  role: Role;
}

/** A platform operator as established by the authorizer: no tenant, no member. */
export interface OperatorPrincipal {
  role: 'operator';
  username: string;
}

/** Whoever calls the admin API. */
export type Caller = Principal | OperatorPrincipal;

export const isOperator = (caller: Caller): caller is OperatorPrincipal => caller.role === 'operator';
