import { dedupe } from '../../shared/core/pipeline/dedupe';
import { samenessOf } from '../../shared/core/pipeline/observables';
import { stageHandler } from '../../shared/runtime/sqs-stage';

export const handler = stageHandler('dedupe', (message, c) =>
  dedupe(message, {
    corroboration: c.corroboration,
    isPublished: (tenantId, collectionId, objectId) => c.objects.hasVersions(tenantId, collectionId, objectId),
    samenessOf,
    tenantIdentityOf: c.pipelineDirectory.tenantIdentityOf,
    settle: c.pipelineDirectory.settle,
  }),
);
