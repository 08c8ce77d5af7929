/** Something holding series that can be deleted by label set (a prom-client metric). */
export interface SeriesOwner {
  remove(labels: Record<string, string>): void;
}

interface Entry {
  readonly owner: SeriesOwner;
  readonly labels: Record<string, string>;
  expiresAt: number;
}

/**
 * Mixer's `metricsExpirationPolicy`: every observation refreshes a TTL entry keyed by series
 * (instance, kind, label values); {@link sweep} deletes the series whose entry has not been
 * refreshed for `expiryMs`. The clock is injected (ms), the timer is the caller's.
 */
export class SeriesExpiry {
  private readonly _entries = new Map<string, Entry>();
  private readonly _expiryMs: number;
  private readonly _now: () => number;

  constructor(expiryMs: number, now: () => number) {
    this._expiryMs = expiryMs;
    this._now = now;
  }

  /** Records that the series `key` of `owner` (with these labels) was just updated. */
  touch(key: string, owner: SeriesOwner, labels: Record<string, string>): void {
    const expiresAt = this._now() + this._expiryMs;
    const e = this._entries.get(key);
    if (e !== undefined) e.expiresAt = expiresAt;
    else this._entries.set(key, { owner, labels, expiresAt });
  }

  /** The clock (ms). */
  now(): number {
    return this._now();
  }

  /** When a series updated at `now` expires. */
  deadline(now: number): number {
    return now + this._expiryMs;
  }

  /**
   * {@link touch} at time `now`, returning the entry: its owner refreshes it by setting
   * `expiresAt` to {@link deadline} (no key lookup per update). A swept entry is gone for good:
   * its owner deletes the series, and a later update starts a new series with a new entry.
   */
  track(key: string, owner: SeriesOwner, labels: Record<string, string>, now: number): { expiresAt: number } {
    const expiresAt = now + this._expiryMs;
    let e = this._entries.get(key);
    if (e !== undefined) e.expiresAt = expiresAt;
    else this._entries.set(key, (e = { owner, labels, expiresAt }));
    return e;
  }

  /** Deletes every series not updated for the expiry duration; returns how many were removed. */
  sweep(): number {
    const now = this._now();
    let removed = 0;
    for (const [key, e] of this._entries) {
      if (e.expiresAt > now) continue;
      this._entries.delete(key);
      e.owner.remove(e.labels);
      removed++;
    }
    return removed;
  }

  /** Series currently tracked. */
  get size(): number {
    return this._entries.size;
  }

  clear(): void {
    this._entries.clear();
  }
}

/** Collision-free key of a series: instance, kind and label values, length-prefixed. */
export function seriesKey(instance: string, kind: string, values: readonly string[]): string {
  let k = `${instance.length}:${instance}${kind}`;
  for (const v of values) k += `|${v.length}:${v}`;
  return k;
}
