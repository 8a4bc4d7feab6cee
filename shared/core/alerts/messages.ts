import { z } from 'zod';
import { AlertKindSchema } from './model';

/**
 * The alerts queue carries two kinds of message. `raise`: a version was committed that alerts (sent by the
 * alerting object store right after the commit); the consumer fans it out into one `deliver` per recipient channel.
 * `deliver`: one attempt at one channel, due at `dueAtMs` (a retry waits there, see delivery.ts).
 */
export const RaiseMessageSchema = z.object({
  kind: z.literal('raise'),
  tenantId: z.string().min(1),
  collectionId: z.string().min(1),
  objectId: z.string().min(1),
  version: z.string().min(1),
  alertKind: AlertKindSchema,
  urgent: z.boolean(),
});
export const DeliverMessageSchema = z.object({
  kind: z.literal('deliver'),
  tenantId: z.string().min(1),
  alertId: z.string().min(1),
  memberId: z.string().min(1),
  subscriptionId: z.string().min(1),
  /** The attempt this message is for, from 1. */
  attempt: z.number().int().min(1),
  dueAtMs: z.number().int(),
  escalation: z.boolean().default(false),
});
export const AlertMessageSchema = z.discriminatedUnion('kind', [RaiseMessageSchema, DeliverMessageSchema]);
export type RaiseMessage = z.infer<typeof RaiseMessageSchema>;
export type DeliverMessage = z.infer<typeof DeliverMessageSchema>;
export type AlertMessage = z.infer<typeof AlertMessageSchema>;

/** The alerts queue's name in infra/topology.ts. */
export const ALERTS_QUEUE = 'alerts';
