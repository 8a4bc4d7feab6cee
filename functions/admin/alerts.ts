import { NotFoundError } from '../../shared/core/errors';
import { acknowledgeAlert, listAlerts, showAlert } from '../../shared/core/alerts/ledger-views';
import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  listTenantSubscriptions,
  rotateSubscriptionSecret,
  showSubscription,
  updateSubscription,
} from '../../shared/core/alerts/subscriptions';
import { ledgerDeps, subscriptionDeps } from '../../shared/runtime/alert-deps';
import { adminRoute } from '../../shared/runtime/http';

/**
 * Alerts (issue #16). Subscriptions: …/members/{member}/subscriptions, …/{subscription}, …/{subscription}/rotate, and
 * every member's at /admin/tenants/{tenant}/subscriptions (tenant admins).
 * The ledger: /admin/tenants/{tenant}/alerts, …/alerts/{alert} (GET reads it, POST acknowledges).
 */
export const handler = adminRoute({
  GET: async ({ caller, params, path, pathParameters: { tenant, member, subscription, alert } }, c) => {
    if (!member && /\/subscriptions\/?$/.test(path))
      return { status: 200, body: await listTenantSubscriptions(caller, tenant!, subscriptionDeps(c)) };
    if (member) {
      return {
        status: 200,
        body: subscription
          ? await showSubscription(caller, tenant!, member, subscription, subscriptionDeps(c))
          : await listSubscriptions(caller, tenant!, member, subscriptionDeps(c)),
      };
    }
    return {
      status: 200,
      body: alert ? await showAlert(caller, tenant!, alert, ledgerDeps(c)) : await listAlerts(caller, tenant!, params, ledgerDeps(c)),
    };
  },
  POST: async ({ caller, path, json, pathParameters: { tenant, member, subscription, alert } }, c) => {
    if (alert) return { status: 200, body: await acknowledgeAlert(caller, tenant!, alert, ledgerDeps(c)) };
    if (member && subscription && /\/rotate\/?$/.test(path))
      return { status: 200, body: await rotateSubscriptionSecret(caller, tenant!, member, subscription, json, subscriptionDeps(c)) };
    if (member && !subscription) return { status: 201, body: await createSubscription(caller, tenant!, member, json, subscriptionDeps(c)) };
    throw new NotFoundError(`No such alerts action: ${path}`);
  },
  PATCH: async ({ caller, json, pathParameters: { tenant, member, subscription } }, c) => ({
    status: 200,
    body: await updateSubscription(caller, tenant!, member!, subscription!, json, subscriptionDeps(c)),
  }),
  DELETE: async ({ caller, pathParameters: { tenant, member, subscription } }, c) => (
    await deleteSubscription(caller, tenant!, member!, subscription!, subscriptionDeps(c)), { status: 204 }
  ),
});
