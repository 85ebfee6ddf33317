#!/usr/bin/env node
/**
 * `npm start`: config (environment + .env) → knowledge → store (DATABASE_URL) → [OAuth mode: installations,
 * TOKEN_ENCRYPTION_KEY checked] → app → listen → auth.test (one bot token) → ready. Problems at start are one line on stderr and a non-zero exit, never a stack trace. A
 * PostgreSQL server that can't be reached yet is not one: the bot starts without it (/healthz 503) and
 * connects when it can.
 * SIGTERM/SIGINT: stop taking requests, finish replies in flight (up to SHUTDOWN_GRACE_MS, 8 s), close
 * the store, exit 0.
 */
import { config as loadDotenv } from 'dotenv';
import type { TokenfixApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';
import { createLog, errorFields, type Log } from './log';

// Bolt and the knowledge base load only once the configuration is known to be usable, so a
// configuration problem is reported at once.
type AppModule = typeof import('./app');
type KnowledgeModule = typeof import('./diagnosis/knowledge');
type StoreModule = typeof import('./store');
type LaterModule = typeof import('./store/later');
type Store = import('./store').Store;

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

/** Opens DATABASE_URL; an unreachable PostgreSQL is retried in the background instead of stopping start-up. */
async function openStoreAtStart(config: Config, log: Log): Promise<Store> {
  const { openStore, StoreConfigError } = require('./store') as StoreModule;
  const storeLog = log.child({ source: 'store' });
  try {
    return await openStore(config.databaseUrl, { log: storeLog });
  } catch (error) {
    const { isConnectionProblem, StoreWhenReachable } = require('./store/later') as LaterModule;
    const postgres =
      error instanceof StoreConfigError && /^postgres(ql)?:\/\//i.test(config.databaseUrl.trim());
    if (postgres && isConnectionProblem(error)) {
      storeLog.warn('store unreachable at start; starting without it and retrying', {
        message: error.message.slice(0, 300),
      });
      return new StoreWhenReachable({
        engine: 'postgres',
        open: () => openStore(config.databaseUrl, { log: storeLog }),
        log: storeLog,
      });
    }
    if (error instanceof StoreConfigError) fatal(error.message);
    throw error;
  }
}

/** OAuth mode's installation store, after checking TOKEN_ENCRYPTION_KEY against the store. */
async function openInstallations(
  config: Config,
  store: Store,
  log: Log,
  closeStore: () => Promise<void>,
): Promise<import('./oauth/installation-store').Installations> {
  const { Installations } =
    require('./oauth/installation-store') as typeof import('./oauth/installation-store');
  const { TokenKeyError } = require('./oauth/crypto') as typeof import('./oauth/crypto');
  const oauth = config.oauth as NonNullable<Config['oauth']>;
  const installations = new Installations(
    store.installations,
    oauth.tokenEncryptionKey,
    log.child({ source: 'oauth' }),
  );
  try {
    await installations.verifyKey();
  } catch (error) {
    if (error instanceof TokenKeyError) {
      await closeStore().catch(() => undefined);
      fatal(error.message);
    }
    // The store is not reachable yet: the key is checked on every installation read instead.
    log.warn('could not check TOKEN_ENCRYPTION_KEY against the store yet', errorFields(error));
  }
  return installations;
}

function installProcessHandlers(
  log: Log,
  runtime: TokenfixApp,
  graceMs: number,
  closeStore: () => Promise<void>,
): void {
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
      async ({ drained }) => {
        // After the replies in flight: they may still record what they did.
        await closeStore().catch((error) => log.warn('closing the store failed', errorFields(error)));
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
  // When the learned model answers asks or passive listening, read it now, so a damaged file stops the
  // start, not a message.
  try {
    const asked = require('./diagnosis/asked') as typeof import('./diagnosis/asked');
    asked.modelForAsks(knowledge);
    asked.modelForPassive(knowledge);
  } catch (error) {
    fatal(`tokenfix: knowledge/model.json can't be read: ${(error as Error).message}`);
  }
  const log = createLog({ level: config.logLevel });
  const store = await openStoreAtStart(config, log);
  const closeStore = () => store.close();
  // OAuth mode: installations in the store, sealed with TOKEN_ENCRYPTION_KEY (a wrong key stops here).
  const installations = config.oauth ? await openInstallations(config, store, log, closeStore) : undefined;
  const app = require('./app') as AppModule;
  const runtime = app.createApp(config, {
    knowledge,
    log,
    store,
    ...(installations ? { installations } : {}),
  });
  installProcessHandlers(log, runtime, app.SHUTDOWN_GRACE_MS, closeStore);
  try {
    await runtime.start();
    // One bot token: checked now. OAuth mode: each installation's token is used (and refreshed) per request.
    if (!config.oauth) await runtime.verifyToken();
  } catch (error) {
    const line = startupProblem(error, config, app);
    await runtime.stop(0).catch(() => undefined);
    await closeStore().catch(() => undefined);
    fatal(line);
  }
  // How it will answer, from the knowledge as loaded (an overlay may change it): one line to check.
  const { refusalCheck, modelAnswersAsks, modelAnswersPassive, passiveMinConfidence } = knowledge.settings;
  log.info('ready', {
    mode: config.mode,
    refusalCheck,
    modelAnswersAsks,
    modelAnswersPassive,
    passiveMinConfidence,
  });
}

main().catch((error) =>
  fatal(`tokenfix: could not start: ${(error as Error)?.message?.split('\n')[0] ?? error}`),
);
