/**
 * HTTP plumbing around Bolt's receiver: the health routes, and a guard in front of `POST /slack/events`
 * that answers bodies Bolt would choke on (JSON `null`, an `event` that is not an object…) with
 * 400/401 instead of leaving the request hanging and an unhandled rejection behind.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isValidSlackRequest } from '@slack/bolt';

type Check = { ok: true } | { ok: false; reason: string };

export interface HealthState {
  /**
   * Readiness (GET /readyz, the Kubernetes readiness probe): started, token verified, not draining, and
   * in Socket Mode connected. The store is not part of it: replies go on without it, and a store outage
   * must not take every replica out of service at once.
   */
  ready(): Promise<Check>;
  /** Deep health (GET /healthz, for monitoring): readiness and the store, naming the failing part. */
  healthy(): Promise<Check>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** GET /livez: the event loop answers. */
export function livez(_req: IncomingMessage, res: ServerResponse): void {
  json(res, 200, { ok: true });
}

function checkRoute(check: () => Promise<Check>): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    check().then(
      (r) => json(res, r.ok ? 200 : 503, r),
      () => json(res, 503, { ok: false, reason: 'check failed' }),
    );
  };
}

/** GET /readyz: 200 `{"ok":true}` when the app should get traffic, else 503 with the reason. */
export const readyz = (state: HealthState) => checkRoute(() => state.ready());
/** GET /healthz: 200 when every part works (the store too), else 503 naming the failing part. */
export const healthz = (state: HealthState) => checkRoute(() => state.healthy());

/**
 * A tiny server for Socket Mode, where Bolt serves no HTTP: /livez, /readyz and /healthz on PORT, and any extra
 * GET routes (the OAuth install pages in OAuth mode).
 */
export function healthListener(
  state: HealthState,
  routes: Record<string, RequestListener> = {},
): RequestListener {
  const ready = readyz(state);
  const healthy = healthz(state);
  return (req, res) => {
    let path = '';
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      // falls through to 404
    }
    if (req.method === 'GET' && path === '/livez') return livez(req, res);
    if (req.method === 'GET' && path === '/readyz') return ready(req, res);
    if (req.method === 'GET' && path === '/healthz') return healthy(req, res);
    const route = req.method === 'GET' && Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route) return route(req, res);
    json(res, 404, { ok: false, reason: 'not found' });
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why Bolt can't take this parsed body, or null when it can. */
export function malformedPayload(body: unknown): string | null {
  if (!isPlainObject(body)) return 'not a JSON object';
  if ('event' in body) {
    const event = body.event;
    if (!isPlainObject(event)) return '`event` is not an object';
    if ('item' in event && !isPlainObject(event.item)) return '`event.item` is not an object';
    if (
      'channel' in event &&
      event.channel !== null &&
      typeof event.channel !== 'string' &&
      !isPlainObject(event.channel)
    )
      return '`event.channel` is neither a string nor an object';
    // A workflow step's execution is acked by its listener, not by Bolt up front: without an execution
    // id Bolt throws before any ack, which would answer 500 and make Slack send it again.
    if (
      event.type === 'function_executed' &&
      (typeof event.function_execution_id !== 'string' || !isPlainObject(event.function))
    )
      return '`function_executed` without an execution id or function';
  }
  if ('actions' in body && !Array.isArray(body.actions)) return '`actions` is not a list';
  return null;
}

/** Why Bolt can't take this raw request body, or null when it can. */
export function malformedBody(raw: string, contentType: string | undefined): string | null {
  let body: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams(raw);
      const payload = form.get('payload');
      if (payload === null) return null;
      body = JSON.parse(payload);
    } else {
      body = JSON.parse(raw);
    }
  } catch {
    return 'not JSON';
  }
  return malformedPayload(body);
}

