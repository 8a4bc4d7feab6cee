import { acknowledgeAlert, listAlerts, showAlert } from '../../shared/core/alerts/ledger-views';
import { ledgerDeps } from '../../shared/runtime/alert-deps';
import { adminRoute } from '../../shared/runtime/http';

/** The alerts ledger (issue #16): /admin/tenants/{tenant}/alerts, …/{alert}, …/{alert}/ack. */
export const handler = adminRoute({
  GET: async ({ caller, params, pathParameters: { tenant, alert } }, c) => ({
    status: 200,
    body: alert ? await showAlert(caller, tenant!, alert, ledgerDeps(c)) : await listAlerts(caller, tenant!, params, ledgerDeps(c)),
  }),
  POST: async ({ caller, pathParameters: { tenant, alert } }, c) => ({ status: 200, body: await acknowledgeAlert(caller, tenant!, alert!, ledgerDeps(c)) }),
});
