import { z } from 'zod';
import { bounded, LIMITS } from '../text/limits';
import { TLP_LEVELS } from '../taxii/model';

/**
 * What a collection asks of the pipeline (BRIEF, filter and anonymize). Every field has a default, so a collection
 * created before a rule existed still gets sensible behaviour.
 */
export const CollectionPolicySchema = z.object({
  /** Highest TLP the collection accepts; objects above it are dropped, not downgraded. */
  tlpCeiling: z.enum(TLP_LEVELS).default('red'),
  /** STIX types accepted; empty = every type. */
  allowedTypes: z.array(bounded(LIMITS.stixType)).max(200, 'must hold at most 200 types').default([]),
  /** Indicators and other objects with a `confidence` below this are dropped (STIX 2.1 §3.2, 0–100). */
  minConfidence: z.number().int().min(0).max(100).default(0),
  /** Hold objects whose free text carries personal data for a moderator instead of publishing them. */
  holdPersonalData: z.boolean().default(true),
  /** `anonymous` (default): the tenant publishes; `attributed`: the provider chose to be named. */
  attribution: z.enum(['anonymous', 'attributed']).default('anonymous'),
  /**
   * Custom properties, object types and extensions published in this collection (anonymize), by name or by prefix
   * ending in `*` (`x_mitre_*` and `x-mitre-*` for an ATT&CK collection, an `extension-definition--…` id). Everything else outside STIX 2.1 is
   * dropped; what is allowed is still redacted, values and names.
   */
  customProperties: z
    .array(
      z
        .string()
        .regex(
          /^(x_[a-z0-9_]+\*?|x-[a-z0-9-]+\*?|extension-definition--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
          'must be an x_ property or x- object type name, such a prefix ending in *, or an extension-definition id',
        ),
    )
    .max(100)
    .default([]),
  /**
   * How many members (other than the provider, several users of one member counting once) must disagree with an
   * object before it is flagged as a false positive and left out of exports (shared/core/search/feedback.ts rule 4).
   */
  falsePositiveMembers: z.number().int().min(1).max(1000).default(3),
  /** Use the default warning lists of known-benign values. */
  defaultWarningLists: z.boolean().default(true),
  /** Moderation (issue #14): an item is approved by a moderator neither of its provider nor its last editor. */
  fourEyes: z.boolean().default(false),
  /**
   * The provider reviews the version to be published before anyone sees it (it may also ask per POST); when it has
   * not answered within `hours`, the item is withdrawn, or published if `onDeadline` says so.
   */
  /**
   * Alerts (issue #16): `all` pushes every version committed here to the subscribers who may see it; `marked` only
   * what is marked urgent (shared/core/alerts/trigger.ts), and corrections of what was alerted.
   */
  alert: z.enum(['all', 'marked']).default('marked'),
  /** Minutes a recipient has to acknowledge an alert of this collection before its escalation contacts hear of it. */
  ackMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(30),
  providerReview: z
    .object({
      always: z.boolean().default(false),
      hours: z.number().positive().max(720).default(24),
      onDeadline: z.enum(['withdraw', 'publish']).default('withdraw'),
    })
    .default({ always: false, hours: 24, onDeadline: 'withdraw' }),
});
export type CollectionPolicy = z.infer<typeof CollectionPolicySchema>;

/**
 * How long a warm function may keep a collection's settings it read outside a POST (docs/pipeline.md "When a policy
 * change applies"). The stages never use such a copy for what a POST publishes (the message carries the settings
 * its POST read); only the commit's alert trigger (`alert`) does, so a change of `alert` may take this long.
 */
export const SETTINGS_CACHE_MS = 60_000;

/** The policy fields whose change reaches warm functions only after SETTINGS_CACHE_MS. */
export const LAGGING_POLICY_FIELDS: ReadonlyArray<keyof CollectionPolicy> = ['alert'];
