import { escalateOverdue } from '../../shared/core/alerts/dispatch';
import { dispatchDeps } from '../../shared/runtime/alert-deps';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

/** Scheduled (infra/topology.ts `scheduled`): recipients past their acknowledgement deadline reach their escalation contacts. */
export const handler = observed(async (): Promise<{ escalated: number }> => {
  const c = container();
  const result = await escalateOverdue(dispatchDeps(c));
  c.logger.info('alert escalation', result);
  return result;
});
