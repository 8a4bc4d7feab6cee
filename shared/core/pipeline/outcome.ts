import type { PipelineMessage } from './message';

/** What a stage did with a message; the stage runner sends, settles and counts. */
export type StageOutcome =
  | { kind: 'forward'; message: PipelineMessage; dropped: number }
  | { kind: 'done'; committed: number; dropped: number };
