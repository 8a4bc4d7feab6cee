import { z } from 'zod';
import { TLP_LEVELS } from '../taxii/model';
import { CollectionPolicySchema } from './collection-policy';

export const AccessScopeSchema = z.object({
  tlp: z.enum(TLP_LEVELS),
  recipients: z.array(z.string()),
  secret: z.boolean(),
  providerMemberId: z.string().min(1),
});

/**
 * What travels between pipeline stages: one whole POST (the queue adapter carries a large one by claim check), so
 * that every stage decides over the whole submission. `entry` is each object's index in the POST's status, so
 * every stage can settle exactly that object's outcome.
 */
export const PipelineMessageSchema = z.object({
  tenantId: z.string().min(1),
  collectionId: z.string().min(1),
  statusId: z.string().min(1),
  submittedAt: z.string().min(1),
  /**
   * What the submitter may read in this collection, fixed at submission: a status tells it about other members'
   * objects (dedupe's "already shared as …") only when it could read them anyway.
   */
  submitter: z
    .object({
      tenantId: z.string(),
      memberId: z.string(),
      clearance: z.enum(TLP_LEVELS),
      secretOptIn: z.boolean(),
      isModerator: z.boolean(),
      canRead: z.boolean(),
    })
    .optional(),
  /**
   * The collection's policy and publication as the POST read them (docs/pipeline.md "When a policy change applies"):
   * every stage judges the submission by these, never by a cached copy, so that a change that narrows what is
   * published applies to the very next POST. Absent only on messages queued before the field existed, which read
   * the (cached) directory.
   */
  settings: z.object({ policy: CollectionPolicySchema, publication: z.enum(['auto', 'moderation']) }).optional(),
  /** Objects of this submission an earlier stage refused: nothing published may point at them. */
  withheldIds: z.array(z.string()).default([]),
  /** How many times dedupe put these items back to wait for the object they would be merged into (dedupe.ts). */
  deferrals: z.number().int().min(0).optional(),
  /** The provider asked to review the anonymised version before anyone sees it (moderation). */
  providerReview: z.boolean().optional(),
  items: z.array(
    z.object({
      entry: z.number().int().min(0),
      access: AccessScopeSchema,
      /** Made by the platform (dedupe's corroboration sighting), not by the provider: no provider owns it. */
      platform: z.boolean().optional(),
      /** Why a moderator must see it before it is published (the filter's finding); it travels on, anonymised. */
      held: z.string().optional(),
      object: z.looseObject({ type: z.string(), id: z.string() }),
    }),
  ),
});
export type PipelineMessage = z.infer<typeof PipelineMessageSchema>;

/** Where a message that does not parse would have reported: enough of it to settle its status. */
const AddressSchema = z.object({
  tenantId: z.string().min(1),
  statusId: z.string().min(1),
  items: z.unknown().optional(),
});

/**
 * The status a malformed message belongs to, and the entries it carried (those whose `entry` still reads). With
 * none readable, `entries` is undefined: every entry the status still has pending is the message's to settle.
 */
export function addressOf(raw: unknown): { tenantId: string; statusId: string; entries?: number[] } | undefined {
  const parsed = AddressSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const items = Array.isArray(parsed.data.items) ? (parsed.data.items as unknown[]) : [];
  const entries = items.flatMap((item) => {
    const entry = (item as { entry?: unknown } | null)?.entry;
    return typeof entry === 'number' && Number.isInteger(entry) && entry >= 0 ? [entry] : [];
  });
  return { tenantId: parsed.data.tenantId, statusId: parsed.data.statusId, ...(entries.length > 0 ? { entries } : {}) };
}
