import { NotFoundError } from '../../shared/core/errors';
import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  rotateSubscriptionSecret,
  showSubscription,
  updateSubscription,
} from '../../shared/core/alerts/subscriptions';
import { subscriptionDeps } from '../../shared/runtime/alert-deps';
import { adminRoute } from '../../shared/runtime/http';

/**
 * Alert subscriptions (issue #16): /admin/tenants/{tenant}/subscriptions (tenant admins: every member's), and per
 * member …/members/{member}/subscriptions, …/{subscription}, …/{subscription}/rotate.
 */
export const handler = adminRoute({
  GET: async ({ caller, pathParameters: { tenant, member, subscription } }, c) => ({
    status: 200,
    body: subscription ? await showSubscription(caller, tenant!, member!, subscription, subscriptionDeps(c)) : await listSubscriptions(caller, tenant!, member, subscriptionDeps(c)),
  }),
  POST: async ({ caller, path, json, pathParameters: { tenant, member, subscription } }, c) => {
    if (subscription && /\/rotate\/?$/.test(path)) return { status: 200, body: await rotateSubscriptionSecret(caller, tenant!, member!, subscription, json, subscriptionDeps(c)) };
    if (!subscription && member) return { status: 201, body: await createSubscription(caller, tenant!, member, json, subscriptionDeps(c)) };
    throw new NotFoundError(`No such subscription action: ${path}`);
  },
  PATCH: async ({ caller, json, pathParameters: { tenant, member, subscription } }, c) => ({
    status: 200,
    body: await updateSubscription(caller, tenant!, member!, subscription!, json, subscriptionDeps(c)),
  }),
  DELETE: async ({ caller, pathParameters: { tenant, member, subscription } }, c) => (await deleteSubscription(caller, tenant!, member!, subscription!, subscriptionDeps(c)), { status: 204 }),
});
