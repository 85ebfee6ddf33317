/**
 * Sends requests the way Slack does: signed, and for events retried when the answer is not a 2xx (or
 * does not come within 3 s), with `x-slack-retry-num` / `x-slack-retry-reason` — up to 3 retries. The
 * delays between retries are compressed (Slack waits ~0 s, 1 min, 5 min).
 */
import { encodeBody, signedHeaders } from './sign';

export interface Delivery {
  /** Status of the last attempt (0: no answer). */
  status: number;
  attempts: number;
  /** ms from the first send to the first 2xx (or to the last failure). */
  ms: number;
}

export interface DeliverOptions {
  /** Send it as this retry (the first attempt already carries x-slack-retry-num). */
  retryNum?: number;
  retryReason?: string;
  /** Retry on 5xx / no answer (Slack does for events). Default true. */
  retry?: boolean;
  /** Pause before each retry, ms (default 50; Slack: ~0 s, 1 min, 5 min). */
  retryDelayMs?: number;
  /** Slack gives up on an answer after 3 s. */
  timeoutMs?: number;
}

export async function deliver(
  base: string,
  secret: string,
  kind: 'event' | 'command' | 'interactive',
  payload: unknown,
  options: DeliverOptions = {},
): Promise<Delivery> {
  const { body, type } = encodeBody(kind, payload);
  const started = Date.now();
  const maxRetries = options.retry === false ? 0 : 3;
  let retryNum = options.retryNum ?? 0;
  let reason = options.retryReason ?? 'http_error';
  let attempts = 0;
  let status = 0;
  for (;;) {
    attempts++;
    const headers = signedHeaders(secret, body, type);
    if (retryNum > 0) {
      headers['x-slack-retry-num'] = String(retryNum);
      headers['x-slack-retry-reason'] = reason;
    }
    try {
      const res = await fetch(`${base}/slack/events`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
      });
      await res.arrayBuffer();
      status = res.status;
      reason = 'http_error';
    } catch {
      status = 0;
      reason = 'http_timeout';
    }
    if ((status >= 200 && status < 300) || (status > 0 && status < 500) || attempts > maxRetries) break;
    retryNum++;
    await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 50));
  }
  return { status, attempts, ms: Date.now() - started };
}

/** A small seeded PRNG (mulberry32), so a failing run can be repeated. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
