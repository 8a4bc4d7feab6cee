import { expireReviews } from '../../shared/core/moderation/moderate';
import { releaseUnpublished } from '../../shared/core/pipeline/dedupe';
import { samenessOf } from '../../shared/core/pipeline/observables';
import { container } from '../../shared/runtime/composition-root';

/**
 * Scheduled (infra/topology.ts `scheduled`): items whose provider did not answer its review in time are withdrawn,
 * or published where the collection says so (core/moderation/queue.ts expireReview), tenant by tenant.
 */
export async function handler(): Promise<{ expired: number }> {
  const c = container();
  const deps = {
    directory: c.directory,
    moderation: c.moderation,
    objects: c.objects,
    statuses: c.statuses,
    originals: c.sealed,
    audit: c.audit,
    mac: c.auditMac,
    now: Date.now,
    releaseCorroboration: (tenantId: string, collectionId: string, items: Parameters<typeof releaseUnpublished>[2]) =>
      releaseUnpublished(tenantId, collectionId, items, { corroboration: c.corroboration, samenessOf, isPublished: (t, col, id) => c.objects.hasVersions(t, col, id) }),
  };
  let expired = 0;
  for (const tenant of await c.directory.listTenants()) expired += await expireReviews(tenant.id, deps);
  c.logger.info('moderation review deadlines', { expired });
  return { expired };
}
