import { ConflictError } from '../errors';
import { apply, type ModerationDeps } from './moderate';
import { completeAbandonedPublication, expireReview, type DecisionResult, type ModerationItem, type ModerationState } from './queue';

/**
 * What the platform decides on its own, on a schedule (functions/moderation/deadlines.ts), tenant by tenant:
 * - a provider's review past its deadline is decided by the collection's policy (queue.ts expireReview);
 * - a decision to publish whose commit failed (`publishing`, its claim older than the lease) is completed
 *   (queue.ts completeAbandonedPublication): the moderator decided once, and that is enough.
 * Each goes through the same `apply` as a person's decision (stored on its revision, then committed, settled and
 * audited as the platform); a conflict means someone decided meanwhile, and their decision stands.
 */
async function sweep(
  tenantId: string,
  state: ModerationState,
  decide: (item: ModerationItem, nowMs: number) => DecisionResult | undefined,
  deps: ModerationDeps,
): Promise<number> {
  let decided = 0;
  let after: string | undefined;
  do {
    const page = await deps.moderation.list(tenantId, { state }, { limit: 100, after });
    for (const item of page.items) {
      const result = decide(item, deps.now());
      if (!result) continue;
      await apply(item, result, undefined, deps).then(
        () => (decided += 1),
        (error: unknown) => {
          if (!(error instanceof ConflictError)) throw error;
        },
      );
    }
    after = page.next;
  } while (after);
  return decided;
}

/** Items whose provider did not answer in time: the collection's policy decides. */
export const expireReviews = (tenantId: string, deps: ModerationDeps): Promise<number> =>
  sweep(tenantId, 'awaiting-provider', expireReview, deps);

/** Publications left half-way by a failed commit, past their claim's lease: committed now. */
export const completeAbandonedPublications = (tenantId: string, deps: ModerationDeps): Promise<number> =>
  sweep(tenantId, 'publishing', completeAbandonedPublication, deps);
