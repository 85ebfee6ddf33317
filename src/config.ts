/**
 * The environment (and `.env`, loaded by index.ts) as a typed Config. Every problem is one line that
 * names the variable and says where to get its value; an environment with no Slack credentials at all
 * gets a short set-up guide instead.
 */
import { type Level, LOG_LEVELS } from './log';
import { parseKeys } from './oauth/crypto';

export type Mode = 'socket' | 'http';

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** One key, or several comma-separated: the first seals, all open (key rotation). */
  tokenEncryptionKey: string;
}

export interface Config {
  /** Socket Mode when SLACK_APP_TOKEN is set, HTTP otherwise. */
  mode: Mode;
  botToken: string | null;
  appToken: string | null;
  signingSecret: string | null;
  port: number;
  /** Always ends in `/`. */
  slackApiUrl: string;
  databaseUrl: string;
  logLevel: Level;
  knowledgePath: string | null;
  alertChannel: string | null;
  /** All three OAuth variables set: installs for many workspaces (src/oauth/). */
  oauth: OAuthConfig | null;
}

/** A configuration problem: `message` is what to print, as is. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** The variable at fault, or null for the empty-environment guide. */
    readonly variable: string | null,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const WHERE = {
  SLACK_BOT_TOKEN: 'api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token (xoxb-…)',
  SLACK_APP_TOKEN:
    'api.slack.com/apps → your app → Basic Information → App-Level Tokens, with the connections:write scope (xapp-…)',
  SLACK_SIGNING_SECRET:
    'api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret',
  SLACK_CLIENT_ID: 'api.slack.com/apps → your app → Basic Information → App Credentials → Client ID',
  SLACK_CLIENT_SECRET: 'api.slack.com/apps → your app → Basic Information → App Credentials → Client Secret',
  SLACK_STATE_SECRET: 'any long random string you choose, e.g. `openssl rand -hex 32`',
  TOKEN_ENCRYPTION_KEY: '32 random bytes, base64: `openssl rand -base64 32`',
} as const;

export const SETUP_GUIDE = [
  'tokenfix: no Slack credentials found (SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET are all unset).',
  'To run the bot:',
  '  1. Create the Slack app from the manifest: https://api.slack.com/apps?new_app=1 → "From a manifest" → paste manifest.yml from this repository.',
  '  2. Install it to your workspace, then create an app-level token with the connections:write scope (Basic Information → App-Level Tokens).',
  '  3. cp .env.example .env and fill in SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…), then run npm start again.',
  'To try the diagnosis offline, without Slack: npm run diagnose -- "Error validating access token: Session has expired"',
].join('\n');

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | null {
  const v = env[name];
  if (v === undefined) return null;
  const trimmed = v.trim();
  return trimmed === '' ? null : trimmed;
}

function fail(name: keyof typeof WHERE | string, problem: string): never {
  const where = (WHERE as Record<string, string>)[name];
  throw new ConfigError(`tokenfix: ${name} ${problem}${where ? ` (get it from ${where})` : ''}`, name);
}

function token(env: Env, name: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN', prefix: string): string | null {
  const v = value(env, name);
  if (v === null) return null;
  if (!v.startsWith(prefix) || /\s/.test(v)) fail(name, `must be a token starting with ${prefix}`);
  return v;
}

function port(env: Env): number {
  const raw = value(env, 'PORT');
  if (raw === null) return 3000;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(n) || n > 65535) {
    throw new ConfigError(`tokenfix: PORT must be a port number from 0 to 65535 (got "${raw}")`, 'PORT');
  }
  return n;
}

function apiUrl(env: Env): string {
  const raw = value(env, 'SLACK_API_URL');
  if (raw === null) return 'https://slack.com/api/';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `tokenfix: SLACK_API_URL must be an http(s) URL ending in /, like https://slack.com/api/ (got "${raw}")`,
      'SLACK_API_URL',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(
      `tokenfix: SLACK_API_URL must be an http(s) URL ending in /, like https://slack.com/api/ (got "${raw}")`,
      'SLACK_API_URL',
    );
  }
  return raw.endsWith('/') ? raw : `${raw}/`;
}

