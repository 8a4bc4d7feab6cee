import type { PipelineMessage } from './message';

/** Per member whose identifier registry matched: items withheld, and items published with redactions. */
export type RegistryEffect = Record<string, { withheld: number; redacted: number }>;

/** What a stage did with a message; the stage runner forwards, counts and reports. */
export type StageOutcome =
  | {
      kind: 'forward';
      message: PipelineMessage;
      droppedBy: Record<string, number>;
      registry?: RegistryEffect;
      /** Items the stage hands back to its own queue, to be seen again after a delay. */
      later?: { message: PipelineMessage; delaySeconds: number };
    }
  | { kind: 'done'; committed: number; droppedBy: Record<string, number> };
