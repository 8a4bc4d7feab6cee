import type { RegistryEffect } from './outcome';

/** The pipeline funnel (BRIEF: 720,000 items reduced to 656 — consumers must not drown): counts per stage. */
export const FUNNEL_COUNTS = ['received', 'forwarded', 'dropped', 'failed', 'committed'] as const;
export type FunnelCount = (typeof FUNNEL_COUNTS)[number];

export interface FunnelRecord {
  counts: Record<FunnelCount, number>;
  /** Dropped objects by reason, e.g. "warning list reserved-ipv4". */
  droppedBy: Record<string, number>;
  /** Per member: items its identifier registry withheld, and items published with its identifiers redacted. */
  registry?: RegistryEffect;
}

export interface StageFunnel extends FunnelRecord {
  stage: string;
}
