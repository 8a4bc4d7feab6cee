import { z } from 'zod';
import { parseCidr } from '../pipeline/ip';
import type { Caller } from '../directory/model';
import { emptyRegistry, MemberRegistrySchema, type MemberRegistry } from '../directory/registry';
import { recordChange } from '../audit/record';
import { registryAccess } from '../policy/admin-access';
import type { AdminDeps } from './deps';
import { parseInput } from './input';

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/, 'must be a domain name such as example.co.jp');
const cidr = z
  .string()
  .trim()
  .refine((value) => parseCidr(value) !== undefined, { message: 'must be an IP address or CIDR range such as 192.0.2.0/24 or 2001:db8::/32' });

/** What a member sends: the stored schema's fields, with domains and ranges checked so the anonymize stage can use them. */
export const RegistryInputSchema = MemberRegistrySchema.omit({ tenantId: true, memberId: true })
  .extend({ domains: z.array(hostname).default([]), emailDomains: z.array(hostname).default([]), ipRanges: z.array(cidr).default([]) })
  .strict();

/** The member's identifiers (what the anonymize stage strips); see policy/admin-access for who may read them. */
export async function getRegistry(caller: Caller, tenantId: string, memberId: string, deps: AdminDeps): Promise<MemberRegistry> {
  await registryAccess(caller, tenantId, memberId, 'read', deps);
  return (await deps.directory.getRegistry(tenantId, memberId)) ?? emptyRegistry(tenantId, memberId);
}

/** Replaces the whole registry (PUT semantics); values are normalised (trimmed, domains lower-cased). */
export async function putRegistry(caller: Caller, tenantId: string, memberId: string, body: unknown, deps: AdminDeps): Promise<MemberRegistry> {
  await registryAccess(caller, tenantId, memberId, 'write', deps);
  const before = (await deps.directory.getRegistry(tenantId, memberId)) ?? emptyRegistry(tenantId, memberId);
  const after = MemberRegistrySchema.parse({ ...parseInput(RegistryInputSchema, body), tenantId, memberId });
  await deps.directory.putRegistry(after);
  await recordChange(caller, { chain: tenantId, action: 'registry.update', target: { type: 'registry', id: memberId }, before, after }, deps);
  return after;
}
