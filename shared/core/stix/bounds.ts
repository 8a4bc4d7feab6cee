/**
 * Limits on one submitted object, checked before anything else touches it, so that no stage — and no recursive
 * walk in any stage — ever meets an object built to exhaust it (anonymize rule 6). Real intelligence stays far
 * inside them: the whole ATT&CK corpus nests 4 levels deep, its longest list has 320 entries and its longest
 * string 4,680 characters.
 */
export const OBJECT_LIMITS = {
  /** Levels of objects and lists, the object itself being level 1. */
  depth: 16,
  /** Entries in one list. */
  listEntries: 10_000,
  /** Properties (or dictionary keys) in one object. */
  properties: 1_000,
  /** Characters in one string value. */
  stringLength: 256 * 1024,
  /** Characters in an identifier: a type of at most 250 characters, `--`, a UUID (STIX 2.1 §2.7). */
  idLength: 288,
} as const;

/** The first limit the object exceeds, in words for the provider's status; undefined when it is within all. */
export function objectLimitExceeded(object: Record<string, unknown>): string | undefined {
  if (typeof object.id === 'string' && object.id.length > OBJECT_LIMITS.idLength) {
    return `id is ${object.id.length} characters; identifiers have at most ${OBJECT_LIMITS.idLength}`;
  }
  // Iterative, so that the check itself cannot overflow the stack it protects.
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: object, path: '', depth: 1 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > OBJECT_LIMITS.stringLength)
        return `${path || 'a value'} is ${value.length} characters; strings have at most ${OBJECT_LIMITS.stringLength}`;
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth > OBJECT_LIMITS.depth) return `${path} is nested more than ${OBJECT_LIMITS.depth} levels deep`;
    if (Array.isArray(value)) {
      if (value.length > OBJECT_LIMITS.listEntries)
        return `${path} has ${value.length} entries; lists have at most ${OBJECT_LIMITS.listEntries}`;
      value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    const entries = Object.entries(value);
    if (entries.length > OBJECT_LIMITS.properties)
      return `${path || 'the object'} has ${entries.length} properties; objects have at most ${OBJECT_LIMITS.properties}`;
    for (const [key, v] of entries) stack.push({ value: v, path: path ? `${path}.${key}` : key, depth: depth + 1 });
  }
  return undefined;
}
