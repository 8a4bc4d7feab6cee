import type { ObjectStore } from '../core/ports';
import type { CommitResult, NewVersion } from '../core/taxii/model';
import type { AlertLedger, AlertQueue } from '../core/alerts/ports';
import type { RaiseMessage } from '../core/alerts/messages';
import { alertOf } from '../core/alerts/trigger';

export interface AlertingDeps {
  policyOf(tenantId: string, collectionId: string): Promise<{ alert: 'all' | 'marked' }>;
  ledger: Pick<AlertLedger, 'alertedObjects'>;
  queue: () => AlertQueue;
}

/**
 * The one place every publication passes — the commit stage, moderators' decisions, takedown revocations and
 * corrections all write through ObjectStore.commit — so alerts are raised here, by composition, and no use case
 * knows about them. After the commit, each version that alerts (core/alerts/trigger.ts) becomes a `raise` message.
 * Stored versions count whether just added or already there: a commit whose raise was lost (a crash between the
 * two) is redelivered as duplicates, and must still alert; the alert id is deterministic, so the dispatcher keeps
 * every alert once. A raise that cannot be sent fails the commit's caller, which retries.
 */
export class AlertingObjectStore implements ObjectStore {
  constructor(
    private readonly inner: ObjectStore,
    private readonly deps: AlertingDeps,
  ) {}

  async commit(tenantId: string, collectionId: string, versions: NewVersion[], nowMs: number): Promise<CommitResult[]> {
    const results = await this.inner.commit(tenantId, collectionId, versions, nowMs);
    const stored = versions.filter((_, i) => results[i]?.kind === 'added' || results[i]?.kind === 'duplicate');
    if (stored.length === 0) return results;
    const [policy, alerted] = await Promise.all([
      this.deps.policyOf(tenantId, collectionId),
      this.deps.ledger.alertedObjects(
        tenantId,
        collectionId,
        stored.map((v) => v.objectId),
      ),
    ]);
    const raises = stored.flatMap((version): Array<{ message: RaiseMessage }> => {
      const alert = alertOf(version, policy, alerted.has(version.objectId));
      return alert
        ? [
            {
              message: {
                kind: 'raise',
                tenantId,
                collectionId,
                objectId: version.objectId,
                version: version.version,
                alertKind: alert.kind,
                urgent: alert.urgent,
              },
            },
          ]
        : [];
    });
    if (raises.length > 0) await this.deps.queue().send(raises);
    return results;
  }

  scan: ObjectStore['scan'] = (...args) => this.inner.scan(...args);
  versionsOf: ObjectStore['versionsOf'] = (...args) => this.inner.versionsOf(...args);
  hasVersions: ObjectStore['hasVersions'] = (...args) => this.inner.hasVersions(...args);
  deleteVersions: ObjectStore['deleteVersions'] = (...args) => this.inner.deleteVersions(...args);
}
