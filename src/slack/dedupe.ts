/**
 * "Answer once": a claim on a key succeeds for the first caller only, until the key expires.
 * This in-process version serves one replica; the durable store (state issue) implements the same
 * interface with an atomic insert so several replicas agree.
 */
import type { Claim } from '../store/store';

export interface Claims {
  /** True for the first claim of `key` within `ttlMs`; false for every later one. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Claims in order, stopping at the first one refused: how many were won. With a store this is one
   * round trip, where claiming one by one would be several waits on the reply path.
   */
  claimInOrder(claims: readonly Claim[]): Promise<number>;
}

/** Slack retries an event after ~0 s, 1 min and 5 min: remember event ids at least 6 minutes. */
export const MIN_EVENT_TTL_MS = 6 * 60_000;

export const dedupeKeys = {
  /** The same delivery again (HTTP retry, Socket Mode redelivery). */
  event: (eventId: string) => `event:${eventId}`,
  /** One slash command invocation: a replayed or re-sent command carries the same trigger_id. */
  command: (triggerId: string) => `cmd:${triggerId}`,
  /** One message, whichever way it arrived (app_mention and message for the same post). */
  message: (channel: string, ts: string) => `msg:${channel}:${ts}`,
  /** Passive listening answers a platform+cause once per thread. */
  passive: (channel: string, threadTs: string, platform: string | null, cause: string | null) =>
    `passive:${channel}:${threadTs}:${platform ?? '-'}:${cause ?? '-'}`,
} as const;

export class MemoryClaims implements Claims {
  private readonly expiries = new Map<string, number>();
  private nextSweep = 0;

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    this.sweep(now);
    const until = this.expiries.get(key);
    if (until !== undefined && until > now) return false;
    // Re-insert so Map order stays oldest-first for the size cap.
    this.expiries.delete(key);
    this.expiries.set(key, now + ttlMs);
    if (this.expiries.size > this.maxKeys) {
      const oldest = this.expiries.keys().next().value;
      if (oldest !== undefined) this.expiries.delete(oldest);
    }
    return true;
  }

  async claimInOrder(claims: readonly Claim[]): Promise<number> {
    let won = 0;
    for (const c of claims) {
      if (!(await this.claim(c.key, c.ttlMs))) break;
      won++;
    }
    return won;
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 30_000;
    for (const [key, until] of this.expiries) if (until <= now) this.expiries.delete(key);
  }
}
