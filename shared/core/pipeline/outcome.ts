import type { PipelineMessage } from './message';

/** What a stage did with a message; the stage runner forwards, counts and reports. */
export type StageOutcome =
  | { kind: 'forward'; message: PipelineMessage; droppedBy: Record<string, number> }
  | { kind: 'done'; committed: number; droppedBy: Record<string, number> };
