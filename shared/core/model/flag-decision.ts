import { z } from 'zod';

/**
 * A moderator's decision on a false-positive flag (shared/core/search/flags.ts): one per object, the latest. A record
 * the store port carries, so it stands on the floor, below the feature that makes it.
 */
export const FlagDecisionSchema = z.object({
  tenantId: z.string(),
  collectionId: z.string(),
  objectId: z.string(),
  state: z.enum(['confirmed', 'lifted']),
  at: z.string(),
  by: z.string(),
  reason: z.string(),
});
export type FlagDecision = z.infer<typeof FlagDecisionSchema>;
