/**
 * OAuth installs for many workspaces (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET): Slack's
 * own InstallProvider (@slack/oauth, what Bolt's receivers build) serving
 * - GET /slack/install: a page with the "Add to Slack" link; the OAuth state (a JWT signed with the
 *   state secret, valid 10 minutes) goes both in the link and in a cookie;
 * - GET /slack/oauth_redirect: checks that state against the cookie, exchanges the code with
 *   oauth.v2.access (at SLACK_API_URL), and keeps the installation in the store;
 * and `authorize` for every incoming request: the installation for the request's workspace or org
 * (from the event's `authorizations`, not its top-level team), with expiring bot tokens (token rotation)
 * refreshed through oauth.v2.access before use and saved back.
 *
 * Built here rather than by Bolt's receivers so HTTP mode and Socket Mode share one installer (routes on
 * the HTTP server in one, on the /healthz server in the other) and so its Web API calls carry the
 * app's clientOptions (SLACK_API_URL, retries, timeout, logger).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  type AuthorizeResult,
  type CallbackOptions,
  type CodedError,
  type InstallationQuery,
  InstallProvider,
  ErrorCode as OAuthErrorCode,
} from '@slack/oauth';
import type { WebClientOptions } from '@slack/web-api';
import { parse } from 'yaml';
import type { OAuthConfig } from '../config';
import { errorFields, type Log, libraryLogger } from '../log';
import type { Installations } from './installation-store';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** manifest.yml is the one list of bot scopes: the install link asks for exactly what the app declares. */
export const MANIFEST_PATH = join(__dirname, '..', '..', 'manifest.yml');

export function manifestBotScopes(path = MANIFEST_PATH): string[] {
  let scopes: unknown;
  try {
    const manifest = parse(readFileSync(path, 'utf8')) as { oauth_config?: { scopes?: { bot?: unknown } } };
    scopes = manifest?.oauth_config?.scopes?.bot;
  } catch (error) {
    throw new Error(`cannot read the bot scopes from ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => typeof s === 'string')) {
    throw new Error(`${path} lists no oauth_config.scopes.bot`);
  }
  return scopes as string[];
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Installer {
  provider: InstallProvider;
  /**
   * Bolt's authorize: the installation for the request's workspace or org, its bot token refreshed
   * first when it expires within two hours. Concurrent requests for one install share one lookup, so a
   * burst of events near expiry refreshes the token once (per replica), not once per event.
   */
  authorize(source: InstallationQuery<boolean>): Promise<AuthorizeResult>;
  scopes: string[];
  /** GET routes: INSTALL_PATH and REDIRECT_PATH. */
  routes: Record<string, RouteHandler>;
}

export interface InstallerOptions {
  oauth: OAuthConfig;
  installations: Installations;
  /** The app's Web API options: oauth.v2.access and auth.test go to SLACK_API_URL with them. */
  clientOptions: Omit<WebClientOptions, 'logger' | 'logLevel'>;
  log: Log;
  scopes?: string[];
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body style="font-family:sans-serif;max-width:36em;margin:3em auto"><h1>${title}</h1><p>${body}</p></body></html>`,
  );
}

/** OAuth errors a browser can cause (cancelled, stale or forged state, no code): the person's problem, 400. */
const BROWSER_ERRORS: ReadonlySet<string> = new Set([
  OAuthErrorCode.AuthorizationError,
  OAuthErrorCode.MissingCodeError,
  OAuthErrorCode.MissingStateError,
  OAuthErrorCode.InvalidStateError,
]);

export function createInstaller(options: InstallerOptions): Installer {
  const { oauth, installations, log } = options;
  const scopes = options.scopes ?? manifestBotScopes();
  const provider = new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: installations,
    installUrlOptions: { scopes },
    logger: libraryLogger(log, 'oauth'),
    clientOptions: options.clientOptions,
  });

  const callbacks: CallbackOptions = {
    success: (installation, _options, _req, res) => {
      log.info('installed', {
        team: installation.team?.id,
        enterprise: installation.enterprise?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall === true,
        tokenRotation: installation.bot?.expiresAt !== undefined,
      });
      page(
        res,
        200,
        'tokenfix is installed',
        'Invite it where it should listen with <code>/invite @tokenfix</code>, or try <code>/tokenfix help</code>. You can close this page.',
      );
    },
    failure: (error: CodedError, _options, _req, res) => {
      const mine = BROWSER_ERRORS.has(error.code);
      log.warn('install failed', { ...errorFields(error), code: error.code });
      page(
        res,
        mine ? 400 : 500,
        'tokenfix was not installed',
        mine
          ? `The install link was used in another browser, expired, or was cancelled. <a href="${INSTALL_PATH}">Start again</a>.`
          : `Slack did not complete the install. <a href="${INSTALL_PATH}">Try again</a> in a minute.`,
      );
    },
  };

  const routes: Record<string, RouteHandler> = {
    [INSTALL_PATH]: (req, res) => {
      provider.handleInstallPath(req, res).catch((error: unknown) => {
        log.error('install page failed', errorFields(error));
        page(res, 500, 'tokenfix', 'The install page is not available right now.');
      });
    },
    [REDIRECT_PATH]: (req, res) => {
      provider.handleCallback(req, res, callbacks).catch((error: unknown) => {
        log.error('install redirect failed', errorFields(error));
        page(res, 500, 'tokenfix was not installed', 'Something went wrong; try again in a minute.');
      });
    },
  };
  return { provider, authorize: coalesce((source) => provider.authorize(source)), scopes, routes };
}

/** One call in flight per install; every caller gets its own copy (Bolt adds to the result it is given). */
export function coalesce(
  authorize: (source: InstallationQuery<boolean>) => Promise<AuthorizeResult>,
): (source: InstallationQuery<boolean>) => Promise<AuthorizeResult> {
  const inflight = new Map<string, Promise<AuthorizeResult>>();
  return async (source) => {
    const key = [source.isEnterpriseInstall ? 'E' : 'T', source.enterpriseId ?? '', source.teamId ?? ''].join(
      ':',
    );
    let pending = inflight.get(key);
    if (!pending) {
      pending = authorize(source).finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return { ...(await pending) };
  };
}
