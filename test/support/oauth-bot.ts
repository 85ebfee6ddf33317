/**
 * The real app in OAuth mode (SLACK_CLIENT_ID/SECRET/STATE_SECRET + TOKEN_ENCRYPTION_KEY) over HTTP on an
 * ephemeral port, with its installations in a real store (SQLite, or PostgreSQL for the replica tests)
 * and Slack's side of OAuth on the fake Web API (fake-oauth.ts). `install()` drives the browser's part of
 * the flow exactly: GET /slack/install → the state cookie and the authorize link → (Slack) → GET
 * /slack/oauth_redirect?code&state with the cookie.
 */
import { createApp, type TokenfixApp } from '../../src/app';
import type { Config } from '../../src/config';
import { createLog } from '../../src/log';
import { Installations } from '../../src/oauth/installation-store';
import { openStore, type Store } from '../../src/store';
import { knowledge, SIGNING_SECRET } from './bot';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type FakeInstall,
  FakeOAuth,
  STATE_SECRET,
  TOKEN_ENCRYPTION_KEY,
} from './fake-oauth';
import { FakeSlack } from './fake-slack';
import { encodeBody, type SignOptions, signedHeaders } from './sign';

export interface OAuthBotOptions {
  /** Share one fake Slack between replicas. */
  fake?: FakeSlack;
  oauth?: FakeOAuth;
  /** DATABASE_URL (default: a private in-memory SQLite store). */
  databaseUrl?: string;
  tokenEncryptionKey?: string;
  mode?: 'http' | 'socket';
  alertChannel?: string;
}

export interface Response {
  status: number;
  text: string;
  headers: Headers;
}

export interface OAuthBot {
  fake: FakeSlack;
  oauth: FakeOAuth;
  store: Store;
  installations: Installations;
  runtime: TokenfixApp;
  port: number;
  base: string;
  logs: string[];
  post(kind: 'event' | 'command' | 'interactive', payload: unknown, sign?: SignOptions): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** The whole browser side of an install; returns the redirect's answer. */
  install(install: FakeInstall): Promise<Response>;
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function oauthConfig(fake: FakeSlack, options: OAuthBotOptions = {}): Config {
  return {
    mode: options.mode ?? 'http',
    botToken: null,
    appToken: options.mode === 'socket' ? 'xapp-test-token' : null,
    signingSecret: SIGNING_SECRET,
    port: 0,
    slackApiUrl: fake.url,
    databaseUrl: options.databaseUrl ?? 'sqlite::memory:',
    logLevel: 'debug',
    knowledgePath: null,
    alertChannel: options.alertChannel ?? null,
    oauth: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      stateSecret: STATE_SECRET,
      tokenEncryptionKey: options.tokenEncryptionKey ?? TOKEN_ENCRYPTION_KEY,
    },
  };
}

async function send(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export const STATE_COOKIE = 'slack-app-oauth-state';

export async function startOAuthBot(options: OAuthBotOptions = {}): Promise<OAuthBot> {
  const fake = options.fake ?? (await FakeSlack.start());
  const oauth = options.oauth ?? new FakeOAuth(fake);
  const config = oauthConfig(fake, options);
  const logs: string[] = [];
  const log = createLog({ level: 'debug', sink: (line) => logs.push(line) });
  const store = await openStore(config.databaseUrl, { log });
  const installations = new Installations(
    store.installations,
    (config.oauth as { tokenEncryptionKey: string }).tokenEncryptionKey,
    log,
  );
  await installations.verifyKey();
  const runtime = createApp(config, {
    knowledge: knowledge(),
    log,
    installations,
    store,
    retryConfig: { retries: 2, factor: 1, minTimeout: 5, maxTimeout: 20 },
    callTimeoutMs: 2_000,
    respondBackoffMs: 10,
  });
  const { port } = await runtime.start();
  const base = `http://127.0.0.1:${port}`;

  const bot: OAuthBot = {
    fake,
    oauth,
    store,
    installations,
    runtime,
    port,
    base,
    logs,
    post(kind, payload, sign = {}) {
      const { body, type } = encodeBody(kind, payload);
      return send(`${base}/slack/events`, {
        method: 'POST',
        headers: signedHeaders(SIGNING_SECRET, body, type, sign),
        body,
      });
    },
    get(path, headers = {}) {
      return send(`${base}${path}`, { method: 'GET', headers });
    },
    async install(install) {
      const page = await bot.get('/slack/install');
      if (page.status !== 200) throw new Error(`install page answered ${page.status}`);
      const { state } = readInstallPage(page);
      const code = oauth.code(install);
      return bot.get(
        `/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
        {
          cookie: `${STATE_COOKIE}=${state}`,
        },
      );
    },
    async idle(timeoutMs = 4_000) {
      const until = Date.now() + timeoutMs;
      await new Promise((r) => setTimeout(r, 5));
      while (runtime.inFlight() > 0) {
        if (Date.now() > until) throw new Error('bot still busy');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      await runtime.stop(1_000);
      await store.close();
      if (!options.fake) await fake.close();
    },
  };
  return bot;
}

/** The authorize link on the install page and the state cookie set with it. */
export function readInstallPage(page: Response): { link: URL; state: string; cookie: string } {
  const href = /href="(https:\/\/slack\.com\/oauth\/v2\/authorize[^"]*)"/.exec(page.text)?.[1];
  if (!href) throw new Error('no authorize link on the install page');
  const link = new URL(href.replace(/&amp;/g, '&'));
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith(`${STATE_COOKIE}=`)) ?? '';
  const state = /^[^=]+=([^;]*)/.exec(cookie)?.[1] ?? '';
  return { link, state, cookie };
}

/** An Events API envelope as Slack sends it to an installed app: `authorizations` name the install. */
export function eventFor(
  auth: {
    teamId: string | null;
    enterpriseId?: string | null;
    isEnterpriseInstall?: boolean;
    botUserId: string;
  },
  event: Record<string, unknown>,
  top: { teamId?: string; eventId?: string; shared?: boolean } = {},
): Record<string, unknown> {
  const ts = (event.ts as string | undefined) ?? `${Math.floor(Date.now() / 1000)}.000100`;
  return {
    token: 'verification-token',
    team_id: top.teamId ?? auth.teamId ?? auth.enterpriseId,
    ...(auth.enterpriseId ? { enterprise_id: auth.enterpriseId } : {}),
    api_app_id: 'A0TOKENFIX',
    event: { event_ts: ts, ...event },
    type: 'event_callback',
    event_id: top.eventId ?? `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: auth.enterpriseId ?? null,
        team_id: auth.teamId,
        user_id: auth.botUserId,
        is_bot: true,
        is_enterprise_install: auth.isEnterpriseInstall === true,
      },
    ],
    is_ext_shared_channel: top.shared === true,
    event_context: '4-eyJldCI6Im1lc3NhZ2UifQ',
  };
}
