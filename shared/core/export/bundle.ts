import { defaultExclusion, exportItems, newExportStats, type ExportOptions, type StixSource } from './items';
import { predefinedMarkingDefinition, predefinedMarkingsReferencedBy } from '../policy/present';
import type { StixObject } from '../taxii/model';

/**
 * The STIX 2.1 bundle export (§8): the latest visible objects themselves, not values drawn from them, with the same
 * default exclusions as every other format (items.ts rule 1) and the warning lists applied to what carries values.
 *
 * 1. An indicator or observable whose values items.ts would export is left out whole when any of its values is
 *    warning-listed: a bundle cannot carry half a pattern, and a device importing it blocks every value in it.
 * 2. Everything else the reader may see (reports, malware, relationships, indicators whose pattern is more than a
 *    plain equality) is kept as stored: those carry no value a list would block outright.
 * 3. The bundle is written as it is read, one object per line inside `"objects":[ … ]`, so memory holds one object.
 *    Its id is the caller's (stable per scope, so that an unchanged export has an unchanged ETag).
 */
export async function* exportObjects(source: StixSource, options: ExportOptions): AsyncGenerator<StixObject> {
  const stats = options.stats ?? newExportStats();
  for await (const object of source) {
    stats.objects++;
    const exclusion = defaultExclusion(object, options);
    if (exclusion) {
      stats[exclusion]++;
      continue;
    }
    const probe = newExportStats();
    for await (const _item of exportItems([object], {
      ...options,
      include: { revoked: true, expired: true, flagged: true },
      stats: probe,
    })) {
      // Only the counts matter here: whether any of the object's values is warning-listed.
    }
    if (probe.warningListed > 0) {
      stats.warningListed++;
      continue;
    }
    stats.items++;
    yield object;
  }
}

/**
 * STIX 2.1 §8 bundle: `{"type":"bundle","id":…,"objects":[…]}`, one object per line. Every object carries a TLP 2.0
 * marking reference (policy/present.ts); the marking definitions referenced follow the objects, unless the collection
 * held them already, so that a tool importing the file resolves every reference within it.
 */
export async function* stixBundle(objects: AsyncIterable<StixObject>, bundleId: string): AsyncGenerator<string> {
  yield `{"type":"bundle","id":${JSON.stringify(bundleId)},"objects":[`;
  let first = true;
  const referenced = new Set<string>();
  const written = new Set<string>();
  const line = (object: StixObject) => {
    const text = `${first ? '\n' : ',\n'}${JSON.stringify(object)}`;
    first = false;
    return text;
  };
  for await (const object of objects) {
    for (const id of predefinedMarkingsReferencedBy(object)) referenced.add(id);
    if (object.type === 'marking-definition') written.add(object.id);
    yield line(object);
  }
  for (const id of referenced) if (!written.has(id)) yield line(predefinedMarkingDefinition(id)!);
  yield '\n]}\n';
}
