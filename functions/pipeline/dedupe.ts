import { dedupe } from '../../shared/core/pipeline/dedupe';
import { samenessOf } from '../../shared/core/pipeline/observables';
import { stageHandler } from '../../shared/runtime/sqs-stage';

export const handler = stageHandler('dedupe', (message, c) =>
  dedupe(message, {
    corroboration: c.corroboration,
    isPublished: async (tenantId, collectionId, objectId) => (await c.objects.versionsOf(tenantId, collectionId, objectId)).length > 0,
    samenessOf,
    tenantIdentityOf: c.pipelineDirectory.tenantIdentityOf,
    settle: c.pipelineDirectory.settle,
  }),
);
