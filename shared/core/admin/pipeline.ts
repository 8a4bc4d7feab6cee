import { isOperator, type Caller } from '../directory/model';
import { BadRequestError } from '../errors';
import type { StageFunnel } from '../pipeline/funnel';
import { PIPELINE_STAGES, type StageName } from '../pipeline/stages';
import { administeredTenant, assertOperator } from '../policy/admin-access';
import type { DeadLetterQueues, DirectoryStore, FunnelStore } from '../ports';

/** A message that kept failing, as `kyoyu dlq list` shows it. */
export interface DeadLetter {
  messageId: string;
  receiveCount: number;
  tenantId?: string;
  statusId?: string;
  objects: number;
  /** The last error the stage reported for it. */
  reason?: string;
}

function stageOf(name: string): StageName {
  if (!(PIPELINE_STAGES as readonly string[]).includes(name)) {
    throw new BadRequestError(`stage: "${name}" is not a pipeline stage (${PIPELINE_STAGES.join(', ')})`);
  }
  return name as StageName;
}

/**
 * The funnel of one tenant, stage by stage in pipeline order (tenant admins of it and operators). Which member's
 * registry withheld how much says who was attacked: the tenant's admins see it, operators — who may not read
 * registries either — do not.
 */
export async function tenantStats(
  caller: Caller,
  tenantId: string,
  deps: { directory: DirectoryStore; funnel: FunnelStore },
): Promise<{ tenant: string; stages: StageFunnel[] }> {
  await administeredTenant(caller, tenantId, deps);
  const recorded = new Map((await deps.funnel.read(tenantId)).map((s) => [s.stage, s]));
  const empty = { received: 0, forwarded: 0, dropped: 0, failed: 0, committed: 0 };
  const shown = (funnel: StageFunnel): StageFunnel => {
    if (!isOperator(caller)) return funnel;
    const { registry: _registry, ...rest } = funnel;
    return rest;
  };
  return {
    tenant: tenantId,
    stages: PIPELINE_STAGES.map((stage) => shown(recorded.get(stage) ?? { stage, counts: { ...empty }, droppedBy: {} })),
  };
}

/** Dead letters span tenants: operators only. */
export async function listDeadLetters(
  caller: Caller,
  stage: string,
  deps: { deadLetters: DeadLetterQueues },
): Promise<{ stage: string; messages: DeadLetter[] }> {
  assertOperator(caller, 'read dead-letter queues');
  const name = stageOf(stage);
  return { stage: name, messages: await deps.deadLetters.peek(name, 100) };
}

export async function redriveDeadLetters(
  caller: Caller,
  stage: string,
  deps: { deadLetters: DeadLetterQueues },
): Promise<{ stage: string; redriven: number }> {
  assertOperator(caller, 'redrive dead-letter queues');
  const name = stageOf(stage);
  return { stage: name, redriven: await deps.deadLetters.redrive(name) };
}
