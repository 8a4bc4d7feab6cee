import fc from 'fast-check';
import type { z } from 'zod';
import { NewCollectionSchema } from '../../../shared/core/admin/collections';
import { NewGroupSchema, GroupPatchSchema } from '../../../shared/core/admin/groups';
import { parseInput } from '../../../shared/core/input';
import { MemberPatchSchema, NewMemberSchema } from '../../../shared/core/admin/members';
import { NewTenantSchema, TenantPatchSchema } from '../../../shared/core/admin/tenants';
import { SubscriptionInputSchema, SubscriptionPatchSchema } from '../../../shared/core/alerts/subscriptions';
import { BadRequestError } from '../../../shared/core/errors';
import { LIMITS } from '../../../shared/core/text/limits';

/** Every user-written string of the admin inputs, with the body that carries it and its limit (docs/admin-api.md "Size limits"). */
const FIELDS: Array<{ where: string; schema: z.ZodType; field: string; limit: number; body: (value: string) => unknown }> = [
  {
    where: 'NewMemberSchema',
    schema: NewMemberSchema,
    field: 'nameEn',
    limit: LIMITS.name,
    body: (v) => ({ id: 'm', nameEn: v, nameJa: 'n' }),
  },
  {
    where: 'NewMemberSchema',
    schema: NewMemberSchema,
    field: 'nameJa',
    limit: LIMITS.name,
    body: (v) => ({ id: 'm', nameEn: 'n', nameJa: v }),
  },
  {
    where: 'NewMemberSchema',
    schema: NewMemberSchema,
    field: 'sector',
    limit: LIMITS.sector,
    body: (v) => ({ id: 'm', nameEn: 'n', nameJa: 'n', sector: v }),
  },
  { where: 'MemberPatchSchema', schema: MemberPatchSchema, field: 'nameJa', limit: LIMITS.name, body: (v) => ({ nameJa: v }) },
  {
    where: 'NewTenantSchema',
    schema: NewTenantSchema,
    field: 'description',
    limit: LIMITS.description,
    body: (v) => ({ id: 'tt', nameEn: 'n', nameJa: 'n', description: v }),
  },
  { where: 'TenantPatchSchema', schema: TenantPatchSchema, field: 'nameEn', limit: LIMITS.name, body: (v) => ({ nameEn: v }) },
  {
    where: 'TenantPatchSchema',
    schema: TenantPatchSchema,
    field: 'description',
    limit: LIMITS.description,
    body: (v) => ({ description: v }),
  },
  {
    where: 'NewGroupSchema',
    schema: NewGroupSchema,
    field: 'title',
    limit: LIMITS.name,
    body: (v) => ({ id: 'g', title: v, kind: 'open' }),
  },
  {
    where: 'GroupPatchSchema',
    schema: GroupPatchSchema,
    field: 'description',
    limit: LIMITS.description,
    body: (v) => ({ description: v }),
  },
  { where: 'NewCollectionSchema', schema: NewCollectionSchema, field: 'title', limit: LIMITS.name, body: (v) => ({ title: v }) },
  {
    where: 'NewCollectionSchema',
    schema: NewCollectionSchema,
    field: 'description',
    limit: LIMITS.description,
    body: (v) => ({ title: 't', description: v }),
  },
  {
    where: 'SubscriptionInputSchema',
    schema: SubscriptionInputSchema,
    field: 'filters.labels[0]',
    limit: LIMITS.label,
    body: (v) => ({ channel: { kind: 'webhook', url: 'https://example.com/' }, filters: { labels: [v] } }),
  },
  {
    where: 'SubscriptionPatchSchema',
    schema: SubscriptionPatchSchema,
    field: 'filters.types[0]',
    limit: LIMITS.stixType,
    body: (v) => ({ filters: { types: [v] } }),
  },
];

function refusal(schema: z.ZodType, body: unknown): string | undefined {
  try {
    parseInput(schema, body);
    return undefined;
  } catch (error) {
    if (error instanceof BadRequestError) return error.description;
    throw error;
  }
}

describe('size limits of admin inputs', () => {
  it.each(FIELDS)(
    '$where $field: up to its limit accepted, one more refused naming the field and limit',
    ({ schema, field, limit, body }) => {
      fc.assert(
        fc.property(fc.constantFrom('a', 'あ', ' '), fc.integer({ min: 1, max: 5_000 }), (ch, extra) => {
          expect(refusal(schema, body(ch.repeat(limit)))).toBeUndefined();
          expect(refusal(schema, body(ch.repeat(limit + extra)))).toBe(`${field}: must be at most ${limit} characters`);
        }),
        { numRuns: 20 },
      );
    },
  );

  it('refuses an e-mail address longer than RFC 5321 allows', () => {
    const address = `${'a'.repeat(64)}@${'b'.repeat(200)}.example.com`;
    expect(refusal(SubscriptionInputSchema, { channel: { kind: 'email', address } })).toContain(
      `channel.address: must be at most ${LIMITS.email} characters`,
    );
  });
});
