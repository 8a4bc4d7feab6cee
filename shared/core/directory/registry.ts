import { z } from 'zod';
import { TenantIdSchema } from './model';

/**
 * A member's identifier registry (BRIEF, anonymize): what identifies the member as a victim. The anonymize stage
 * removes these from everything shared; only the member itself and tenant admins may read it.
 */
export const MemberRegistrySchema = z.object({
  tenantId: TenantIdSchema,
  memberId: z.string().min(1),
  /** Organisation names and abbreviations, in Japanese and English (関東電力, Kanto Power, KPC). */
  names: z.array(z.string().trim().min(2)).default([]),
  /** Domains the member owns; subdomains count too. */
  domains: z.array(z.string().trim().toLowerCase().min(3)).default([]),
  /** Domains of its staff's e-mail addresses, when they differ from `domains`. */
  emailDomains: z.array(z.string().trim().toLowerCase().min(3)).default([]),
  /** Its address ranges in CIDR form (133.242.10.0/24, 2001:db8:1::/48). */
  ipRanges: z.array(z.string().trim().min(3)).default([]),
  /** Product and brand strings, internal host-name prefixes, project names. */
  brands: z.array(z.string().trim().min(2)).default([]),
});
export type MemberRegistry = z.infer<typeof MemberRegistrySchema>;

export const emptyRegistry = (tenantId: string, memberId: string): MemberRegistry => ({
  tenantId,
  memberId,
  names: [],
  domains: [],
  emailDomains: [],
  ipRanges: [],
  brands: [],
});