/** The parts of @slack/socket-mode's client the guard uses. */
interface SocketClient {
  listeners(event: 'ws_message'): Array<(...args: unknown[]) => unknown>;
  removeAllListeners(event: 'ws_message'): unknown;
  on(event: 'ws_message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  send(id: string, body?: Record<string, unknown>): Promise<void>;
}

/**
 * Socket Mode: an envelope whose payload Bolt can't take (e.g. `event: null`) would throw inside the
 * client's message handler, go unacknowledged and come back on every redelivery. Ack it and drop it.
 */
export function guardSocketMessages(client: SocketClient, onRejected: (reason: string) => void): void {
  const original = client.listeners('ws_message');
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    if (!isBinary) {
      let envelope: unknown;
      try {
        envelope = JSON.parse(
          typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer),
        );
      } catch {
        envelope = undefined; // the client ignores unparsable messages itself
      }
      if (isPlainObject(envelope) && typeof envelope.envelope_id === 'string' && 'payload' in envelope) {
        const problem = malformedPayload(envelope.payload);
        if (problem) {
          onRejected(problem);
          client.send(envelope.envelope_id).catch(() => undefined);
          return;
        }
      }
    }
    for (const listener of original) listener.call(client, data, isBinary);
  });
}

export interface GuardOptions {
  signingSecret: string;
  endpoint: string;
  bodyLimit: number;
  /** True once shutdown began: new Slack requests get 503 (Slack retries them elsewhere or later). */
  stopping: () => boolean;
  /**
   * True while the app holds as many requests as it will (app.ts MAX_IN_FLIGHT): the bound on queued
   * replies. Signed events are then refused with 503 — Slack delivers them again later, and the event_id
   * dedupe keeps that to one answer — and signed slash commands get a short "busy" note in the ack itself
   * (no outgoing call). Everything else (interactivity, url_verification) goes through.
   */
  busy?: () => boolean;
  onRejected?: (status: number, reason: string) => void;
  /**
   * Cap on the bytes held, across all requests, by bodies whose signature is not checked yet. Each
   * unverified request may hold up to bodyLimit; without a shared cap, a few hundred stalled clients
   * would hold gigabytes. Over the cap: 503 and the connection closed. Bytes within a request's first
   * SMALL_BODY_BYTES don't count.
   */
  maxUnverifiedBytes?: number;
}

/** Slack rejects requests whose timestamp is more than five minutes off; so do we, before reading. */
export const MAX_CLOCK_SKEW_S = 300;
export const DEFAULT_MAX_UNVERIFIED_BYTES = 32 * 1024 * 1024;
/**
 * Each request's first bytes are outside that cap (at most SERVER_LIMITS.maxConnections × this, 16 MB):
 * Slack's slash commands and most events fit, so they are still read while large bodies fill the cap.
 */
export const SMALL_BODY_BYTES = 16 * 1024;
/**
 * Unsigned requests are read only this far: Slack's `ssl_check=1&token=…` carries no signature, and
 * nothing else unsigned gets through anyway.
 */
export const UNSIGNED_BODY_LIMIT = 256;

/** Server settings against slow or idle clients: Slack sends a request at once. */
export const SERVER_LIMITS = {
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 5_000,
  /** Socket inactivity: a client that stalls mid-body is dropped after this long. */
  idleTimeoutMs: 10_000,
  maxConnections: 1_000,
} as const;

/** Applies SERVER_LIMITS to a server Bolt (or app.ts) created. */
export function limitServer(server: import('node:http').Server): void {
  server.requestTimeout = SERVER_LIMITS.requestTimeoutMs;
  server.headersTimeout = SERVER_LIMITS.headersTimeoutMs;
  server.maxConnections = SERVER_LIMITS.maxConnections;
  server.setTimeout(SERVER_LIMITS.idleTimeoutMs, (socket) => socket.destroy());
}

/** Why the headers alone rule this Slack request out (status and reason), or null. */
export function rejectByHeaders(
  req: IncomingMessage,
  bodyLimit: number,
  nowS = Date.now() / 1000,
): { status: number; reason: string } | null {
  const length = header(req, 'content-length');
  const declared = length === undefined ? undefined : Number(length);
  if (declared !== undefined && Number.isFinite(declared) && declared > bodyLimit)
    return { status: 413, reason: 'body too large' };
  const signature = header(req, 'x-slack-signature');
  if (signature === undefined) {
    // Only a tiny declared body may come unsigned (ssl_check); Bolt still refuses anything else.
    if (declared !== undefined && Number.isFinite(declared) && declared <= UNSIGNED_BODY_LIMIT) return null;
    return { status: 401, reason: 'no signature' };
  }
  const stamp = header(req, 'x-slack-request-timestamp');
  if (stamp === undefined || !/^\d{1,12}$/.test(stamp)) return { status: 401, reason: 'no valid timestamp' };
  if (Math.abs(nowS - Number(stamp)) > MAX_CLOCK_SKEW_S) return { status: 401, reason: 'stale timestamp' };
  return null;
}

