/**
 * The pipeline's stages in order (BRIEF, the flow); the topology builds one queue and function per name, and each
 * stage forwards what it keeps to the next.
 */
export const PIPELINE_STAGES = ['normalize', 'filter', 'dedupe', 'anonymize', 'commit'] as const;
export type StageName = (typeof PIPELINE_STAGES)[number];

export const FIRST_STAGE: StageName = PIPELINE_STAGES[0];

export function nextStage(stage: StageName): StageName | undefined {
  return PIPELINE_STAGES[PIPELINE_STAGES.indexOf(stage) + 1];
}

/**
 * Receives of one message before SQS moves it to its dead-letter queue (the topology's redrive policy). The stage
 * runner settles what is still pending on the last one, so no status waits for a message that left the pipeline.
 */
export const MAX_RECEIVES = 5;
