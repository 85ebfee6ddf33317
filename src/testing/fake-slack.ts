/**
 * A small fake of the Slack Web API over real HTTP (node:http), for SLACK_API_URL. It records every
 * call (method, parsed body, headers), keeps a tiny message store for conversations.history/replies,
 * can inject faults per method (429 + Retry-After, 5xx, ok:false errors, slow answers) for a number of
 * calls or for a stretch of time, receives response_url posts, serves a Socket Mode WebSocket, and
 * checks every outgoing Block Kit payload.
 *
 * One implementation for the test suite (re-exported from test/support/fake-slack.ts) and for
 * `npm run bench` (src/bench/e2e.ts); it lives under src/ so the built bench can use it.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockKitProblems } from './block-kit-limits';

type Surface = 'message' | 'view';

import { FakeSocketConnection } from './fake-socket';

export type Body = Record<string, unknown>;

export interface Call {
  method: string;
  body: Body;
  headers: IncomingHttpHeaders;
  /** HTTP status the fake answered with. */
  status: number;
  /** Slack's `ok` in the answer. */
  ok: boolean;
  at: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Body;
  status: number;
  at: number;
}

export interface Fault {
  /** HTTP status to answer with (429, 500, 503…). */
  status?: number;
  /** Retry-After seconds (with 429). */
  retryAfter?: number;
  /** Answer 200 `{ok:false, error}`. */
  error?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface StoredMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  subtype?: string;
  files?: unknown[];
}

export interface FakeSlackOptions {
  /** The clock for `at` (default Date.now); the bench passes a sub-millisecond one. */
  now?: () => number;
}

/** A fault that applies to every call of a method (or '*') until a time. */
interface TimedFault {
  fault: Fault;
  until: number;
}

export const FAKE_IDENTITY = {
  user_id: 'UBOT',
  bot_id: 'BBOT',
  team_id: 'T1',
  user: 'tokenfix',
  team: 'Test team',
};
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-test-token';

/** Slack's `filetype` for the mimetypes tests share. */
const FILETYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

