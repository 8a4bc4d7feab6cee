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
    /**
     * A "sample recipient": may also download the collection's malware samples (as encrypted zips). Samples are
     * not distributed by default (BRIEF); only a reading grant can carry this.
     */
    samples: z.boolean().default(false),
  })
  .refine((grant) => grant.read || grant.write, { error: 'a grant must allow read, write or both', path: ['read'] })
  .refine((grant) => !grant.samples || grant.read, {
    error: 'only a grant that allows read can make its grantee a sample recipient',
    path: ['samples'],
  });
export type Grant = z.infer<typeof GrantSchema>;
