/**
 * createApp(config, deps): the Bolt app with every listener, in HTTP mode (POST /slack/events,
 * GET /healthz, GET /livez on PORT) or Socket Mode (SLACK_APP_TOKEN set; /healthz and /livez still on
 * PORT). Every Web API call goes to SLACK_API_URL with a bounded retry policy.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AnyMiddlewareArgs,
  App,
  type AuthorizeResult,
  type AuthorizeSourceData,
  ErrorCode as BoltErrorCode,
  defaultBodyLimit,
  HTTPReceiver,
  type InstallationQuery,
  SocketModeReceiver,
} from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Config, Mode } from './config';
import type { Knowledge } from './diagnosis/knowledge';
import { registerListeners } from './listeners';
import type { BotSettings, ListenerDeps } from './listeners/deps';
import { createLog, errorFields, type Log, libraryLogger } from './log';
import { Metrics } from './metrics';
import { createInstaller, type Installer } from './oauth/install';
import type { Installations } from './oauth/installation-store';
import { ScreenshotReader } from './ocr';
import { afterOtherAcks } from './slack/ack-first';
import { attachEventHold, type Claims, dedupeKeys, type Hold, MIN_EVENT_TTL_MS } from './slack/dedupe';
import {
  guardRequests,
  guardSocketMessages,
  type HealthState,
  healthListener,
  healthz,
  limitServer,
  livez,
  readyz,
} from './slack/http';
import { Memory } from './slack/memory';
import { RateLimits } from './slack/rate-limits';
import { Replies } from './slack/replies';
import { Screenshots } from './slack/screenshots';
import { keepReconnecting, type SocketReconnect } from './slack/socket-reconnect';
import type { Store } from './store/store';

/** Who the bot is in the workspace, from auth.test. */
export interface Identity {
  botId: string;
  botUserId: string;
  teamId: string | null;
}

/** auth.test answered ok:false (invalid_auth, token_revoked, account_inactive…). */
export class TokenRejectedError extends Error {
  constructor(readonly code: string) {
    super(`Slack rejected the bot token (${code})`);
    this.name = 'TokenRejectedError';
  }
}

/** Web API retries: 429 (after Retry-After) and 5xx/network errors, 5 times within about 2 minutes. */
export const RETRY_POLICY: RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 1_000,
  maxTimeout: 30_000,
  maxRetryTime: 2 * 60_000,
  randomize: true,
};
/** One Web API call may take this long before it counts as failed (and is retried). */
export const CALL_TIMEOUT_MS = 15_000;
/** Shutdown waits this long for replies in flight, then exits anyway. */
export const SHUTDOWN_GRACE_MS = 8_000;
/**
 * The bound on queued work: requests being answered at once (acked, reply not yet done). Beyond it,
 * HTTP mode refuses new events with 503 (Slack delivers them again later; dedupe answers once) and
 * answers slash commands with a busy note (src/slack/http.ts). Normal traffic stays far below it; it is
 * reached when Slack is slow or rate-limits us during a burst, and keeps memory bounded then.
 */
export const MAX_IN_FLIGHT = 500;
/** Passive listening remembers a platform+cause answered in a thread this long. */
export const THREAD_TTL_MS = 24 * 60 * 60_000;

export const EVENTS_PATH = '/slack/events';

export interface AppDeps {
  knowledge: Knowledge;
  log?: Log;
  /**
   * The store (DATABASE_URL), opened by index.ts, which also closes it. Claims, diagnoses, votes and
   * channel settings go there; null/absent: in-process claims only, nothing kept.
   */
  store?: Store | null;
  /** Store calls on the reply path give up after this long (default 2 s), then fall back. */
  storeTimeoutMs?: number;
  /** Claims other than the store's (tests). */
  claims?: Claims;
  /** Known bot identity (tests): no auth.test needed before events are served. */
  identity?: Identity;
  /** Test hooks: a faster retry policy and call timeout. */
  retryConfig?: RetryOptions;
  /** How long one Slack call may wait out 429s in all (default two minutes; tests shorten it). */
  rateLimitBudgetMs?: number;
  callTimeoutMs?: number;
  respondBackoffMs?: number;
  /** The bound on requests answered at once (default MAX_IN_FLIGHT). */
  maxInFlight?: number;
  /** Socket Mode: the first wait before trying again after a failed reconnect (doubles; tests shorten it). */
  socketRetryMs?: number;
  /** Extra readiness checks for /healthz (e.g. the store, later). Throw to report not ready. */
  readinessChecks?: Array<() => Promise<void>>;
  /** OAuth mode (config.oauth): where installations are kept (required then). */
  installations?: Installations;
}

