/**
 * A per-key memo that forgets after `ttlMs`, for directory facts read on every message or request of a warm Lambda:
 * a change reaches it within the TTL, and a burst costs one read, not thousands. A failed load is not kept.
 */
export function cached<T>(load: (key: string) => Promise<T>, ttlMs = 60_000): (key: string) => Promise<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (key) => {
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = load(key);
    value.catch(() => entries.delete(key));
    entries.set(key, { at: Date.now(), value });
    return value;
  };
}
