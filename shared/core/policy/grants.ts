import { z } from 'zod';
import { TenantIdSchema } from '../directory/model';
import { TlpSchema } from './tlp';

/** Who a grant is for: one member, or every member of a group of the tenant. */
export const GranteeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('member'), memberId: z.string().min(1) }),
  z.object({ kind: z.literal('group'), groupId: z.string().min(1) }),
]);
export type Grantee = z.infer<typeof GranteeSchema>;

/**
 * Access to one collection: read (TAXII 2.1 §5.3–5.8 GETs), write (§5.5 POST) and, for reading, the most
 * restrictive TLP the grantee is cleared for there. Grants only add: a member's access is the union of its own
 * grants and its groups' (see collection-access.ts).
 */
export const GrantSchema = z
  .object({
    tenantId: TenantIdSchema,
    collectionId: z.string().uuid(),
    grantee: GranteeSchema,
    read: z.boolean(),
    write: z.boolean(),
    clearance: TlpSchema,
  })
  .refine((grant) => grant.read || grant.write, { error: 'a grant must allow read, write or both', path: ['read'] });
export type Grant = z.infer<typeof GrantSchema>;