export interface TokenfixApp {
  readonly app: App;
  readonly mode: Mode;
  /** HTTP: listen on config.port. Socket Mode: connect, and serve /healthz and /livez on config.port. */
  start(): Promise<{ port: number }>;
  /** auth.test with the bot token; makes /healthz ready. Throws TokenRejectedError when Slack says no. */
  verifyToken(): Promise<Identity>;
  /** Stop taking requests, wait up to graceMs for replies in flight, close everything. */
  stop(graceMs?: number): Promise<{ drained: boolean }>;
  inFlight(): number;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  settled: boolean;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  const d: Deferred<T> = {
    promise,
    settled: false,
    resolve: (value) => {
      d.settled = true;
      resolve(value);
    },
  };
  return d;
}

/** The promise, or a rejection after `ms`; the timer never outlives the race. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `app_uninstalled` and `tokens_revoked`: Bolt runs them without authorization (the install is going).
 * `team_access_revoked` too, by the authorize below: its listener needs no token (it only forgets), and
 * the install its `authorizations` name may already be gone, or be the org's seen from a workspace it
 * no longer serves.
 */
function isInstallLifecycleEvent(body: unknown): boolean {
  const type = (body as { event?: { type?: unknown } } | undefined)?.event?.type;
  return type === 'app_uninstalled' || type === 'tokens_revoked' || type === 'team_access_revoked';
}

/** Lifecycle events that Bolt itself authorizes (helpers.ts eventTypesToSkipAuthorize in @slack/bolt). */
function isAuthorizedByBolt(body: unknown): boolean {
  const type = (body as { event?: { type?: unknown } } | undefined)?.event?.type;
  return type === 'app_uninstalled' || type === 'tokens_revoked';
}

/** Waits for the promises to settle, at most `ms`. */
async function settleWithin(promises: Array<Promise<unknown>>, ms: number): Promise<void> {
  await within(Promise.allSettled(promises), ms, 'timed out').catch(() => undefined);
}

