import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { Caller } from '../directory/model';
import { GranteeSchema, GrantSchema, type Grant, type Grantee } from '../policy/grants';
import { TlpSchema } from '../policy/tlp';
import { recordChange } from '../audit/record';
import { administeredTenant, existingMember } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput } from '../input';

/**
 * Grants: member or group × collection × read/write × TLP clearance (policy/grants.ts). A change is visible on the
 * grantee's next TAXII request: access is computed from the stored grants on every request.
 */
export const GrantInputSchema = z
  .object({
    collectionId: z.string().uuid(),
    grantee: GranteeSchema,
    read: z.boolean(),
    write: z.boolean(),
    clearance: TlpSchema,
    samples: z.boolean().optional(),
  })
  .strict();
export const GrantKeySchema = z.object({ collectionId: z.string().uuid(), grantee: GranteeSchema }).strict();
export const GrantFilterSchema = z.object({
  collection: z.string().optional(),
  member: z.string().optional(),
  group: z.string().optional(),
});

const granteeId = (grantee: Grantee) => (grantee.kind === 'member' ? `member:${grantee.memberId}` : `group:${grantee.groupId}`);
const target = (collectionId: string, grantee: Grantee) => ({ type: 'grant', id: `${collectionId}/${granteeId(grantee)}` });

async function assertTargetsExist(tenantId: string, collectionId: string, grantee: Grantee, deps: AdminDeps): Promise<void> {
  if (!(await deps.directory.getCollection(tenantId, collectionId)))
    throw new NotFoundError(`No collection ${collectionId} in tenant ${tenantId}`);
  if (grantee.kind === 'member') await existingMember(tenantId, grantee.memberId, deps);
  else if (!(await deps.directory.getGroup(tenantId, grantee.groupId)))
    throw new NotFoundError(`No group ${grantee.groupId} in tenant ${tenantId}`);
}

const sameGrant = (collectionId: string, grantee: Grantee) => (g: Grant) =>
  g.collectionId === collectionId && granteeId(g.grantee) === granteeId(grantee);

export async function listGrants(caller: Caller, tenantId: string, filter: unknown, deps: AdminDeps): Promise<{ grants: Grant[] }> {
  await administeredTenant(caller, tenantId, deps);
  const { collection, member, group } = parseInput(GrantFilterSchema, filter, 'query');
  const grants = (await deps.directory.listGrants(tenantId)).filter(
    (g) =>
      (collection === undefined || g.collectionId === collection) &&
      (member === undefined || (g.grantee.kind === 'member' && g.grantee.memberId === member)) &&
      (group === undefined || (g.grantee.kind === 'group' && g.grantee.groupId === group)),
  );
  return { grants };
}

/** Creates or replaces the grant of one grantee on one collection (PUT semantics). */
export async function putGrant(caller: Caller, tenantId: string, body: unknown, deps: AdminDeps): Promise<Grant> {
  await administeredTenant(caller, tenantId, deps);
  const grant = parseInput(GrantSchema, { ...parseInput(GrantInputSchema, body), tenantId });
  await assertTargetsExist(tenantId, grant.collectionId, grant.grantee, deps);
  const before = (await deps.directory.listGrants(tenantId)).find(sameGrant(grant.collectionId, grant.grantee));
  await deps.directory.putGrant(grant);
  await recordChange(
    caller,
    {
      chain: tenantId,
      action: before ? 'grant.update' : 'grant.create',
      target: target(grant.collectionId, grant.grantee),
      before,
      after: grant,
    },
    deps,
  );
  return grant;
}

export async function deleteGrant(caller: Caller, tenantId: string, body: unknown, deps: AdminDeps): Promise<void> {
  await administeredTenant(caller, tenantId, deps);
  const { collectionId, grantee } = parseInput(GrantKeySchema, body);
  const before = (await deps.directory.listGrants(tenantId)).find(sameGrant(collectionId, grantee));
  if (!before) throw new NotFoundError(`No grant for ${granteeId(grantee)} on collection ${collectionId}`);
  await deps.directory.deleteGrant(tenantId, collectionId, grantee);
  await recordChange(caller, { chain: tenantId, action: 'grant.delete', target: target(collectionId, grantee), before }, deps);
}
