/**
 * Slack's rate limits, kept per method (and per channel for the chat.* methods, as Slack applies
 * them to posting), not per client. @slack/web-api pauses a client's whole request queue for a 429's
 * Retry-After, so one rate-limited post would hold every other channel's replies for its full wait.
 * Instead the clients get this `fetch`: a 429 makes only calls with the same key wait Retry-After and
 * try again, within a total budget (about Slack's documented two minutes); past it the 429 goes back
 * to the client, which is set to reject rate-limited calls at once (`rejectRateLimitedCalls`) rather
 * than pause.
 */
import { createHash } from 'node:crypto';

/** Methods Slack limits per channel: a 429 in one channel says nothing about another. */
const PER_CHANNEL: ReadonlySet<string> = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'chat.delete',
  'chat.scheduleMessage',
  'reactions.add',
]);

export const RATE_LIMIT_BUDGET_MS = 120_000;

const tokenDigest = (authorization: string | null): string =>
  authorization ? createHash('sha256').update(authorization).digest('hex').slice(0, 16) : '';

function channelOf(body: unknown): string | null {
  if (typeof body !== 'string') return null;
  if (body.startsWith('{')) {
    try {
      const channel = (JSON.parse(body) as { channel?: unknown }).channel;
      return typeof channel === 'string' ? channel : null;
    } catch {
      return null;
    }
  }
  return new URLSearchParams(body).get('channel');
}

/** `chat.postMessage:C123`, or the method alone. */
export function rateLimitKey(url: string, body: unknown): string {
  const method = url.slice(url.lastIndexOf('/') + 1);
  const channel = PER_CHANNEL.has(method) ? channelOf(body) : null;
  return channel ? `${method}:${channel}` : method;
}

export interface RateLimitOptions {
  /** How long one call may keep waiting out 429s in all (default two minutes). */
  budgetMs?: number;
  /** Each attempt after a wait gets its own time limit (the client's own signal covers only the first). */
  attemptTimeoutMs?: number;
  /** Told of every 429 (method and key, never bodies). */
  onLimited?: (key: string, retryAfterS: number) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class RateLimits {
  /** Until when each key is held, ms since the epoch. */
  private readonly until = new Map<string, number>();
  private readonly budgetMs: number;
  private readonly attemptTimeoutMs: number;

  constructor(private readonly options: RateLimitOptions = {}) {
    this.budgetMs = options.budgetMs ?? RATE_LIMIT_BUDGET_MS;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 15_000;
  }

  /** The `fetch` for a WebClient. */
  wrap(fetchFn: typeof fetch = globalThis.fetch): typeof fetch {
    return async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const key = rateLimitKey(url, init?.body);
      // Slack limits each workspace's token on its own (OAuth: one client per installation): one
      // workspace's 429 must not hold another's calls. Keyed by a digest of the token, so this
      // long-lived map never holds a token itself.
      const holdKey = `${key}\n${tokenDigest(new Headers(init?.headers).get('authorization'))}`;
      const deadline = Date.now() + this.budgetMs;
      let attempt = init;
      for (;;) {
        const held = (this.until.get(holdKey) ?? 0) - Date.now();
        if (held > 0) {
          if (Date.now() + held > deadline) return rateLimited(Math.ceil(held / 1000));
          await sleep(held);
          attempt = { ...init, signal: AbortSignal.timeout(this.attemptTimeoutMs) };
        }
        const res = await fetchFn(input, attempt);
        if (res.status !== 429) return res;
        const retryAfterS = Math.max(1, Number(res.headers.get('retry-after')) || 1);
        this.options.onLimited?.(key, retryAfterS);
        this.until.set(holdKey, Math.max(this.until.get(holdKey) ?? 0, Date.now() + retryAfterS * 1000));
        if (Date.now() + retryAfterS * 1000 > deadline) return res;
        await res.body?.cancel().catch(() => undefined);
      }
    };
  }

  /** Keys held right now (for tests and the log). */
  held(): string[] {
    const now = Date.now();
    return [...this.until].filter(([, until]) => until > now).map(([key]) => key.split('\n')[0] as string);
  }
}

/** What the client sees when the wait would run past the budget: Slack's own 429. */
function rateLimited(retryAfterS: number): Response {
  return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterS) },
  });
}
