import { anonymize } from '../../shared/core/pipeline/anonymize';
import { releaseUnpublished } from '../../shared/core/pipeline/dedupe';
import { samenessOf } from '../../shared/core/pipeline/observables';
import { stageHandler } from '../../shared/runtime/sqs-stage';

export const handler = stageHandler('anonymize', (message, c) =>
  anonymize(message, {
    victimsOf: c.pipelineDirectory.victimsOf,
    policyOf: c.pipelineDirectory.policyOf,
    tenantIdentityOf: c.pipelineDirectory.tenantIdentityOf,
    originals: c.sealed,
    withheld: c.withheld,
    settle: c.pipelineDirectory.settle,
    releaseCorroboration: (tenantId, collectionId, items) =>
      releaseUnpublished(tenantId, collectionId, items, { corroboration: c.corroboration, samenessOf, isPublished: (t, col, id) => c.objects.hasVersions(t, col, id) }),
  }),
);
