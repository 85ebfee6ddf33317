/**
 * At most N passive replies per channel in any 60 seconds (knowledge `settings.passiveRepliesPerMinute`).
 * A backstop behind own-card recognition: whatever loop or flood gets past it can't post more than
 * that. Kept in process (each replica counts its own), bounded in channels remembered.
 */
export const CAP_WINDOW_MS = 60_000;

export class PerMinuteCap {
  /** Post times within the window, per key; Map order is least recently used first, for the size bound. */
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** True (and counted) while `key` has had fewer than the cap in the last minute. */
  take(key: string): boolean {
    const now = this.now();
    const times = (this.recent.get(key) ?? []).filter((t) => t > now - CAP_WINDOW_MS);
    this.recent.delete(key);
    const allowed = times.length < this.perMinute;
    if (allowed) times.push(now);
    this.recent.set(key, times);
    if (this.recent.size > this.maxKeys) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    return allowed;
  }
}
