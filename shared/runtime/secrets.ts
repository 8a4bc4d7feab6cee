import type { SecretSource } from '../core/ports';
import { parseSecretList } from '../core/secrets';

/** How long a warm container uses a secret before reading it again: how long a rotation takes to reach every one. */
export const SECRET_REFRESH_MS = 5 * 60_000;

interface Entry {
  /** The first read, or the last one that succeeded. */
  value: Promise<string[]>;
  readAt: number;
  refreshing: boolean;
}

/**
 * The platform's secret lists, read once per container and kept: a handler never waits on Secrets Manager per request.
 * Reading starts at cold start (`prefetch`, from the composition root), so the first request mostly finds them there.
 * After SECRET_REFRESH_MS a request still gets the kept value at once while a fresh read runs behind it, so rotations
 * arrive without a redeploy; a failed refresh keeps the old value (and reports it), a failed first read is not kept,
 * so the next request tries again.
 */
export class SecretLists {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly source: SecretSource,
    private readonly options: { refreshMs?: number; now?: () => number; onRefreshFailed?: (secretId: string, error: unknown) => void } = {},
  ) {}

  /** Starts reading these secrets now, without waiting; a failure surfaces at the first `list`, which reads again. */
  prefetch(secretIds: readonly string[]): void {
    for (const secretId of secretIds) this.list(secretId).catch(() => undefined);
  }

  /** The list of the secret `secretId` (an ARN or a name), newest first. */
  list(secretId: string): Promise<string[]> {
    const now = this.now();
    const entry = this.entries.get(secretId);
    if (!entry) {
      const value = this.read(secretId);
      this.entries.set(secretId, { value, readAt: now, refreshing: false });
      value.catch(() => {
        if (this.entries.get(secretId)?.value === value) this.entries.delete(secretId);
      });
      return value;
    }
    if (!entry.refreshing && now - entry.readAt >= (this.options.refreshMs ?? SECRET_REFRESH_MS)) this.refresh(secretId, entry);
    return entry.value;
  }

  private refresh(secretId: string, entry: Entry): void {
    entry.refreshing = true;
    this.read(secretId).then(
      (fresh) => this.entries.set(secretId, { value: Promise.resolve(fresh), readAt: this.now(), refreshing: false }),
      (error: unknown) => {
        // Keep serving what was read last; try again after another period rather than on every request.
        this.entries.set(secretId, { value: entry.value, readAt: this.now(), refreshing: false });
        this.options.onRefreshFailed?.(secretId, error);
      },
    );
  }

  private async read(secretId: string): Promise<string[]> {
    return parseSecretList(secretId, await this.source.read(secretId));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
