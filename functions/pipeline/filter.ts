import { filter } from '../../shared/core/pipeline/filter';
import { observablesOf } from '../../shared/core/pipeline/observables';
import { stageHandler } from '../../shared/runtime/sqs-stage';

export const handler = stageHandler('filter', (message, c) =>
  filter(message, {
    warningLists: c.warningLists,
    observablesOf,
    now: Date.now,
    policyOf: c.pipelineDirectory.policyOf,
    isPublished: (tenantId, collectionId, objectId) => c.objects.hasVersions(tenantId, collectionId, objectId),
    settle: c.pipelineDirectory.settle,
  }),
);
