#!/usr/bin/env node
/**
 * `npm start`: config (environment + .env) → knowledge → app → listen → auth.test → ready.
 * Problems at start are one line on stderr and a non-zero exit, never a stack trace.
 * SIGTERM/SIGINT: stop taking requests, finish replies in flight (up to SHUTDOWN_GRACE_MS, 8 s), exit 0.
 */
import { config as loadDotenv } from 'dotenv';
import type { TokenfixApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';
import { createLog, errorFields, type Log } from './log';

// Bolt and the knowledge base load only once the configuration is known to be usable, so a
// configuration problem is reported at once.
type AppModule = typeof import('./app');
type KnowledgeModule = typeof import('./diagnosis/knowledge');

function fatal(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

function startupProblem(error: unknown, config: Config, app: AppModule): string {
  const e = error as { code?: string; data?: { error?: string }; message?: string; port?: number };
  if (error instanceof app.TokenRejectedError) {
    return `tokenfix: Slack rejected SLACK_BOT_TOKEN (${error.code}): copy the Bot User OAuth Token (xoxb-…) again from api.slack.com/apps → your app → OAuth & Permissions, and reinstall the app if it was removed`;
  }
  if (e.code === 'EADDRINUSE')
    return `tokenfix: PORT ${config.port} is already in use: stop the other program or set PORT`;
  if (e.code === 'EACCES')
    return `tokenfix: PORT ${config.port} needs more privileges: use a port above 1023`;
  if (e.code === 'slack_webapi_platform_error' && config.mode === 'socket') {
    return `tokenfix: Slack rejected SLACK_APP_TOKEN (${e.data?.error ?? 'error'}): create an app-level token with the connections:write scope (api.slack.com/apps → your app → Basic Information → App-Level Tokens) and turn Socket Mode on`;
  }
  if (e.code === 'slack_webapi_request_error' || e.code === 'slack_webapi_http_error') {
    return `tokenfix: could not reach the Slack API at ${config.slackApiUrl} (${(e.message ?? '').split('\n')[0]}): check SLACK_API_URL and the network`;
  }
  return `tokenfix: could not start: ${(e.message ?? String(error)).split('\n')[0]}`;
}

function installProcessHandlers(log: Log, runtime: TokenfixApp, graceMs: number): void {
  // A rejected promise somewhere is logged; it never takes the bot down.
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', errorFields(reason)));
  process.on('uncaughtException', (error) => {
    log.error('uncaught exception; exiting', errorFields(error));
    process.exit(1);
  });
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down', { signal, inFlight: runtime.inFlight(), graceMs });
    // A hard bound whatever happens below.
    setTimeout(() => process.exit(0), graceMs + 2_000).unref();
    runtime.stop(graceMs).then(
      ({ drained }) => {
        log.info('stopped', { drained });
        process.exit(0);
      },
      (error) => {
        log.error('shutdown failed', errorFields(error));
        process.exit(0);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fatal(error.message);
    throw error;
  }
  if (config.oauth && !config.botToken) {
    fatal(
      'tokenfix: OAuth installs for many workspaces (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET) are not served by this version yet: set SLACK_BOT_TOKEN for one workspace instead',
    );
  }
  const { KnowledgeError, loadKnowledge } = require('./diagnosis/knowledge') as KnowledgeModule;
  let knowledge: ReturnType<KnowledgeModule['loadKnowledge']>;
  try {
    knowledge = loadKnowledge(config.knowledgePath ? { overlayPath: config.knowledgePath } : {});
  } catch (error) {
    if (error instanceof KnowledgeError) {
      fatal(`tokenfix: ${config.knowledgePath ? 'KNOWLEDGE_PATH: ' : ''}invalid knowledge: ${error.message}`);
    }
    throw error;
  }
  const app = require('./app') as AppModule;
  const log = createLog({ level: config.logLevel });
  const runtime = app.createApp(config, { knowledge, log });
  installProcessHandlers(log, runtime, app.SHUTDOWN_GRACE_MS);
  try {
    await runtime.start();
    await runtime.verifyToken();
  } catch (error) {
    const line = startupProblem(error, config, app);
    await runtime.stop(0).catch(() => undefined);
    fatal(line);
  }
  log.info('ready', { mode: config.mode });
}

main().catch((error) =>
  fatal(`tokenfix: could not start: ${(error as Error)?.message?.split('\n')[0] ?? error}`),
);
