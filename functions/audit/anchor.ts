import { anchorChain, chainsOf, type AnchorOutcome } from '../../shared/core/audit/anchor';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

/**
 * Scheduled (infra/topology.ts `scheduled`: an EventBridge rule on AWS, a timer locally): anchors the head of every
 * chain that moved since its last anchor (core/audit/anchor.ts). A chain whose new entries do not verify is not
 * anchored, and the run fails after anchoring the others, so the function's error alarm fires.
 */
export const handler = observed(async (): Promise<{ anchored: number; unchanged: number; refused: string[] }> => {
  const c = container();
  const tenants = await c.directory.listTenants();
  const deps = { audit: c.audit, anchors: c.anchors, mac: c.auditMac, now: Date.now };
  const outcomes: Array<[string, AnchorOutcome]> = [];
  // One chain at a time: the run is short next to its period, and it keeps KMS and DynamoDB requests paced.
  for (const chain of chainsOf(tenants.map((t) => t.id))) outcomes.push([chain, await anchorChain(chain, deps)]);
  const refused = outcomes.flatMap(([chain, o]) => (o.kind === 'refused' ? [chain] : []));
  for (const [chain, outcome] of outcomes) {
    if (outcome.kind === 'refused')
      c.logger.error('audit chain not anchored: its entries since the last anchor do not verify', { chain, problems: outcome.problems });
  }
  const summary = {
    anchored: outcomes.filter(([, o]) => o.kind === 'anchored').length,
    unchanged: outcomes.filter(([, o]) => o.kind === 'unchanged' || o.kind === 'empty').length,
    refused,
  };
  c.logger.info('audit anchors', summary);
  if (refused.length > 0) throw new Error(`Audit chains not anchored because they do not verify: ${refused.join(', ')}`);
  return summary;
});
