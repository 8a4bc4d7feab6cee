/**
 * The pipeline's stages in order; the topology builds one queue and function per name, and each stage forwards
 * to the next. Until normalize, filter, dedupe and anonymize land, commit is the whole pipeline.
 */
export const PIPELINE_STAGES = ['commit'] as const;
export type StageName = (typeof PIPELINE_STAGES)[number];

export const FIRST_STAGE: StageName = PIPELINE_STAGES[0];

export function nextStage(stage: StageName): StageName | undefined {
  return PIPELINE_STAGES[PIPELINE_STAGES.indexOf(stage) + 1];
}