function parseBody(raw: string, contentType: string | undefined): Body {
  if (contentType?.startsWith('application/json')) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as Body) : { _raw: raw };
    } catch {
      return { _raw: raw };
    }
  }
  const out: Body = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(key)) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // keep as text
      }
    }
    out[key] = value;
  }
  return out;
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fault's delay: a timer close() can drop, so a closed fake leaves nothing pending. */
function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });
}

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  /** Block Kit problems found in outgoing payloads, with where they were sent. */
  readonly violations: string[] = [];
  /** Socket Mode: what the app sent back over the WebSocket (acks). */
  readonly socketMessages: Body[] = [];
  readonly sockets = new Set<FakeSocketConnection>();
  /** Tokens auth.test accepts. */
  readonly validTokens = new Set<string>([BOT_TOKEN]);
  /**
   * Methods answered by a test's own handler, before the token check (oauth.v2.access takes none):
   * `token` is the bearer or `token` field, '' when there is none. See test/support/fake-oauth.ts.
   */
  readonly handlers = new Map<string, (body: Body, token: string) => Body>();
  /** What users.info answers as each user's locale (default en-US). */
  readonly userLocales = new Map<string, string>();
  /** Messages waiting in chat.scheduleMessage, by scheduled_message_id. */
  readonly scheduled = new Map<string, Body>();
  /** Files uploaded through files.uploadV2 (the bytes posted to the upload URL), by file id. */
  readonly uploads = new Map<string, { content: string; completed: Body | null }>();
  /** Files the app may download (url_private_download), served only with a valid bot token, by name. */
  private readonly sharedFiles = new Map<string, { id: string; bytes: Buffer; mimetype: string }>();
  /** files.info answers set by a test (a file Slack describes oddly), by file id. */
  private readonly describedFiles = new Map<string, Record<string, unknown>>();
  private idCounter = 0;
  private readonly faults = new Map<string, Fault[]>();
  private readonly timedFaults = new Map<string, TimedFault>();
  private readonly delays = new Set<NodeJS.Timeout>();
  private readonly store = new Map<string, StoredMessage[]>();
  private tsCounter = 0;
  private server!: Server;
  private now: () => number = Date.now;
  port = 0;

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack();
    if (options.now) fake.now = options.now;
    fake.server = createServer((req, res) => {
      fake.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    fake.server.on('upgrade', (req, socket) => {
      if (!req.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      const conn = FakeSocketConnection.accept(req, socket, (text) => {
        try {
          fake.socketMessages.push(JSON.parse(text) as Body);
        } catch {
          fake.socketMessages.push({ _raw: text });
        }
      });
      fake.sockets.add(conn);
      conn.sendText(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** SLACK_API_URL for the app. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /**
   * A file shared in a message: its url_private_download, served to requests with a valid bot token.
   * files.info describes it by `id` (as Slack does for a Slack Connect stub).
   */
  addFile(
    name: string,
    bytes: Buffer,
    mimetype: string,
    id = `F${name.replace(/\W/g, '').toUpperCase()}`,
  ): string {
    this.sharedFiles.set(name, { id, bytes, mimetype });
    return this.fileUrl(name);
  }

  private fileUrl(name: string): string {
    return `http://127.0.0.1:${this.port}/files/${encodeURIComponent(name)}`;
  }

  /** files.info answers `{ok: true, file}` for `id` (e.g. a stub again, or a URL off Slack's file host). */
  describeFile(id: string, file: Record<string, unknown>): void {
    this.describedFiles.set(id, file);
  }

  /** files.info: the file object Slack keeps for a shared file (the fields the app reads). */
  private fileInfo(id: string): Body {
    const described = this.describedFiles.get(id);
    if (described) return { ok: true, file: described };
    for (const [name, file] of this.sharedFiles) {
      if (file.id !== id) continue;
      const url = this.fileUrl(name);
      return {
        ok: true,
        file: {
          id,
          name,
          mimetype: file.mimetype,
          filetype: FILETYPES[file.mimetype] ?? 'binary',
          size: file.bytes.length,
          url_private: url,
          url_private_download: url,
        },
      };
    }
    return { ok: false, error: 'file_not_found' };
  }

  /** Downloads of shared files, with the token they carried. */
  readonly downloads: { name: string; token: string; status: number }[] = [];

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** The next `times` calls to `method` ('response_url' for response_url posts) get this fault. */
  fail(method: string, fault: Fault, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(method, list);
  }

  /**
   * Every call to `method` ('response_url' for response_url posts, '*' for everything) gets this fault
   * for the next `ms` milliseconds (wall clock). A fault queued with `fail()` for the method wins.
   */
  failFor(method: string, fault: Fault, ms: number): void {
    this.timedFaults.set(method, { fault, until: Date.now() + ms });
  }

  /** Ends every fault, queued or timed. */
  heal(): void {
    this.faults.clear();
    this.timedFaults.clear();
  }

  private faultFor(method: string): Fault | undefined {
    const queued = this.faults.get(method)?.shift();
    if (queued) return queued;
    for (const key of [method, '*']) {
      const timed = this.timedFaults.get(key);
      if (!timed) continue;
      if (Date.now() < timed.until) return timed.fault;
      this.timedFaults.delete(key);
    }
    return undefined;
  }

  addMessage(channel: string, message: StoredMessage): void {
    const list = this.store.get(channel) ?? [];
    list.push(message);
    list.sort((a, b) => Number(a.ts) - Number(b.ts));
    this.store.set(channel, list);
  }

  /** Calls to one method (all attempts, including faulted ones). */
  callsTo(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls to one method that succeeded. */
  okCalls(method: string): Call[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  /** Sends a Socket Mode envelope to every connected client. */
  sendEnvelope(envelope: Body): void {
    for (const s of this.sockets) if (!s.closed) s.sendText(JSON.stringify(envelope));
  }

  /**
   * Slack's `disconnect` message (refresh_requested, warning, link_disabled): Slack sends it before
   * it closes a connection, and the client is expected to open a new one.
   */
  sendDisconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled'): void {
    this.sendEnvelope({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
  }

  /** Sockets still open (a reconnect leaves the old one closed in `sockets`). */
  openSockets(): FakeSocketConnection[] {
    return [...this.sockets].filter((s) => !s.closed);
  }

  /**
   * Slack's side ends every open connection: 'close' sends a close frame first, 'drop' cuts the TCP
   * connection with no frame (a network failure or a Slack host going away).
   */
  dropSockets(how: 'close' | 'drop' = 'drop'): void {
    for (const s of this.openSockets()) {
      if (how === 'close') s.close();
      else s.destroy();
    }
  }

  reset(): void {
    this.calls.length = 0;
    this.responseUrlPosts.length = 0;
    this.violations.length = 0;
    this.socketMessages.length = 0;
    this.faults.clear();
    this.timedFaults.clear();
    this.store.clear();
    this.scheduled.clear();
    this.uploads.clear();
    this.downloads.length = 0;
    this.describedFiles.clear();
  }

  /** Polls until `predicate` holds (it may be async, e.g. a GET /readyz), or throws after `timeoutMs`. */
  async waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 4_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > until) throw new Error(`fake Slack: timed out waiting for ${what}`);
      await sleep(10);
    }
  }

  async close(): Promise<void> {
    for (const t of this.delays) clearTimeout(t);
    this.delays.clear();
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${1_700_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private check(where: string, payload: { text?: unknown; blocks?: unknown }, surface: Surface): void {
    // Only payloads with blocks are cards (not e.g. `{delete_original: true}`).
    if (payload.blocks === undefined) return;
    for (const p of blockKitProblems(payload, surface)) this.violations.push(`${where}: ${p}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/files/')) {
      const name = decodeURIComponent(url.pathname.slice('/files/'.length));
      const token = this.token({}, req.headers);
      const file = this.sharedFiles.get(name);
      const fault = this.faultFor('files');
      if (fault?.delayMs) await delay(fault.delayMs, this.delays);
      const status = fault?.status ?? (!this.validTokens.has(token) ? 403 : file ? 200 : 404);
      this.downloads.push({ name, token, status });
      if (status !== 200 || !file) {
        res.writeHead(status).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) });
      res.end(file.bytes);
      return;
    }
    const raw = await readAll(req);
    if (url.pathname.startsWith('/upload/')) {
      const id = url.pathname.slice('/upload/'.length);
      const upload = this.uploads.get(id);
      if (!upload) {
        res.writeHead(404).end();
        return;
      }
      // The Web API client posts the file as multipart form data; keep the file's own bytes.
      const type = req.headers['content-type'] ?? '';
      if (type.startsWith('multipart/form-data')) {
        const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
        const part = [...form.values()][0];
        upload.content = typeof part === 'string' ? part : part ? await part.text() : '';
      } else upload.content = raw;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK - 1');
      return;
    }
    const body = parseBody(raw, req.headers['content-type']);
    if (url.pathname.startsWith('/response/')) {
      const fault = this.faultFor('response_url');
      if (fault?.delayMs) await delay(fault.delayMs, this.delays);
      const status = fault?.status ?? 200;
      this.responseUrlPosts.push({
        id: url.pathname.slice('/response/'.length),
        body,
        status,
        at: this.now(),
      });
      if (status === 200) this.check('response_url', body as { text?: unknown; blocks?: unknown }, 'message');
      res.writeHead(status, {
        'content-type': 'text/plain',
        ...(fault?.retryAfter ? { 'retry-after': String(fault.retryAfter) } : {}),
      });
      res.end(status === 200 ? 'ok' : 'error');
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const fault = this.faultFor(method);
    if (fault?.delayMs) await delay(fault.delayMs, this.delays);
    if (fault?.status && fault.status !== 200) {
      this.calls.push({
        method,
        body,
        headers: req.headers,
        status: fault.status,
        ok: false,
        at: this.now(),
      });
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}),
      });
      res.end(JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'fatal_error' }));
      return;
    }
    const answer = fault?.error ? { ok: false, error: fault.error } : this.answer(method, body, req.headers);
    this.calls.push({
      method,
      body,
      headers: req.headers,
      status: 200,
      ok: answer.ok === true,
      at: this.now(),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }

  private token(body: Body, headers: IncomingHttpHeaders): string {
    const auth = headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length);
    return typeof body.token === 'string' ? body.token : '';
  }

  private answer(method: string, body: Body, headers: IncomingHttpHeaders): Body {
    const token = this.token(body, headers);
    if (method === 'apps.connections.open') {
      return token.startsWith('xapp-')
        ? { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=1` }
        : { ok: false, error: 'invalid_auth' };
    }
    const handler = this.handlers.get(method);
    if (handler) return handler(body, token);
    if (!this.validTokens.has(token)) return { ok: false, error: 'invalid_auth' };
    const channel = String(body.channel ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://test.slack.com/', ...FAKE_IDENTITY };
      case 'chat.postMessage': {
        this.check('chat.postMessage', body, 'message');
        const ts = this.nextTs();
        const message: StoredMessage = {
          ts,
          user: FAKE_IDENTITY.user_id,
          bot_id: FAKE_IDENTITY.bot_id,
          ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
          text: String(body.text ?? ''),
        };
        this.addMessage(channel, message);
        return { ok: true, channel, ts, message };
      }
      case 'chat.postEphemeral':
        this.check('chat.postEphemeral', body, 'message');
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.update':
        this.check('chat.update', body, 'message');
        return { ok: true, channel, ts: body.ts, text: body.text };
      case 'chat.delete':
        return { ok: true, channel, ts: body.ts };
      case 'views.publish': {
        const view = (body.view ?? {}) as { blocks?: unknown };
        this.check('views.publish', { blocks: view.blocks }, 'view');
        return { ok: true, view: { id: 'V1', ...(body.view as object) } };
      }
      case 'views.open':
      case 'views.update': {
        const view = (body.view ?? {}) as { blocks?: unknown };
        this.check(method, { blocks: view.blocks }, 'view');
        return { ok: true, view: { id: String(body.view_id ?? 'V2'), hash: 'h1', ...(body.view as object) } };
      }
      case 'chat.scheduleMessage': {
        this.check('chat.scheduleMessage', body, 'message');
        const postAt = Number(body.post_at);
        const nowS = this.now() / 1000;
        if (!Number.isFinite(postAt) || postAt <= nowS) return { ok: false, error: 'time_in_past' };
        if (postAt > nowS + 120 * 86_400) return { ok: false, error: 'time_too_far' };
        const id = `Q${String(++this.idCounter).padStart(10, '0')}`;
        // A user id as the channel schedules in the app's DM with that person.
        const where = channel.startsWith('U') ? `D${channel.slice(1)}` : channel;
        this.scheduled.set(id, { ...body, channel: where });
        return { ok: true, channel: where, scheduled_message_id: id, post_at: postAt };
      }
      case 'chat.deleteScheduledMessage': {
        const id = String(body.scheduled_message_id ?? '');
        const found = this.scheduled.get(id);
        if (!found || found.channel !== channel) return { ok: false, error: 'invalid_scheduled_message_id' };
        this.scheduled.delete(id);
        return { ok: true };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users ?? '').slice(1)}` } };
      case 'files.getUploadURLExternal': {
        const id = `F${String(++this.idCounter).padStart(10, '0')}`;
        this.uploads.set(id, { content: '', completed: null });
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (typeof body.files === 'string' ? JSON.parse(body.files) : body.files) as {
          id: string;
        }[];
        for (const f of files) {
          const upload = this.uploads.get(f.id);
          if (!upload) return { ok: false, error: 'file_not_found' };
          upload.completed = body;
        }
        return { ok: true, files };
      }
      case 'users.info': {
        const user = String(body.user ?? '');
        return { ok: true, user: { id: user, locale: this.userLocales.get(user) ?? 'en-US' } };
      }
      case 'reactions.add':
        return { ok: true };
      case 'files.info':
        return this.fileInfo(String(body.file ?? ''));
      case 'conversations.history':
        return this.history(channel, body);
      case 'conversations.replies':
        return this.replies(channel, body);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private history(channel: string, body: Body): Body {
    if (!this.store.has(channel)) return { ok: false, error: 'channel_not_found' };
    const latest = body.latest !== undefined ? Number(body.latest) : Number.POSITIVE_INFINITY;
    const inclusive = body.inclusive === 'true' || body.inclusive === true;
    const limit = Number(body.limit ?? 100);
    const messages = (this.store.get(channel) ?? [])
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
      .filter((m) => (inclusive ? Number(m.ts) <= latest : Number(m.ts) < latest))
      .reverse()
      .slice(0, limit);
    return { ok: true, messages, has_more: false };
  }

  private replies(channel: string, body: Body): Body {
    const all = this.store.get(channel);
    if (!all) return { ok: false, error: 'channel_not_found' };
    const ts = String(body.ts ?? '');
    const target = all.find((m) => m.ts === ts);
    if (!target) return { ok: false, error: 'thread_not_found' };
    const parentTs = target.thread_ts ?? target.ts;
    const parent = all.find((m) => m.ts === parentTs);
    const oldest = body.oldest !== undefined ? Number(body.oldest) : 0;
    const latest = body.latest !== undefined ? Number(body.latest) : Number.POSITIVE_INFINITY;
    const inclusive = body.inclusive === 'true' || body.inclusive === true;
    const inRange = (m: StoredMessage) =>
      inclusive
        ? Number(m.ts) >= oldest && Number(m.ts) <= latest
        : Number(m.ts) > oldest && Number(m.ts) < latest;
    const replies = all.filter((m) => m.thread_ts === parentTs && m.ts !== parentTs && inRange(m));
    // Slack lists the thread's parent first.
    const messages = [...(parent ? [parent] : []), ...replies].slice(0, Number(body.limit ?? 1000));
    return { ok: true, messages, has_more: false };
  }
}
