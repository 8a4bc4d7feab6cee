import { expireReviews } from '../../shared/core/moderation/moderate';
import { moderationDeps } from '../../shared/runtime/admin-deps';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

/**
 * Scheduled (infra/topology.ts `scheduled`): items whose provider did not answer its review in time are withdrawn,
 * or published where the collection says so (core/moderation/queue.ts expireReview), tenant by tenant.
 */
export const handler = observed(async (): Promise<{ expired: number }> => {
  const c = container();
  const deps = moderationDeps(c);
  let expired = 0;
  for (const tenant of await c.directory.listTenants()) expired += await expireReviews(tenant.id, deps);
  c.logger.info('moderation review deadlines', { expired });
  return { expired };
});
