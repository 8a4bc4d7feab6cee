import type { StixObject } from '../taxii/model';
import type { AlertRecord } from './model';

/**
 * What one recipient is sent. It is built from the committed version only — the anonymised one, as a TAXII read
 * serves it — and from the alert's own fields, never from its provider or its other recipients: none of those is a
 * parameter here, so none can slip in. Thin by default: enough to decide and to fetch with the member's own
 * credentials, where the TAXII read rules apply again; `full` adds the STIX object as committed.
 * Standard Webhooks' suggested envelope: `type`, `timestamp`, `data`.
 */
export interface AlertLinks {
  /** The object at the TAXII API (TAXII 2.1 §5.6 GET object). */
  taxiiUrl: string;
  /** The signed, single-use acknowledgement link. */
  ackUrl: string;
  /** The authenticated API call that acknowledges it. */
  ackApi: string;
}

export function alertPayload(
  alert: Omit<AlertRecord, 'providerMemberId' | 'recipients'>,
  /** The STIX object as the recipient may read it (policy/present.ts), for a `full` subscription; else undefined. */
  stix: StixObject | undefined,
  links: AlertLinks,
  escalation: boolean,
): Record<string, unknown> {
  return {
    type: escalation ? 'kyoyu.alert.escalation' : 'kyoyu.alert',
    timestamp: alert.raisedAt,
    data: {
      alert_id: alert.alertId,
      kind: alert.kind,
      urgent: alert.urgent,
      title: alert.title,
      tlp: alert.tlp,
      collection_id: alert.collectionId,
      objects: [{ id: alert.objectId, type: alert.type, version: alert.version }],
      taxii_url: links.taxiiUrl,
      acknowledge: { url: links.ackUrl, api: links.ackApi, deadline: alert.deadline },
      ...(stix ? { stix: [stix] } : {}),
    },
  };
}

/** A title for people: the object's name, else its type and id (STIX 2.1 `name` is optional on most types). */
export function titleOf(object: Readonly<Record<string, unknown>>): string {
  return typeof object.name === 'string' && object.name.trim()
    ? object.name.trim().slice(0, 200)
    : `${String(object.type)} ${String(object.id)}`;
}
