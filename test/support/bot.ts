/**
 * Starts the real app in HTTP mode on an ephemeral port against a fresh fake Slack, and sends it
 * correctly signed requests. Logs are captured (tests check that pasted text never reaches them).
 */

import type { RetryOptions } from '@slack/web-api';
import { createApp, type Identity, type TokenfixApp } from '../../src/app';
import type { Config } from '../../src/config';
import { type Knowledge, loadKnowledge } from '../../src/diagnosis/knowledge';
import { createLog } from '../../src/log';
import type { Claims } from '../../src/slack/dedupe';
import type { Store } from '../../src/store/store';
import { APP_TOKEN, BOT_TOKEN, FAKE_IDENTITY, FakeSlack } from './fake-slack';
import { encodeBody, type SignOptions, signedHeaders } from './sign';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';
export const IDENTITY: Identity = {
  botId: FAKE_IDENTITY.bot_id,
  botUserId: FAKE_IDENTITY.user_id,
  teamId: FAKE_IDENTITY.team_id,
};

let sharedKnowledge: Knowledge | undefined;
export function knowledge(): Knowledge {
  sharedKnowledge ??= loadKnowledge();
  return sharedKnowledge;
}

/** The built-in knowledge with some settings changed. */
export function withSettings(extra: Partial<Knowledge['settings']>): Knowledge {
  const k = knowledge();
  return { ...k, settings: { ...k.settings, ...extra } };
}

/**
 * For tests about delivery (exactly once, replicas) that send more token errors to one channel in a
 * minute than the passive reply cap allows: the cap is tested on its own (test/slack/loops.test.ts).
 */
export const UNCAPPED = { passiveRepliesPerMinute: 600 } as const;

export interface BotOptions {
  knowledge?: Knowledge;
  claims?: Claims;
  /** null: unknown until verifyToken() (as in production). */
  identity?: Identity | null;
  mode?: 'http' | 'socket';
  /** The store (opened and closed by the test); absent: none, as before the store existed. */
  store?: Store | null;
  /** Several replicas share one fake Slack; the bot then leaves it open on close(). */
  fake?: FakeSlack;
  /** ALERT_CHANNEL. */
  alertChannel?: string | null;
  storeTimeoutMs?: number;
  /** Production-like policies for fault tests (default: fast test retries). */
  retryConfig?: RetryOptions;
  callTimeoutMs?: number;
  /** How long a Slack call may wait out 429s (default: the app's two minutes). */
  rateLimitBudgetMs?: number;
  respondBackoffMs?: number;
  /** The bound on requests answered at once (default: the app's MAX_IN_FLIGHT). */
  maxInFlight?: number;
  /** Socket Mode: the first wait after a failed reconnect (default: the app's). */
  socketRetryMs?: number;
}

export interface TestBot {
  fake: FakeSlack;
  runtime: TokenfixApp;
  port: number;
  base: string;
  logs: string[];
  post(
    kind: 'event' | 'command' | 'interactive',
    payload: unknown,
    sign?: SignOptions,
    /** Extra headers (e.g. Slack's x-slack-retry-num on a redelivery). */
    headers?: Record<string, string>,
  ): Promise<{ status: number; text: string }>;
  postRaw(body: string, headers: Record<string, string>): Promise<{ status: number; text: string }>;
  get(path: string): Promise<{ status: number; text: string }>;
  /** Waits until no listener work is in flight. */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function testConfig(fake: FakeSlack, mode: 'http' | 'socket' = 'http'): Config {
  return {
    mode,
    botToken: BOT_TOKEN,
    appToken: mode === 'socket' ? APP_TOKEN : null,
    signingSecret: SIGNING_SECRET,
    port: 0,
    slackApiUrl: fake.url,
    databaseUrl: 'sqlite::memory:',
    logLevel: 'debug',
    knowledgePath: null,
    alertChannel: null,
    oauth: null,
  };
}

export async function startBot(options: BotOptions = {}): Promise<TestBot> {
  const ownFake = !options.fake;
  const fake = options.fake ?? (await FakeSlack.start());
  const logs: string[] = [];
  const log = createLog({ level: 'debug', sink: (line) => logs.push(line) });
  const runtime = createApp(
    { ...testConfig(fake, options.mode ?? 'http'), alertChannel: options.alertChannel ?? null },
    {
      knowledge: options.knowledge ?? knowledge(),
      log,
      ...(options.store ? { store: options.store } : {}),
      ...(options.storeTimeoutMs !== undefined ? { storeTimeoutMs: options.storeTimeoutMs } : {}),
      ...(options.claims ? { claims: options.claims } : {}),
      ...(options.identity === null ? {} : { identity: options.identity ?? IDENTITY }),
      retryConfig: options.retryConfig ?? { retries: 2, factor: 1, minTimeout: 5, maxTimeout: 20 },
      callTimeoutMs: options.callTimeoutMs ?? 2_000,
      ...(options.rateLimitBudgetMs !== undefined ? { rateLimitBudgetMs: options.rateLimitBudgetMs } : {}),
      respondBackoffMs: options.respondBackoffMs ?? 10,
      ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
      ...(options.socketRetryMs !== undefined ? { socketRetryMs: options.socketRetryMs } : {}),
    },
  );
  const { port } = await runtime.start();
  const base = `http://127.0.0.1:${port}`;
  // fetch reuses keep-alive connections, and one the server is closing after its idle timeout (Node's
  // 5 s) is reset as the next request goes out: seen under CI load after a long bot.idle(). Such a
  // request never reached the bot, so it is sent once more; any other failure, or a second reset, fails.
  const send = async (url: string, init: RequestInit) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(url, init);
        return { status: res.status, text: await res.text() };
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        if (attempt > 0 || code !== 'ECONNRESET') throw error;
      }
    }
  };
  const bot: TestBot = {
    fake,
    runtime,
    port,
    base,
    logs,
    post(kind, payload, sign = {}, headers = {}) {
      const { body, type } = encodeBody(kind, payload);
      return send(`${base}/slack/events`, {
        method: 'POST',
        headers: { ...signedHeaders(SIGNING_SECRET, body, type, sign), ...headers },
        body,
      });
    },
    postRaw(body, headers) {
      return send(`${base}/slack/events`, { method: 'POST', headers, body });
    },
    get(path) {
      return send(`${base}${path}`, { method: 'GET' });
    },
    async idle(timeoutMs = 4_000) {
      const until = Date.now() + timeoutMs;
      // Let work that the last request started register first.
      await new Promise((r) => setTimeout(r, 5));
      while (runtime.inFlight() > 0) {
        if (Date.now() > until) throw new Error('bot still busy');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      await runtime.stop(1_000);
      if (ownFake) await fake.close();
    },
  };
  return bot;
}
