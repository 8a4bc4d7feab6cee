import { uuidV5 } from '../stix/uuid';
import type { StoredVersion } from '../taxii/model';
import type { AlertKind } from './model';

/**
 * What raises an alert (issue #16):
 * 1. every version committed in a collection whose policy says `alert: all`;
 * 2. any version marked urgent, in any collection: the STIX label `kyoyu-urgent` (STIX 2.1 §3.2 `labels`, an open
 *    vocabulary). A label, not a property stripped at commit: it survives anonymisation unchanged, a moderator's
 *    correction can add or remove it like any label, and the readers who fetch the object see why it was pushed;
 * 3. a later version (a correction) or a revocation of an object already alerted in that collection, whatever the
 *    policy or labels say: whoever acted on the first alert must hear that it changed.
 *
 * The alert id is derived from tenant, collection, object and version, so a redelivered commit raises the same
 * alert again, which the ledger keeps once.
 */

export const URGENT_LABEL = 'kyoyu-urgent';
const ALERT_NAMESPACE = 'b3c6a0f4-8d3e-5f6a-9b1c-2e4d6f8a0c1e';

export const alertIdOf = (tenantId: string, collectionId: string, objectId: string, version: string): string =>
  `alert--${uuidV5(JSON.stringify([tenantId, collectionId, objectId, version]), ALERT_NAMESPACE)}`;

export const isMarkedUrgent = (object: Readonly<Record<string, unknown>>): boolean =>
  Array.isArray(object.labels) && object.labels.includes(URGENT_LABEL);

/** Whether a committed version raises an alert, and of which kind; undefined when it does not. */
export function alertOf(
  version: Pick<StoredVersion, 'object'>,
  policy: { alert: 'all' | 'marked' },
  alreadyAlerted: boolean,
): { kind: AlertKind; urgent: boolean } | undefined {
  const urgent = isMarkedUrgent(version.object);
  if (!urgent && !alreadyAlerted && policy.alert !== 'all') return undefined;
  const kind: AlertKind = version.object.revoked === true ? 'revocation' : alreadyAlerted ? 'correction' : 'new';
  return { kind, urgent };
}