/** What a slash command sees while the bot sheds load. */
export const BUSY_NOTE =
  ':hourglass: tokenfix is answering a burst of requests right now. Please run the command again in a minute.';

/** Which kind of Slack request a body is, for load shedding: an event, a slash command, or other. */
export function requestKind(raw: string, contentType: string | undefined): 'event' | 'command' | 'other' {
  if (contentType === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(raw).has('command') ? 'command' : 'other';
  }
  try {
    const body = JSON.parse(raw) as { type?: unknown } | null;
    return body?.type === 'event_callback' ? 'event' : 'other';
  } catch {
    return 'other';
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Wraps Bolt's request listener; reads and checks the body of Slack requests first. */
export function guardRequests(inner: RequestListener, options: GuardOptions): RequestListener {
  const reject = (res: ServerResponse, status: number, reason: string, keepReading = false) => {
    options.onRejected?.(status, reason);
    if (!res.headersSent) {
      // `connection: close` makes Node close the socket once the answer is out: a client still
      // sending its body then gets a reset instead of the answer. A drained request keeps it open.
      res.writeHead(status, keepReading ? {} : { connection: 'close' });
      res.end();
    }
  };
  // Refusing before the body is read: the rest is drained unbuffered (a client still sending then reads
  // the answer instead of a reset; the server timeouts bound how long). Over the shared cap the socket is
  // closed as soon as the answer is out.
  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: string) => {
    reject(res, status, reason, status !== 503);
    if (status === 503) res.once('finish', () => req.socket.destroySoon());
    req.resume();
  };
  const maxUnverified = options.maxUnverifiedBytes ?? DEFAULT_MAX_UNVERIFIED_BYTES;
  let unverified = 0;
  return (req, res) => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      req.resume();
      return reject(res, 400, 'bad URL');
    }
    if (req.method !== 'POST' || path !== options.endpoint) return inner(req, res);
    if (options.stopping()) {
      req.resume();
      return reject(res, 503, 'shutting down');
    }
    const early = rejectByHeaders(req, options.bodyLimit);
    if (early) return refuse(req, res, early.status, early.reason);
    const limit = header(req, 'x-slack-signature') === undefined ? UNSIGNED_BODY_LIMIT : options.bodyLimit;
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    let tooLarge = false;
    const release = () => {
      unverified -= held;
      held = 0;
    };
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        release();
        refuse(req, res, limit === options.bodyLimit ? 413 : 401, 'body too large');
        return;
      }
      // Only bytes past the first SMALL_BODY_BYTES count: a stalled flood then can't starve Slack's
      // small requests (commands, most events), and those stay bounded by the connection cap.
      const counted = Math.max(0, size - SMALL_BODY_BYTES) - held;
      if (counted > 0) {
        if (unverified + counted > maxUnverified) {
          tooLarge = true;
          chunks.length = 0;
          release();
          refuse(req, res, 503, 'too many unverified bytes buffered');
          return;
        }
        unverified += counted;
        held += counted;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      release();
      reject(res, 400, 'request stream error');
    });
    req.on('close', release);
    req.on('end', () => {
      release();
      if (tooLarge || res.headersSent) return;
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      const contentType = header(req, 'content-type');
      const signed = (): boolean => {
        const signature = header(req, 'x-slack-signature');
        const timestamp = Number(header(req, 'x-slack-request-timestamp'));
        return (
          typeof signature === 'string' &&
          Number.isFinite(timestamp) &&
          isValidSlackRequest({
            signingSecret: options.signingSecret,
            body: text,
            headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
          })
        );
      };
      const problem = malformedBody(text, contentType);
      if (problem) return reject(res, signed() ? 400 : 401, problem);
      if (options.busy?.()) {
        const kind = requestKind(text, contentType);
        if (kind !== 'other') {
          if (!signed()) return reject(res, 401, 'bad signature');
          if (kind === 'event') return reject(res, 503, 'busy: event refused, Slack will deliver it again');
          options.onRejected?.(200, 'busy: slash command answered with a busy note');
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ response_type: 'ephemeral', text: BUSY_NOTE }));
          return;
        }
      }
      // Bolt reuses an already-read body (BufferedIncomingMessage.rawBody).
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
      try {
        inner(req, res);
      } catch {
        reject(res, 500, 'receiver failed');
      }
    });
  };
}
