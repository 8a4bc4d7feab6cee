import { commit } from '../../shared/core/pipeline/commit';
import { stageHandler } from '../../shared/runtime/sqs-stage';

export const handler = stageHandler('commit', (message, c) => commit(message, { objects: c.objects, statuses: c.statuses, now: Date.now }));
