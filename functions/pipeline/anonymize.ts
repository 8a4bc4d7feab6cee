import { anonymize } from '../../shared/core/pipeline/anonymize';
import { corroborationRelease } from '../../shared/runtime/pipeline-deps';
import { stageHandler } from '../../shared/runtime/sqs-stage';

export const handler = stageHandler('anonymize', (message, c) =>
  anonymize(message, {
    victimsOf: c.pipelineDirectory.victimsOf,
    policyOf: c.pipelineDirectory.policyOf,
    tenantIdentityOf: c.pipelineDirectory.tenantIdentityOf,
    originals: c.sealed,
    withheld: c.withheld,
    settle: c.pipelineDirectory.settle,
    releaseCorroboration: corroborationRelease(c),
  }),
);
