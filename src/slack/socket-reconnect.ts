/**
 * Socket Mode reconnects that fail. @slack/socket-mode 3.1 reconnects after a close (Slack's
 * `disconnect` message, a dropped socket, a missed pong) by calling its own start() from a timer and
 * never handling that promise: when apps.connections.open fails for good (an HTTP error once the Web
 * API client's retries are spent, or invalid_auth and the other codes it deems unrecoverable) the
 * rejection goes unhandled and no further attempt is made, so the process lives on disconnected for
 * ever (3.2's changelog still has a reconnect that fails for good reject, so an upgrade alone would not
 * do; test/slack/socket-reconnect.test.ts tells if a new version changes how it restarts). Here every start() after the first one is wrapped: a failure is logged once per distinct
 * problem, shown by /healthz and /readyz, and tried again with a capped exponential backoff. The first
 * start() is left alone: at start a rejected app token stops the program with one line (index.ts).
 */
import { errorFields, type Log } from '../log';

/** The codes @slack/socket-mode gives up on at once (its UnrecoverableSocketModeStartError). */
const TOKEN_REJECTED: ReadonlySet<string> = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'user_removed_from_team',
  'team_disabled',
]);

export const SOCKET_RETRY_MS = 5_000;
/** apps.connections.open is rate limited (Tier 1): never try more often than once a minute for long. */
export const SOCKET_RETRY_MAX_MS = 60_000;

/** The part of SocketModeClient this needs. */
export interface RestartableClient {
  start(): Promise<unknown>;
  disconnect(): Promise<unknown>;
}

export interface SocketReconnect {
  /** Why the last reconnect failed, while it has not succeeded since; null otherwise. */
  problem(): string | null;
  /** No more attempts (call before the client's disconnect() on shutdown). */
  stop(): void;
}

/** One line naming what failed, from codes only (never a response body). */
export function describeReconnectFailure(error: unknown): string {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number };
  const slackError = e.data?.error;
  if (e.code === 'slack_webapi_platform_error' && slackError && TOKEN_REJECTED.has(slackError))
    return `socket mode: Slack rejected SLACK_APP_TOKEN (${slackError})`;
  if (slackError) return `socket mode: apps.connections.open failed (${slackError})`;
  if (typeof e.statusCode === 'number')
    return `socket mode: apps.connections.open failed (HTTP ${e.statusCode})`;
  return `socket mode: reconnect failed (${e.code ?? 'network error'})`;
}

export function keepReconnecting(
  client: RestartableClient,
  log: Log,
  firstDelayMs = SOCKET_RETRY_MS,
  maxDelayMs = SOCKET_RETRY_MAX_MS,
): SocketReconnect {
  const start = client.start.bind(client);
  let calls = 0;
  let failures = 0;
  let stopped = false;
  let problem: string | null = null;
  let timer: NodeJS.Timeout | undefined;

  const attempt = async (): Promise<void> => {
    try {
      await start();
      // Stopped while apps.connections.open was answering: start() went on and connected after the
      // shutdown's disconnect(), so close that connection too (Slack would send events to it).
      if (stopped) {
        await client.disconnect();
        return;
      }
      if (problem) log.info('socket mode: connected again', { failedAttempts: failures });
      failures = 0;
      problem = null;
    } catch (error) {
      if (stopped) return;
      failures += 1;
      const retryInMs = Math.min(maxDelayMs, firstDelayMs * 2 ** (failures - 1));
      const now = describeReconnectFailure(error);
      if (now !== problem) {
        const hint = now.includes('SLACK_APP_TOKEN')
          ? ': check the app-level token (api.slack.com/apps → your app → Basic Information → App-Level Tokens, scope connections:write) and that Socket Mode is on'
          : '';
        log.error(`${now}${hint}; trying again with backoff`, { retryInMs, ...errorFields(error) });
      }
      problem = now;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        if (!stopped) void client.start();
      }, retryInMs);
    }
  };

  // The client's reconnect timer calls client.start(), so the wrapper goes on the instance.
  client.start = async () => {
    calls += 1;
    if (calls === 1) return start();
    if (!stopped) await attempt();
    return undefined;
  };

  return {
    problem: () => problem,
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
