import { listDeadLetters, redriveDeadLetters, tenantStats } from '../../shared/core/admin/pipeline';
import { adminRoute } from '../../shared/runtime/http';

/** /admin/tenants/{tenant}/stats: the pipeline funnel; /admin/pipeline/{stage}/dead-letters[/redrive]: the DLQs (operators). */
export const handler = adminRoute({
  GET: async (r, c) =>
    r.pathParameters.stage
      ? { status: 200, body: await listDeadLetters(r.caller, r.pathParameters.stage, { deadLetters: c.deadLetters }) }
      : { status: 200, body: await tenantStats(r.caller, r.pathParameters.tenant!, { directory: c.directory, funnel: c.funnel }) },
  POST: async (r, c) => ({
    status: 200,
    body: await redriveDeadLetters(r.caller, r.pathParameters.stage!, { deadLetters: c.deadLetters }),
  }),
});
