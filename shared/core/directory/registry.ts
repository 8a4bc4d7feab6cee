import { z } from 'zod';
import { TenantIdSchema } from './model';

/**
 * A member's identifier registry (BRIEF, anonymize): what identifies the member as a victim. The anonymize stage
 * removes these from everything shared; only the member itself and tenant admins may read it.
 *
 * This is the schema that READS stored items, so it is lenient on purpose: a registry stored before a rule was
 * tightened (admin/registry-input.ts holds the rules for what callers send) must keep loading, or the pipeline
 * would stop anonymising that member altogether.
 */
const list = z.array(z.string()).default([]);

/** The lists of a registry, in one place: counts, digests and the CLI walk them. */
export const REGISTRY_LISTS = [
  'names',
  'domains',
  'emailDomains',
  'ipRanges',
  'brands',
  'internalHostSuffixes',
  'referencePrefixes',
] as const;
export type RegistryList = (typeof REGISTRY_LISTS)[number];

export const RegistryListsSchema = z.object({
  /** Organisation names and abbreviations, in Japanese and English (関東電力, Kanto Power, KPC). */
  names: list,
  /** Domains the member owns; subdomains count too. */
  domains: list,
  /** Domains of its staff's e-mail addresses, when they differ from `domains`. */
  emailDomains: list,
  /** Its address ranges in CIDR form (133.242.10.0/24, 2001:db8:1::/48). */
  ipRanges: list,
  /** Product and brand strings, project names. */
  brands: list,
  /** Suffixes of its internal host names (corp.kanto.local): hosts below them name the member. */
  internalHostSuffixes: list,
  /** Shapes of its ticket and case numbers (INC-, KP-SEC-): a value starting with one names the member. */
  referencePrefixes: list,
});
export type RegistryLists = z.infer<typeof RegistryListsSchema>;

export const MemberRegistrySchema = RegistryListsSchema.extend({
  tenantId: TenantIdSchema,
  memberId: z.string().min(1),
});
export type MemberRegistry = z.infer<typeof MemberRegistrySchema>;

/**
 * A change a member's own moderator or analyst asked for: it waits, one per member, until a tenant admin approves
 * or rejects it (a newer proposal replaces an older one). `proposedAt` names it, so an approval can say which one.
 */
export const RegistryProposalSchema = MemberRegistrySchema.extend({
  proposedAt: z.string().min(1),
  proposedBy: z.object({ username: z.string(), role: z.string() }),
});
export type RegistryProposal = z.infer<typeof RegistryProposalSchema>;

export const emptyLists = (): RegistryLists => ({
  names: [],
  domains: [],
  emailDomains: [],
  ipRanges: [],
  brands: [],
  internalHostSuffixes: [],
  referencePrefixes: [],
});

export const emptyRegistry = (tenantId: string, memberId: string): MemberRegistry => ({ tenantId, memberId, ...emptyLists() });

/** Only the lists, whatever else an object carries (keys, proposal metadata). */
export const listsOf = (registry: RegistryLists): RegistryLists =>
  Object.fromEntries(REGISTRY_LISTS.map((name) => [name, registry[name]])) as RegistryLists;
