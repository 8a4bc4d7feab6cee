import type { NewVersion } from '../shared/core/taxii/model';

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

/**
 * A TLP:GREEN indicator version of one address, shared by Kanto Power in the demo ICS tenant, as the commit stage
 * hands it to the object store: what the benchmarks store straight into a collection.
 */
export function indicatorVersion(options: {
  tenantId?: string;
  collectionId: string;
  id: string;
  created: string;
  name: string;
  pattern: string;
  labels?: string[];
  ownerOnly?: boolean;
}): NewVersion {
  const { tenantId = 'ics-isac', collectionId, id, created, name, pattern } = options;
  return {
    tenantId,
    collectionId,
    objectId: id,
    type: 'indicator',
    version: created,
    specVersion: '2.1',
    mediaType: 'application/stix+json;version=2.1',
    access: { tlp: 'green', recipients: [], secret: false, providerMemberId: 'kanto-power' },
    ...(options.ownerOnly ? { ownerOnly: true } : {}),
    object: {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created,
      modified: created,
      name,
      ...(options.labels ? { labels: options.labels } : {}),
      pattern,
      pattern_type: 'stix',
      valid_from: created,
      object_marking_refs: [GREEN],
    },
  };
}
