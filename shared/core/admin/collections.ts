import { ConflictError, NotFoundError } from '../errors';
import { CollectionSchema, type Caller, type Collection } from '../directory/model';
import { CollectionPolicySchema, LAGGING_POLICY_FIELDS, SETTINGS_CACHE_MS } from '../pipeline/collection-policy';
import { recordChange } from '../audit/record';
import { administeredTenant } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput, parsePatch, sentFields } from '../input';

/**
 * Collections as the tenant admin sees them: title, description, TLP default, and the pipeline policy (TLP
 * ceiling, filter rules, attribution, publication) that the pipeline stages read.
 */
export const NewCollectionSchema = CollectionSchema.omit({ tenantId: true, id: true }).strict();
export const CollectionPatchSchema = CollectionSchema.pick({
  title: true,
  description: true,
  alias: true,
  defaultTlp: true,
  publication: true,
})
  .partial()
  .extend({ policy: CollectionPolicySchema.partial().optional() })
  .strict();

async function existingCollection(tenantId: string, collectionId: string, deps: AdminDeps): Promise<Collection> {
  const collection = await deps.directory.getCollection(tenantId, collectionId);
  if (!collection) throw new NotFoundError(`No collection ${collectionId} in tenant ${tenantId}`);
  return collection;
}

/** TAXII-CLIENTS #8: OpenCTI and XSOAR pick collections by title, so titles are unique within an API root. */
async function assertTitleFree(tenantId: string, title: string, exceptId: string | undefined, deps: AdminDeps): Promise<void> {
  const taken = (await deps.directory.listCollections(tenantId)).some((c) => c.title === title && c.id !== exceptId);
  if (taken) throw new ConflictError(`A collection titled "${title}" already exists in ${tenantId}`);
}

const target = (collection: Collection) => ({ type: 'collection', id: collection.id });

export async function createCollection(caller: Caller, tenantId: string, body: unknown, deps: AdminDeps): Promise<Collection> {
  await administeredTenant(caller, tenantId, deps);
  const collection = CollectionSchema.parse({ ...parseInput(NewCollectionSchema, body), tenantId, id: deps.newId() });
  await assertTitleFree(tenantId, collection.title, undefined, deps);
  if ((await deps.directory.createCollection(collection)) === 'exists')
    throw new ConflictError(`Collection id ${collection.id} collided; try again`);
  await recordChange(caller, { chain: tenantId, action: 'collection.create', target: target(collection), after: collection }, deps);
  return collection;
}

export async function listAdminCollections(caller: Caller, tenantId: string, deps: AdminDeps): Promise<{ collections: Collection[] }> {
  await administeredTenant(caller, tenantId, deps);
  const collections = await deps.directory.listCollections(tenantId);
  return { collections: collections.sort((a, b) => a.title.localeCompare(b.title)) };
}

export async function getAdminCollection(caller: Caller, tenantId: string, collectionId: string, deps: AdminDeps): Promise<Collection> {
  await administeredTenant(caller, tenantId, deps);
  return existingCollection(tenantId, collectionId, deps);
}

/**
 * Changes apply to what is shared from now on; committed versions keep the scope they were committed with. Every
 * POST accepted after the answer is judged by the new settings (the POST reads them and its pipeline message carries
 * them, docs/pipeline.md); `takesEffect` says from when everything follows them: now, or SETTINGS_CACHE_MS later
 * when a field warm functions keep (the alert trigger's `alert`) changed.
 */
export async function updateCollection(
  caller: Caller,
  tenantId: string,
  collectionId: string,
  body: unknown,
  deps: AdminDeps,
): Promise<Collection & { takesEffect: string }> {
  await administeredTenant(caller, tenantId, deps);
  const before = await existingCollection(tenantId, collectionId, deps);
  const { policy, ...patch } = parsePatch(CollectionPatchSchema, body);
  const sentPolicy = policy && sentFields(policy, (body as { policy?: unknown }).policy);
  const after = CollectionSchema.parse({ ...before, ...patch, policy: { ...before.policy, ...sentPolicy } });
  if (patch.title !== undefined) await assertTitleFree(tenantId, after.title, collectionId, deps);
  await deps.directory.putCollection(after);
  await recordChange(caller, { chain: tenantId, action: 'collection.update', target: target(after), before, after }, deps);
  const lags = LAGGING_POLICY_FIELDS.some((field) => JSON.stringify(before.policy[field]) !== JSON.stringify(after.policy[field]));
  return { ...after, takesEffect: new Date(deps.now() + (lags ? SETTINGS_CACHE_MS : 0)).toISOString() };
}