function databaseUrl(env: Env): string {
  const raw = value(env, 'DATABASE_URL');
  if (raw === null) return 'sqlite:./data/tokenfix.db';
  if (/^sqlite:.+/.test(raw) || /^postgres(ql)?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError(
    'tokenfix: DATABASE_URL must be sqlite:PATH (e.g. sqlite:./data/tokenfix.db) or postgres://user:password@host/db',
    'DATABASE_URL',
  );
}

function logLevel(env: Env): Level {
  const raw = value(env, 'LOG_LEVEL');
  if (raw === null) return 'info';
  const lower = raw.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(lower)) return lower as Level;
  throw new ConfigError(
    `tokenfix: LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`,
    'LOG_LEVEL',
  );
}

function alertChannel(env: Env): string | null {
  const raw = value(env, 'ALERT_CHANNEL');
  if (raw === null) return null;
  if (/^[CG][A-Z0-9]{2,}$/.test(raw)) return raw;
  throw new ConfigError(
    'tokenfix: ALERT_CHANNEL must be a channel id like C0123456789 (in Slack: channel name → About → Channel ID at the bottom)',
    'ALERT_CHANNEL',
  );
}

function oauth(env: Env): OAuthConfig | null {
  const names = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  const present = names.filter((n) => value(env, n) !== null);
  if (present.length === 0) return null;
  const missing = names.find((n) => value(env, n) === null);
  if (missing) fail(missing, `is missing: OAuth installs need ${names.join(', ')} all set`);
  const key = value(env, 'TOKEN_ENCRYPTION_KEY');
  if (key === null)
    fail('TOKEN_ENCRYPTION_KEY', 'is missing: it is required when the OAuth variables are set');
  // One key, or several comma-separated for rotation (the new one first): src/oauth/crypto.ts.
  try {
    parseKeys(key);
  } catch (error) {
    throw new ConfigError(
      `${(error as Error).message} (get it from ${WHERE.TOKEN_ENCRYPTION_KEY})`,
      'TOKEN_ENCRYPTION_KEY',
    );
  }
  return {
    clientId: value(env, 'SLACK_CLIENT_ID') as string,
    clientSecret: value(env, 'SLACK_CLIENT_SECRET') as string,
    stateSecret: value(env, 'SLACK_STATE_SECRET') as string,
    tokenEncryptionKey: key,
  };
}

/** Reads and checks the environment. Throws ConfigError (one line, or the set-up guide) on any problem. */
export function loadConfig(env: Env = process.env): Config {
  const slackNames = [
    'SLACK_BOT_TOKEN',
    'SLACK_APP_TOKEN',
    'SLACK_SIGNING_SECRET',
    'SLACK_CLIENT_ID',
    'SLACK_CLIENT_SECRET',
    'SLACK_STATE_SECRET',
  ];
  if (slackNames.every((n) => value(env, n) === null)) throw new ConfigError(SETUP_GUIDE, null);

  const botToken = token(env, 'SLACK_BOT_TOKEN', 'xoxb-');
  const appToken = token(env, 'SLACK_APP_TOKEN', 'xapp-');
  const signingSecret = value(env, 'SLACK_SIGNING_SECRET');
  if (signingSecret !== null && /\s/.test(signingSecret))
    fail('SLACK_SIGNING_SECRET', 'must not contain spaces');
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'];
  // Both ways at once is the first thing to say, before any detail of the OAuth variables.
  if (botToken && oauthNames.every((n) => value(env, n) !== null)) {
    throw new ConfigError(
      'tokenfix: SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET are both set: use SLACK_BOT_TOKEN for one workspace or the OAuth variables for many, not both',
      'SLACK_BOT_TOKEN',
    );
  }
  const oauthConfig = oauth(env);
  if (!botToken && !oauthConfig) fail('SLACK_BOT_TOKEN', 'is missing');
  const mode: Mode = appToken ? 'socket' : 'http';
  if (mode === 'http' && signingSecret === null) {
    fail(
      'SLACK_SIGNING_SECRET',
      'is missing: HTTP mode (no SLACK_APP_TOKEN) needs it to check that requests come from Slack',
    );
  }
  return {
    mode,
    botToken,
    appToken,
    signingSecret,
    port: port(env),
    slackApiUrl: apiUrl(env),
    databaseUrl: databaseUrl(env),
    logLevel: logLevel(env),
    knowledgePath: value(env, 'KNOWLEDGE_PATH'),
    alertChannel: alertChannel(env),
    oauth: oauthConfig,
  };
}
