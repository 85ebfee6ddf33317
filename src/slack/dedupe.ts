/**
 * "Answer once": a claim on a key succeeds for the first caller only, until the key expires.
 * This in-process version serves one replica; the durable store implements the same interface with an
 * atomic insert so several replicas agree.
 *
 * A reply's claims are *held* (see `hold`): pending while the reply is being made, final only once it
 * is posted. A crash in between leaves them pending; when their lease lapses, a redelivery of the event
 * is answered instead of being refused as already done (issue 11.4).
 */
import { randomBytes } from 'node:crypto';
import { type Claim, DEFAULT_REPLY_LEASE_MS } from '../store/store';

/** Claims taken for one reply, pending until it is settled. */
export interface Hold {
  /** How many of the claims were won, in order (0: another delivery has it, or had it answered). */
  readonly won: number;
  /** The reply went out, or there is nothing to send: the won claims become final for their TTL. */
  answered(): Promise<void>;
  /** The reply did not go out and a redelivery may do better: the won claims are let go at once. */
  release(): Promise<void>;
}

export interface Claims {
  /** True for the first claim of `key` within `ttlMs`; false for every later one. Final at once. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Claims in order, stopping at the first one refused: how many were won. With a store this is one
   * round trip, where claiming one by one would be several waits on the reply path. Final at once.
   */
  claimInOrder(claims: readonly Claim[]): Promise<number>;
  /**
   * Claims in order for a reply: pending (held under a lease) until the returned Hold is settled. A
   * fresh pending claim is refused like a final one (another delivery is working on it); one whose lease
   * lapsed (its holder died) is won again.
   */
  hold(claims: readonly Claim[]): Promise<Hold>;
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

/** A random id for one reply's claims. */
export const newHolder = (): string => randomBytes(12).toString('base64url');

/** A Hold that holds nothing (every claim refused): settling it does nothing. */
export const NOTHING_HELD: Hold = Object.freeze({
  won: 0,
  answered: async () => {},
  release: async () => {},
});

/** A Hold whose first settlement wins; later ones do nothing. */
export function settleOnce(won: number, answered: () => Promise<void>, release: () => Promise<void>): Hold {
  if (won === 0) return NOTHING_HELD;
  let settled = false;
  return {
    won,
    answered: async () => {
      if (settled) return;
      settled = true;
      await answered();
    },
    release: async () => {
      if (settled) return;
      settled = true;
      await release();
    },
  };
}

/**
 * Settles a reply's holds: released when `redeliver` (the post failed in a way a redelivery may fix),
 * else answered. Absent holds are skipped.
 */
export async function settleHolds(holds: ReadonlyArray<Hold | undefined>, redeliver: boolean): Promise<void> {
  await Promise.all(holds.map((h) => (h ? (redeliver ? h.release() : h.answered()) : undefined)));
}

/**
 * Makes a reply for held claims and settles them by how it went: released when it threw or when
 * `redeliver(result)` says a redelivery may do better, answered otherwise. `holds` is read once the
 * reply is done, so claims the reply itself takes can be added to it.
 */
export async function replyHeld<T>(
  holds: Array<Hold | undefined>,
  reply: () => Promise<T>,
  redeliver: (result: T) => boolean,
): Promise<T> {
  let result: T;
  try {
    result = await reply();
  } catch (error) {
    await settleHolds(holds, true);
    throw error;
  }
  await settleHolds(holds, redeliver(result));
  return result;
}

/** Bolt's context field under which the event id's hold travels from app.ts to the listener. */
const EVENT_HOLD = 'tokenfixEventHold';

export function attachEventHold(context: Record<string, unknown>, hold: Hold): void {
  context[EVENT_HOLD] = hold;
}

/** The event id's hold, for the listener that knows how its reply went (app.ts settles it otherwise). */
export function eventHold(context: Record<string, unknown>): Hold | undefined {
  return context[EVENT_HOLD] as Hold | undefined;
}

interface Entry {
  until: number;
  /** The holder of a pending claim; null once final. */
  holder: string | null;
}

export class MemoryClaims implements Claims {
  private readonly entries = new Map<string, Entry>();
  private nextSweep = 0;

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
    /** The lease of `hold()` used on its own (Memory passes its own lease, and renews it). */
    private readonly leaseMs = DEFAULT_REPLY_LEASE_MS,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return this.take(key, ttlMs, null);
  }

  async claimInOrder(claims: readonly Claim[]): Promise<number> {
    return this.takeInOrder(claims, null, 0);
  }

  async hold(claims: readonly Claim[]): Promise<Hold> {
    const holder = newHolder();
    const won = this.holdInOrder(claims, holder, this.leaseMs);
    const mine = claims.slice(0, won);
    return settleOnce(
      won,
      async () => this.confirm(holder, mine),
      async () =>
        this.release(
          holder,
          mine.map((c) => c.key),
        ),
    );
  }

  /** Pending claims for `holder`, each for `leaseMs`: how many were won, in order. */
  holdInOrder(claims: readonly Claim[], holder: string, leaseMs: number): number {
    return this.takeInOrder(claims, holder, leaseMs);
  }

  /** `holder`'s pending claims on these keys become final, each for its TTL from now. */
  confirm(holder: string, claims: readonly Claim[]): void {
    const now = this.now();
    for (const c of claims) {
      const e = this.entries.get(c.key);
      if (e?.holder === holder) this.entries.set(c.key, { until: now + c.ttlMs, holder: null });
    }
  }

  /** `holder`'s pending claims on these keys are let go. */
  release(holder: string, keys: readonly string[]): void {
    for (const key of keys) if (this.entries.get(key)?.holder === holder) this.entries.delete(key);
  }

  /** The pending claims of these holders get `leaseMs` more from now (a pass over the keys: rare, bounded). */
  renew(holders: ReadonlySet<string>, leaseMs: number): void {
    if (holders.size === 0) return;
    const until = this.now() + leaseMs;
    for (const e of this.entries.values()) if (e.holder !== null && holders.has(e.holder)) e.until = until;
  }

  get size(): number {
    return this.entries.size;
  }

  private takeInOrder(claims: readonly Claim[], holder: string | null, leaseMs: number): number {
    let won = 0;
    for (const c of claims) {
      if (!this.take(c.key, holder === null ? c.ttlMs : leaseMs, holder)) break;
      won++;
    }
    return won;
  }

  private take(key: string, ms: number, holder: string | null): boolean {
    const now = this.now();
    this.sweep(now);
    const e = this.entries.get(key);
    if (e !== undefined && e.until > now) return false;
    // Re-insert so Map order stays oldest-first for the size cap.
    this.entries.delete(key);
    this.entries.set(key, { until: now + ms, holder });
    if (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return true;
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 30_000;
    for (const [key, e] of this.entries) if (e.until <= now) this.entries.delete(key);
  }
}
