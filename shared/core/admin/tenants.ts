import { z } from 'zod';
import { ConflictError } from '../errors';
import { isOperator, TenantSchema, type Caller, type Tenant } from '../directory/model';
import { recordChange } from '../audit/record';
import { administeredTenant, assertOperator, visibleTenant } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput, parsePatch } from '../input';
import { bounded, LIMITS } from '../text/limits';

export const NewTenantSchema = TenantSchema.pick({ id: true, nameEn: true, nameJa: true, description: true })
  .extend({ identityId: TenantSchema.shape.identityId.optional() })
  .strict();
export const TenantPatchSchema = z
  .object({
    nameEn: TenantSchema.shape.nameEn.optional(),
    nameJa: TenantSchema.shape.nameJa.optional(),
    description: bounded(LIMITS.description).optional(),
    /** Operators only: a suspended tenant's credentials stop working at once. */
    status: z.enum(['active', 'suspended']).optional(),
    /**
     * Operators only: TAXII requests per minute for the whole tenant (shared/core/policy/tenant-throttle.ts);
     * `null` returns to the platform default.
     */
    requestsPerMinute: z.number().int().positive().nullable().optional(),
    /** Operators only: bytes of attachments and samples the tenant may keep (shared/core/files); `null`: the default. */
    storageQuotaBytes: z.number().int().positive().nullable().optional(),
  })
  .strict();

/** What only operators set, with what the refusal calls it: a tenant must not raise its own share of the platform. */
const OPERATOR_LIMITS = { requestsPerMinute: 'request limit', storageQuotaBytes: 'storage quota' } as const;

/** The STIX 2.1 identity (§4.15) the tenant publishes under: anonymised items carry it as created_by_ref. */
export function tenantIdentity(tenant: Tenant): Record<string, unknown> {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: tenant.identityId,
    name: `${tenant.nameEn} / ${tenant.nameJa}`,
    identity_class: 'organization',
  };
}

const view = (tenant: Tenant) => ({ ...tenant, identity: tenantIdentity(tenant) });
const target = (tenant: Tenant) => ({ type: 'tenant', id: tenant.id });

/** Operators create tenants; each gets its own STIX identity and starts its own audit chain. */
export async function createTenant(caller: Caller, body: unknown, deps: AdminDeps) {
  assertOperator(caller, 'create tenants');
  const input = parseInput(NewTenantSchema, body);
  const tenant = TenantSchema.parse({ ...input, identityId: input.identityId ?? `identity--${deps.newId()}`, status: 'active' });
  if ((await deps.directory.createTenant(tenant)) === 'exists') {
    throw new ConflictError(`Tenant id ${tenant.id} is taken (ids of deleted tenants are never reused)`);
  }
  await recordChange(caller, { chain: tenant.id, action: 'tenant.create', target: target(tenant), after: tenant }, deps);
  return view(tenant);
}

/** Operators see every tenant that is not deleted; anyone else only its own. */
export async function listTenants(caller: Caller, deps: AdminDeps) {
  const tenants = isOperator(caller) ? await deps.directory.listTenants() : [await visibleTenant(caller, caller.tenantId, deps)];
  return { tenants: tenants.filter((t) => t.status !== 'deleted').map(view) };
}

export async function getTenant(caller: Caller, tenantId: string, deps: AdminDeps) {
  return view(await visibleTenant(caller, tenantId, deps));
}

/**
 * Tenant admins rename and describe their tenant; only operators suspend or resume it, or change its limits
 * (OPERATOR_LIMITS).
 */
export async function updateTenant(caller: Caller, tenantId: string, body: unknown, deps: AdminDeps) {
  const before = await administeredTenant(caller, tenantId, deps);
  const { requestsPerMinute, storageQuotaBytes, ...patch } = parsePatch(TenantPatchSchema, body);
  if (patch.status !== undefined && patch.status !== before.status) assertOperator(caller, 'suspend or resume tenants');
  const after = TenantSchema.parse({ ...before, ...patch });
  for (const [limit, value] of [
    ['requestsPerMinute', requestsPerMinute],
    ['storageQuotaBytes', storageQuotaBytes],
  ] as const) {
    if (value === undefined) continue;
    if ((value ?? undefined) !== before[limit]) assertOperator(caller, `change a tenant's ${OPERATOR_LIMITS[limit]}`);
    if (value === null) delete after[limit];
    else after[limit] = value;
  }
  await deps.directory.putTenant(after);
  await recordChange(caller, { chain: tenantId, action: 'tenant.update', target: target(after), before, after }, deps);
  return view(after);
}

/**
 * Operators delete tenants. The tenant stays as a tombstone (status `deleted`): its credentials stop working, it
 * disappears from every listing, and its id is never given to a new tenant, which would inherit its objects and
 * audit log.
 */
export async function deleteTenant(caller: Caller, tenantId: string, deps: AdminDeps): Promise<void> {
  const before = await visibleTenant(caller, tenantId, deps);
  assertOperator(caller, 'delete tenants');
  const after = { ...before, status: 'deleted' as const };
  await deps.directory.putTenant(after);
  await recordChange(caller, { chain: tenantId, action: 'tenant.delete', target: target(after), before, after }, deps);
}
