/**
 * At most N passive replies per channel in any 60 seconds (knowledge `settings.passiveRepliesPerMinute`).
 * A backstop behind own-card recognition: whatever loop or flood gets past it can't post more than
 * that.
 *
 * Counted in the store (`Store.takeCapSlot`, one atomic take per reply), so N replicas behind a load
 * balancer allow N replies a minute in all, not N each. Without a store, or while it fails (down,
 * slow, refusing), each process counts its own in PerMinuteCap: the bot keeps answering, and the cap
 * then holds per replica. The in-process count is kept up to date while the store answers too, so a
 * fallback in the middle of a minute already knows this replica's recent replies.
 */
export const CAP_WINDOW_MS = 60_000;

/** The per-channel cap as passive listening asks it: one call per reply about to be posted. */
export interface ReplyCap {
  /** True (and counted) while `key` has had fewer than the cap in the last minute. */
  take(key: string): Promise<boolean>;
}

/** The in-process count: one replica's replies only. */
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

/** The in-process count as a ReplyCap: for a bot without a store. */
export function inProcessCap(perMinute: number, now: () => number = Date.now): ReplyCap {
  const cap = new PerMinuteCap(perMinute, now);
  return { take: async (key) => cap.take(key) };
}

/** Takes a slot from the store: true/false as the store decided, null when it couldn't (no store, or it failed). */
export type SharedTake = (key: string, limit: number, windowMs: number) => Promise<boolean | null>;

export interface SharedCapLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** The cap shared through the store, falling back to the in-process count when the store can't answer. */
export class SharedCap implements ReplyCap {
  private readonly local: PerMinuteCap;
  /** Counting in process since the store last failed (logged once per outage). */
  private fallingBack = false;

  constructor(
    private readonly perMinute: number,
    private readonly shared: SharedTake,
    private readonly log: SharedCapLog,
    now: () => number = Date.now,
  ) {
    this.local = new PerMinuteCap(perMinute, now);
  }

  async take(key: string): Promise<boolean> {
    const taken = await this.shared(key, this.perMinute, CAP_WINDOW_MS).catch(() => null);
    if (taken === null) {
      if (!this.fallingBack) {
        this.fallingBack = true;
        this.log.warn('passive reply cap: the store did not answer; counting in this process (per replica)', {
          perMinute: this.perMinute,
        });
      }
      return this.local.take(key);
    }
    if (this.fallingBack) {
      this.fallingBack = false;
      this.log.info('passive reply cap: counted in the store again (shared by every replica)');
    }
    // This replica's own count follows, for a fallback that starts within the minute.
    if (taken) this.local.take(key);
    return taken;
  }
}
