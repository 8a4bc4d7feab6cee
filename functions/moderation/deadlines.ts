import { completeAbandonedPublications, expireReviews } from '../../shared/core/moderation/sweeps';
import { moderationDeps } from '../../shared/runtime/admin-deps';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

/**
 * Scheduled (infra/topology.ts `scheduled`), tenant by tenant: items whose provider did not answer its review in time
 * are withdrawn, or published where the collection says so; publications a failed commit left `publishing` past
 * their lease are completed (core/moderation/sweeps.ts).
 */
export const handler = observed(async (): Promise<{ expired: number; completed: number }> => {
  const c = container();
  const deps = moderationDeps(c);
  let expired = 0;
  let completed = 0;
  for (const tenant of await c.directory.listTenants()) {
    expired += await expireReviews(tenant.id, deps);
    completed += await completeAbandonedPublications(tenant.id, deps);
  }
  c.logger.info('moderation review deadlines and abandoned publications', { expired, completed });
  return { expired, completed };
});
