/**
 * Slack's side of OAuth installs, on the fake Web API (FakeSlack.handlers): oauth.v2.access for an
 * install code (workspace or org-wide, with or without token rotation) and for a refresh token,
 * auth.test per installed token, and the workflow-step calls functions.completeSuccess / completeError
 * (with the per-execution `xwfp-` token). Response shapes follow docs.slack.dev (oauth.v2.access,
 * auth.test, functions.*).
 */
import type { Body, FakeSlack } from './fake-slack';

export const CLIENT_ID = '1111111111.2222222222';
export const CLIENT_SECRET = 'test-client-secret-0f1e2d3c';
export const STATE_SECRET = 'test-state-secret-4b5a6978';
export const TOKEN_ENCRYPTION_KEY = Buffer.alloc(32, 0x5c).toString('base64');
export const APP_ID = 'A0TOKENFIX';

export interface FakeInstall {
  /** The workspace installing (null for an org-wide install). */
  teamId: string | null;
  enterpriseId?: string | null;
  isEnterpriseInstall?: boolean;
  botToken: string;
  botUserId: string;
  botId: string;
  /** Token rotation on: the bot token expires in this many seconds and comes with a refresh token. */
  expiresIn?: number;
}

interface Issued {
  install: FakeInstall;
  expiresAt: number | null;
}

let counter = 0;

export class FakeOAuth {
  /** Install codes not yet exchanged. */
  private readonly codes = new Map<string, FakeInstall>();
  /** Every token the fake issued: who it belongs to and when it stops working. */
  private readonly tokens = new Map<string, Issued>();
  private readonly refreshTokens = new Map<string, FakeInstall>();
  /** Tokens that oauth.v2.access refreshed to (newest last). */
  readonly refreshed: string[] = [];
  /** Seconds a refreshed token lives (Slack: 12 hours). */
  refreshExpiresIn = 43_200;

  constructor(readonly fake: FakeSlack) {
    fake.handlers.set('oauth.v2.access', (body) => this.access(body));
    fake.handlers.set('auth.test', (_body, token) => this.authTest(token));
    fake.handlers.set('functions.completeSuccess', (body, token) => this.functionCall(body, token));
    fake.handlers.set('functions.completeError', (body, token) => this.functionCall(body, token));
  }

  /** A code Slack would put in the redirect once the person allowed the install. */
  code(install: FakeInstall): string {
    counter += 1;
    const code = `code-${counter}-${install.teamId ?? install.enterpriseId}`;
    this.codes.set(code, install);
    return code;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
    this.fake.validTokens.delete(token);
  }

  private register(token: string, install: FakeInstall, expiresIn: number | undefined): void {
    this.tokens.set(token, {
      install,
      expiresAt: expiresIn === undefined ? null : Date.now() + expiresIn * 1000,
    });
    this.fake.validTokens.add(token);
  }

  private access(body: Body): Body {
    if (body.client_id !== CLIENT_ID || body.client_secret !== CLIENT_SECRET)
      return { ok: false, error: 'invalid_client_id' };
    if (body.grant_type === 'refresh_token') return this.refresh(String(body.refresh_token ?? ''));
    const install = this.codes.get(String(body.code ?? ''));
    if (!install) return { ok: false, error: 'invalid_code' };
    this.codes.delete(String(body.code));
    this.register(install.botToken, install, install.expiresIn);
    const rotation: Body = {};
    if (install.expiresIn !== undefined) {
      const refresh = `xoxe-1-refresh-${install.botUserId}-${++counter}`;
      this.refreshTokens.set(refresh, install);
      rotation.expires_in = install.expiresIn;
      rotation.refresh_token = refresh;
    }
    const org = install.isEnterpriseInstall === true;
    return {
      ok: true,
      app_id: APP_ID,
      authed_user: { id: 'U0INSTALLER' },
      scope:
        'app_mentions:read,channels:history,chat:write,commands,groups:history,im:history,reactions:read',
      token_type: 'bot',
      access_token: install.botToken,
      bot_user_id: install.botUserId,
      team: org ? null : { id: install.teamId, name: `Team ${install.teamId}` },
      enterprise: install.enterpriseId
        ? { id: install.enterpriseId, name: `Org ${install.enterpriseId}` }
        : null,
      is_enterprise_install: org,
      ...rotation,
    };
  }

  private refresh(refreshToken: string): Body {
    const install = this.refreshTokens.get(refreshToken);
    if (!install) return { ok: false, error: 'invalid_refresh_token' };
    const token = `${install.botToken}-r${this.refreshed.length + 1}`;
    // The token it replaces stops working, so a stale copy anywhere would show.
    for (const [t, issued] of this.tokens) if (issued.install === install) this.revoke(t);
    this.register(token, install, this.refreshExpiresIn);
    this.refreshed.push(token);
    return {
      ok: true,
      app_id: APP_ID,
      scope:
        'app_mentions:read,channels:history,chat:write,commands,groups:history,im:history,reactions:read',
      token_type: 'bot',
      access_token: token,
      bot_user_id: install.botUserId,
      expires_in: this.refreshExpiresIn,
      refresh_token: refreshToken,
      team: install.isEnterpriseInstall ? null : { id: install.teamId, name: `Team ${install.teamId}` },
      enterprise: install.enterpriseId
        ? { id: install.enterpriseId, name: `Org ${install.enterpriseId}` }
        : null,
      is_enterprise_install: install.isEnterpriseInstall === true,
    };
  }

  private authTest(token: string): Body {
    const issued = this.tokens.get(token);
    if (!issued) {
      // Tokens the base fake knows (single-workspace tests) keep its identity.
      if (this.fake.validTokens.has(token))
        return { ok: true, url: 'https://test.slack.com/', user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
      return { ok: false, error: 'invalid_auth' };
    }
    if (issued.expiresAt !== null && issued.expiresAt < Date.now())
      return { ok: false, error: 'token_expired' };
    const { install } = issued;
    return {
      ok: true,
      url: install.isEnterpriseInstall
        ? `https://org-${install.enterpriseId}.enterprise.slack.com/`
        : `https://${install.teamId}.slack.com/`,
      team: `Team ${install.teamId ?? install.enterpriseId}`,
      user: 'tokenfix',
      team_id: install.teamId ?? install.enterpriseId,
      user_id: install.botUserId,
      bot_id: install.botId,
      ...(install.enterpriseId ? { enterprise_id: install.enterpriseId } : {}),
      is_enterprise_install: install.isEnterpriseInstall === true,
    };
  }

  private functionCall(body: Body, token: string): Body {
    if (!token.startsWith('xwfp-')) return { ok: false, error: 'invalid_auth' };
    if (typeof body.function_execution_id !== 'string') return { ok: false, error: 'invalid_arguments' };
    return { ok: true };
  }
}
