import { escalateOverdue } from '../../shared/core/alerts/dispatch';
import { dispatchDeps } from '../../shared/runtime/alert-deps';
import { container } from '../../shared/runtime/composition-root';

/** Scheduled (infra/topology.ts `scheduled`): recipients past their acknowledgement deadline reach their escalation contacts. */
export async function handler(): Promise<{ escalated: number }> {
  const c = container();
  const result = await escalateOverdue(dispatchDeps(c));
  c.logger.info('alert escalation', result);
  return result;
}