export function createApp(config: Config, deps: AppDeps): TokenfixApp {
  const botToken = config.botToken;
  // OAuth mode: a token per workspace or org, from the installations; otherwise the one bot token.
  const oauth =
    config.oauth && deps.installations ? { ...config.oauth, installations: deps.installations } : null;
  if (!botToken && !oauth) {
    throw new Error(
      config.oauth
        ? 'OAuth mode needs an installation store (deps.installations)'
        : 'SLACK_BOT_TOKEN is missing',
    );
  }
  const log = deps.log ?? createLog({ level: config.logLevel });
  const knowledgeSettings = deps.knowledge.settings;
  const metrics = new Metrics({
    inFlight: () => inflight.size,
    storeUp: () => memory.ping(1_000),
  });
  const memory = new Memory({
    onDiagnosis: (e) => metrics.diagnosed(e.diagnosis.platform, e.diagnosis.cause, e.entryPoint),
    store: deps.store ?? null,
    log: log.child({ source: 'store' }),
    settings: {
      readBotMessages: knowledgeSettings.readBotMessages,
      outbreak: knowledgeSettings.outbreak,
      retentionDays: knowledgeSettings.retention.diagnosesDays,
    },
    ...(deps.storeTimeoutMs !== undefined ? { timeoutMs: deps.storeTimeoutMs } : {}),
    replyLeaseMs: knowledgeSettings.replyLeaseSeconds * 1_000,
  });
  const claims = deps.claims ?? memory.claims;
  const settings: BotSettings = {
    readBotMessages: knowledgeSettings.readBotMessages,
    eventTtlMs: Math.max(MIN_EVENT_TTL_MS, knowledgeSettings.retention.eventIdsMinutes * 60_000),
    threadTtlMs: THREAD_TTL_MS,
    // ALERT_CHANNEL is one workspace's channel: in OAuth mode (many workspaces) it would receive, or
    // fail to receive, every workspace's alerts, so it only applies with a single bot token. Each
    // workspace's own `/tokenfix alerts here|off` choice (in the store) comes first either way.
    alertChannel: oauth ? null : config.alertChannel,
  };
  if (oauth && config.alertChannel)
    log.warn(
      'ALERT_CHANNEL is ignored in OAuth mode: it names one workspace’s channel; each workspace chooses with /tokenfix alerts here',
    );
  const identity = deferred<Identity>();
  if (deps.identity) identity.resolve(deps.identity);

  let stopping = false;
  const inflight = new Set<Promise<unknown>>();
  const maxInFlight = deps.maxInFlight ?? MAX_IN_FLIGHT;

  // Set once the receiver exists: Socket Mode is ready only while its WebSocket is connected.
  let connected: () => boolean = () => true;
  let reconnect: SocketReconnect | null = null;
  const health: HealthState = {
    async ready() {
      if (stopping) return { ok: false, reason: 'shutting down' };
      if (!oauth && !identity.settled) return { ok: false, reason: 'bot token not verified yet' };
      if (!connected()) return { ok: false, reason: reconnect?.problem() ?? 'socket mode: not connected' };
      return { ok: true };
    },
    async healthy() {
      const ready = await health.ready();
      if (!ready.ok) return ready;
      // A real query with a short timeout (SQLite: also the file is still the one opened).
      if (!(await memory.ping(1_000))) return { ok: false, reason: 'store unreachable' };
      if (!(await memory.writeProbe(1_000))) return { ok: false, reason: 'store not writable' };
      // A full disk still reads and takes locks: the last failed call tells.
      const failure = memory.lastStoreFailure();
      if (failure) return { ok: false, reason: `store: ${failure}` };
      for (const check of deps.readinessChecks ?? []) {
        try {
          await within(check(), 2_000, 'timed out');
        } catch (error) {
          return { ok: false, reason: `not healthy: ${(error as Error).message ?? 'check failed'}` };
        }
      }
      return { ok: true };
    },
  };

  // Rate limits per method and channel, for every client this app makes (see src/slack/rate-limits.ts):
  // a 429 holds only calls of its own key, never the client's whole queue.
  const rateLimits = new RateLimits({
    ...(deps.rateLimitBudgetMs !== undefined ? { budgetMs: deps.rateLimitBudgetMs } : {}),
    attemptTimeoutMs: deps.callTimeoutMs ?? CALL_TIMEOUT_MS,
    onLimited: (key, retryAfterS) => {
      log.info('slack rate limit', { key, retryAfterS });
      metrics.rateLimited(key.split(':')[0] as string);
    },
  });
  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    retryConfig: deps.retryConfig ?? RETRY_POLICY,
    timeout: deps.callTimeoutMs ?? CALL_TIMEOUT_MS,
    logger: libraryLogger(log, 'web-api'),
    rejectRateLimitedCalls: true,
    fetch: rateLimits.wrap(),
  };
  const boltLogger = libraryLogger(log, 'bolt');

  // OAuth mode: the install pages and, per request, the installation's (refreshed) token.
  const installer: Installer | null = oauth
    ? createInstaller({
        oauth,
        installations: oauth.installations,
        clientOptions: {
          slackApiUrl: clientOptions.slackApiUrl,
          retryConfig: clientOptions.retryConfig,
          timeout: clientOptions.timeout,
          rejectRateLimitedCalls: true,
          fetch: clientOptions.fetch,
        },
        log,
      })
    : null;
  const installRoutes = installer?.routes ?? {};

  let receiver: HTTPReceiver | SocketModeReceiver;
  if (config.mode === 'socket') {
    const socket = new SocketModeReceiver({
      appToken: config.appToken as string,
      logger: libraryLogger(log, 'socket-mode'),
      // The Socket Mode client's own Web API calls (apps.connections.open) honour SLACK_API_URL too.
      installerOptions: { clientOptions },
      processEventErrorHandler: async ({ error }) => {
        log.error('event processing failed', errorFields(error));
        // Malformed payloads and authorization failures won't get better on redelivery: ack them.
        return (
          error instanceof TypeError || (error as { code?: string }).code === BoltErrorCode.AuthorizationError
        );
      },
    });
    // send() (how the client acks) is private in the typings, hence the cast.
    guardSocketMessages(socket.client as unknown as Parameters<typeof guardSocketMessages>[0], (reason) =>
      log.warn('envelope rejected', { reason }),
    );
    receiver = socket;
    connected = () => socket.client.websocket?.isActive() ?? false;
    reconnect = keepReconnecting(socket.client, log, deps.socketRetryMs);
  } else {
    const http = new HTTPReceiver({
      signingSecret: config.signingSecret as string,
      endpoints: EVENTS_PATH,
      port: config.port,
      logger: boltLogger,
      customRoutes: [
        { path: '/healthz', method: ['GET'], handler: healthz(health) },
        { path: '/readyz', method: ['GET'], handler: readyz(health) },
        { path: '/metrics', method: ['GET'], handler: metrics.route },
        { path: '/livez', method: ['GET'], handler: livez },
        ...Object.entries(installRoutes).map(([path, handler]) => ({ path, method: ['GET'], handler })),
      ],
      dispatchErrorHandler: ({ error, request, response }) => {
        const deferredRoute =
          (error as { code?: string }).code === BoltErrorCode.HTTPReceiverDeferredRequestError;
        if (!deferredRoute)
          log.warn('request failed', { path: request.url?.slice(0, 100), ...errorFields(error) });
        if (!response.headersSent) {
          response.writeHead(deferredRoute ? 404 : 400);
          response.end();
        }
      },
      processEventErrorHandler: async ({ error, response }) => {
        const code = (error as { code?: string }).code;
        if (response.headersSent) {
          log.error('event processing failed after ack', errorFields(error));
          return false;
        }
        if (code === BoltErrorCode.AuthorizationError) {
          log.warn('authorization failed', errorFields(error));
          response.writeHead(401);
          response.end();
          return true;
        }
        if (error instanceof TypeError || error instanceof SyntaxError) {
          log.warn('malformed request', errorFields(error));
          response.writeHead(400);
          response.end();
          return true;
        }
        log.error('event processing failed', errorFields(error));
        response.writeHead(500);
        response.end();
        return false;
      },
    });
    http.requestListener = guardRequests(http.requestListener, {
      signingSecret: config.signingSecret as string,
      endpoint: EVENTS_PATH,
      bodyLimit: defaultBodyLimit,
      stopping: () => stopping,
      busy: () => inflight.size >= maxInFlight,
      onRejected: (status, reason) => log.warn('request rejected', { status, reason }),
    });
    // Ack latency: from a Slack request's arrival to its answer being sent, whatever the answer.
    const guarded = http.requestListener;
    http.requestListener = (req, res) => {
      if (req.method === 'POST') {
        const arrived = performance.now();
        res.once('finish', () => metrics.acked((performance.now() - arrived) / 1000));
      }
      return guarded(req, res);
    };
    receiver = http;
  }

  const singleAuthorize = async (): Promise<AuthorizeResult> => {
    const id = await within(identity.promise, 2_500, 'bot token not verified yet');
    return {
      botToken: botToken as string,
      botId: id.botId,
      botUserId: id.botUserId,
      ...(id.teamId ? { teamId: id.teamId } : {}),
    };
  };
  // Bolt hands it the request's team/enterprise from the event's `authorizations` (Slack Connect, Grid).
  const tokenAuthorize: (source: AuthorizeSourceData<boolean>) => Promise<AuthorizeResult> = installer
    ? (source) => installer.authorize(source as InstallationQuery<boolean>)
    : singleAuthorize;
  // The other lifecycle events (team_access_revoked) get what Bolt gives app_uninstalled: the ids, no
  // token. The request is still signed (checked by the receiver before this).
  const authorize = async (
    source: AuthorizeSourceData<boolean>,
    body?: AnyMiddlewareArgs['body'],
  ): Promise<AuthorizeResult> =>
    isInstallLifecycleEvent(body) && !isAuthorizedByBolt(body)
      ? {
          ...(source.teamId ? { teamId: source.teamId } : {}),
          ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}),
        }
      : tokenAuthorize(source);

  const app = new App({
    receiver,
    authorize,
    logger: boltLogger,
    clientOptions,
    extendedErrorHandler: true,
    convoStore: false,
  });

  app.error(
    async ({ error, body, context }: { error: Error; body?: unknown; context?: { teamId?: string } }) => {
      const b = (body ?? {}) as { type?: string; event?: { type?: string } };
      log.error('listener failed', {
        type: b.type,
        event: b.event?.type,
        team: context?.teamId,
        ...errorFields((error as { original?: unknown }).original ?? error),
      });
    },
  );

  // Replies in flight: shutdown waits for them.
  app.use(async ({ next }) => {
    const work = next();
    inflight.add(work);
    try {
      await work;
    } finally {
      inflight.delete(work);
    }
  });

  // The same event delivered again (HTTP retries, Socket Mode redelivery) is answered once.
  // `message` events are left to their listener, which claims the message itself (channel + ts)
  // before it answers anything: a redelivery is refused there, and the ordinary chat that makes up
  // most of a busy channel costs no store write at all.
  app.use(async ({ body, next, context }) => {
    const b = body as { type?: unknown; event_id?: unknown; event?: { type?: unknown } };
    // Bolt acked the event before this middleware (a workflow step's execution is acked by its listener).
    if (b.type === 'event_callback' && b.event?.type !== 'function_executed') await afterOtherAcks();
    if (b.type === 'event_callback' && typeof b.event_id === 'string' && b.event?.type !== 'message') {
      // Held, not final, until the listener's reply is done: a crash before then leaves it pending, and
      // a redelivery after its lease is answered. A listener that knows how its reply went settles it
      // (eventHold); otherwise it is answered here when the listener ends, released if it threw.
      let held: Hold | undefined;
      try {
        held = await claims.hold([{ key: dedupeKeys.event(b.event_id), ttlMs: settings.eventTtlMs }]);
      } catch (error) {
        // Better a second answer than none.
        log.warn('dedupe store failed; processing anyway', errorFields(error));
      }
      if (held?.won === 0) {
        log.info('duplicate event ignored', { eventId: b.event_id, retryNum: context.retryNum });
        return;
      }
      if (held) attachEventHold(context, held);
      try {
        await next();
      } catch (error) {
        await held?.release();
        throw error;
      }
      await held?.answered();
      return;
    }
    await next();
  });

  // The store keeps rows by workspace: which org-wide install a workspace is served through is recorded
  // too, so that uninstalling the org forgets them (app_uninstalled). After the listener, so no reply
  // waits for it; not for the uninstall events themselves, which forget the org.
  app.use(async ({ body, context, next }) => {
    try {
      await next();
    } finally {
      if (context.isEnterpriseInstall && !isInstallLifecycleEvent(body))
        await memory.noteEnterprise(context.teamId, context.enterpriseId);
    }
  });

  // One OCR worker per process, started by the first screenshot (not at start: it costs ~100 MB).
  const screenshots = new Screenshots({
    reader: new ScreenshotReader({ onError: (reason) => log.warn('screenshot reader failed', { reason }) }),
    knowledge: deps.knowledge,
    log,
    slackApiUrl: config.slackApiUrl,
  });
  const listenerDeps: ListenerDeps = {
    knowledge: deps.knowledge,
    log,
    screenshots,
    claims,
    memory,
    replies: new Replies({
      log,
      onFailure: (method, kind) => metrics.slackFailed(method, kind),
      onReplied: (method, seconds) => metrics.replied(method, seconds),
      ...(deps.respondBackoffMs !== undefined ? { respondBackoffMs: deps.respondBackoffMs } : {}),
    }),
    settings,
    ...(oauth ? { installs: oauth.installations } : {}),
  };
  registerListeners(app, listenerDeps);

  let server: Server | undefined;
  let healthServer: Server | undefined;

  const listen = (s: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, () => {
        s.off('error', reject);
        resolve((s.address() as AddressInfo).port);
      });
    });

  return {
    app,
    mode: config.mode,

    async start() {
      // Retention: a purge shortly after start, then hourly (one replica per hour).
      memory.startMaintenance();
      if (config.mode === 'http') {
        server = (await app.start(config.port, {
          // Node checks requestTimeout/headersTimeout only this often (30 s by default).
          connectionsCheckingInterval: 1_000,
        })) as Server;
        limitServer(server);
        const port = (server.address() as AddressInfo).port;
        log.info('listening', { mode: 'http', port, events: EVENTS_PATH });
        return { port };
      }
      healthServer = createServer(healthListener(health, { ...installRoutes, '/metrics': metrics.route }));
      limitServer(healthServer);
      const port = await listen(healthServer, config.port);
      await app.start();
      log.info('listening', { mode: 'socket', port });
      return { port };
    },

    async verifyToken() {
      if (!botToken) throw new Error('OAuth mode has no single bot token to verify');
      let res: { ok?: boolean; error?: string; bot_id?: string; user_id?: string; team_id?: string };
      try {
        res = await app.client.auth.test({ token: botToken });
      } catch (error) {
        const e = error as { code?: string; data?: { error?: string } };
        if (e.code === 'slack_webapi_platform_error')
          throw new TokenRejectedError(e.data?.error ?? 'unknown');
        throw error;
      }
      if (!res.ok || !res.user_id || !res.bot_id)
        throw new TokenRejectedError(res.error ?? 'not_a_bot_token');
      const id: Identity = { botId: res.bot_id, botUserId: res.user_id, teamId: res.team_id ?? null };
      if (!identity.settled) identity.resolve(id);
      log.info('bot token verified', { botUserId: id.botUserId, team: id.teamId });
      return id;
    },

    async stop(graceMs = SHUTDOWN_GRACE_MS) {
      stopping = true;
      memory.stopMaintenance();
      const closing: Array<Promise<unknown>> = [];
      if (server) {
        closing.push(app.stop().catch(() => undefined));
        server.closeIdleConnections();
      } else if (receiver instanceof SocketModeReceiver) {
        // Bolt's stop() does not wait for the WebSocket close handshake; the client's disconnect() does.
        reconnect?.stop();
        closing.push(receiver.client.disconnect().catch(() => undefined));
      }
      const deadline = Date.now() + graceMs;
      while (inflight.size > 0 && Date.now() < deadline) {
        await settleWithin([...inflight], Math.max(1, deadline - Date.now()));
      }
      const drained = inflight.size === 0;
      if (!drained) log.warn('shutdown: replies still in flight were abandoned', { count: inflight.size });
      // Abandoned replies keep their claims pending: once the lease lapses, a redelivery answers them.
      memory.stopRenewing();
      server?.closeAllConnections();
      if (healthServer) {
        const hs = healthServer;
        closing.push(new Promise<void>((resolve) => hs.close(() => resolve())));
        hs.closeAllConnections();
      }
      closing.push(screenshots.close());
      await settleWithin(closing, 2_000);
      return { drained };
    },

    inFlight: () => inflight.size,
  };
}
