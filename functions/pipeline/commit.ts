import { commit } from '../../shared/core/pipeline/commit';
import { stageHandler } from '../../shared/runtime/sqs-stage';

// Commits to one collection serialise on its clock anyway; taking records one by one avoids losing races.
export const handler = stageHandler(
  'commit',
  (message, c) =>
    commit(message, {
      objects: c.objects,
      statuses: c.statuses,
      moderation: c.moderation,
      publicationOf: c.pipelineDirectory.publicationOf,
      now: Date.now,
    }),
  {
    recordsInParallel: false,
  },
);
