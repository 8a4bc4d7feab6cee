import { normalize } from '../../shared/core/normalize/normalize';
import { stageHandler } from '../../shared/runtime/sqs-stage';

export const handler = stageHandler('normalize', (message, c) => normalize(message, { settle: c.pipelineDirectory.settle }));
