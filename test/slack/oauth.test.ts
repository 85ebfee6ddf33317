/**
 * OAuth installs over real HTTP: Bolt's (@slack/oauth's) install flow on /slack/install and
 * /slack/oauth_redirect with the state cookie, oauth.v2.access answered by the fake Slack, the
 * installation kept sealed in the store, each request served with its own workspace's token (refreshed
 * first when it is about to expire), and app_uninstalled / tokens_revoked deleting what was kept.
 */
import { manifestBotScopes } from '../../src/oauth/install';
import { CLIENT_ID, type FakeInstall } from '../support/fake-oauth';
import { eventFor, type OAuthBot, readInstallPage, STATE_COOKIE, startOAuthBot } from '../support/oauth-bot';
import { nextTs } from '../support/payloads';
import { createDatabase, postgresOrReport } from '../support/postgres';

const META =
  'Error validating access token: The session has been invalidated because the user changed their password. (OAuthException code 190, error_subcode 460)';

const ACME: FakeInstall = {
  teamId: 'T0ACME',
  botToken: 'xoxb-acme-1',
  botUserId: 'U0ACMEBOT',
  botId: 'B0ACME',
};

const bearer = (call: { headers: Record<string, unknown> } | undefined) =>
  String(call?.headers.authorization ?? '').replace(/^Bearer /, '');

describe('OAuth installs (HTTP, SQLite store)', () => {
  let bot: OAuthBot;
  beforeEach(async () => {
    bot = await startOAuthBot();
  });
  afterEach(async () => {
    expect(bot.fake.violations).toEqual([]);
    await bot.close();
  });

  const mention = (install: FakeInstall, text = `<@${install.botUserId}> ${META}`) =>
    eventFor(install, { type: 'app_mention', channel: 'C0HELP', user: 'U0ASKER', ts: nextTs(), text });

  it('serves the install page: the authorize link asks for the manifest scopes, with a state also set as a cookie', async () => {
    const page = await bot.get('/slack/install');
    expect(page.status).toBe(200);
    const { link, state, cookie } = readInstallPage(page);
    expect(link.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(link.searchParams.get('scope')?.split(',').sort()).toEqual([...manifestBotScopes()].sort());
    expect(state.length).toBeGreaterThan(20);
    expect(link.searchParams.get('state')).toBe(state);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Max-Age=600/);
  });

  it('installs through the redirect: oauth.v2.access at SLACK_API_URL, then events from that workspace are answered with its token', async () => {
    const done = await bot.install(ACME);
    expect(done.status).toBe(200);
    expect(done.text).toMatch(/installed/);
    const exchange = bot.fake.callsTo('oauth.v2.access');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]?.body).toMatchObject({ client_id: CLIENT_ID });
    expect(await bot.installations.count()).toBe(1);
    expect(bot.logs.some((l) => l.includes('"msg":"installed"') && l.includes('T0ACME'))).toBe(true);

    const res = await bot.post('event', mention(ACME));
    expect(res.status).toBe(200);
    await bot.idle();
    const posts = bot.fake.okCalls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(bearer(posts[0])).toBe(ACME.botToken);
    expect(String(posts[0]?.body.text)).toMatch(/password/i);
  });

  it('refuses a redirect without the state cookie (another browser, or a forged link): nothing is installed', async () => {
    const page = await bot.get('/slack/install');
    const { state } = readInstallPage(page);
    const code = bot.oauth.code(ACME);
    const noCookie = await bot.get(`/slack/oauth_redirect?code=${code}&state=${state}`);
    expect(noCookie.status).toBe(400);
    const wrongCookie = await bot.get(`/slack/oauth_redirect?code=${code}&state=${state}`, {
      cookie: `${STATE_COOKIE}=somebody-else`,
    });
    expect(wrongCookie.status).toBe(400);
    const forged = await bot.get(`/slack/oauth_redirect?code=${code}&state=forged`, {
      cookie: `${STATE_COOKIE}=forged`,
    });
    expect(forged.status).toBe(400);
    expect(bot.fake.callsTo('oauth.v2.access')).toHaveLength(0);
    expect(await bot.installations.count()).toBe(0);
  });

  it('a workspace that never installed gets nothing: no fallback to another install', async () => {
    await bot.install(ACME);
    bot.fake.reset();
    const stranger = { ...ACME, teamId: 'T0STRANGER', botUserId: 'U0OTHERBOT' };
    const res = await bot.post('event', mention(stranger, `<@U0OTHERBOT> ${META}`));
    expect(res.status).toBe(200);
    await bot.idle();
    expect(bot.fake.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
    expect(bot.logs.some((l) => l.includes('no installation for T:T0STRANGER'))).toBe(true);
  });

  it('token rotation: an expiring bot token is refreshed before use, saved, and the reply uses the new token', async () => {
    const rotating: FakeInstall = { ...ACME, teamId: 'T0ROTATE', botToken: 'xoxb-rotate-1', expiresIn: 600 };
    await bot.install(rotating);
    bot.fake.reset();

    await bot.post('event', mention(rotating));
    await bot.idle();
    const refresh = bot.fake.callsTo('oauth.v2.access');
    expect(refresh).toHaveLength(1);
    expect(refresh[0]?.body).toMatchObject({ grant_type: 'refresh_token', client_id: CLIENT_ID });
    const fresh = bot.oauth.refreshed[0];
    expect(fresh).toBe('xoxb-rotate-1-r1');
    expect(bearer(bot.fake.okCalls('chat.postMessage')[0])).toBe(fresh);

    // Saved: the next request uses it without refreshing again (it now has 12 hours).
    const saved = await bot.installations.fetchInstallation({
      teamId: 'T0ROTATE',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(saved.bot?.token).toBe(fresh);
    expect(saved.bot?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 11 * 3600);
    bot.fake.reset();
    await bot.post('event', mention(rotating));
    await bot.idle();
    expect(bot.fake.callsTo('oauth.v2.access')).toHaveLength(0);
    expect(bearer(bot.fake.okCalls('chat.postMessage')[0])).toBe(fresh);
  });

  it('app_uninstalled deletes the installation and what the store kept about the workspace', async () => {
    await bot.install(ACME);
    await bot.store.setChannelSettings('T0ACME', 'C0HELP', { listenMode: 'react' }, 'U0ADMIN');
    await bot.store.setChannelSettings('T0OTHER', 'C0ELSE', { listenMode: 'off' }, 'U0ADMIN');
    const res = await bot.post('event', eventFor(ACME, { type: 'app_uninstalled' }));
    expect(res.status).toBe(200);
    await bot.idle();
    expect(await bot.installations.count()).toBe(0);
    expect((await bot.store.getChannelSettings('T0ACME', 'C0HELP')).updatedBy).toBeNull();
    // Another workspace's data is untouched.
    expect((await bot.store.getChannelSettings('T0OTHER', 'C0ELSE')).listenMode).toBe('off');

    bot.fake.reset();
    await bot.post('event', mention(ACME));
    await bot.idle();
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);
  });

  it('app_uninstalled also forgets the workspace’s reminders (user, channel, platform), and only its', async () => {
    await bot.install(ACME);
    // "Remind me before it expires", set weeks ahead: kept until a day after Slack posts it.
    const reminder = (team: string, id: string) => ({
      id,
      team,
      user: 'U0AGENT',
      channel: 'D0AGENTDM',
      platform: 'meta',
      postAt: Date.now() + 50 * 86_400_000,
    });
    await bot.store.addReminder(reminder('T0ACME', 'Q0ACME00001'));
    await bot.store.addReminder(reminder('T0OTHER', 'Q0OTHER0001'));
    const res = await bot.post('event', eventFor(ACME, { type: 'app_uninstalled' }));
    expect(res.status).toBe(200);
    await bot.idle();
    expect(await bot.installations.count()).toBe(0);
    expect(await bot.store.pendingReminders('T0ACME', 'U0AGENT', Date.now())).toEqual([]);
    expect(await bot.store.pendingReminders('T0OTHER', 'U0AGENT', Date.now())).toHaveLength(1);
  });

  it('an org-wide uninstall forgets what the org’s workspaces left in the store, and only theirs', async () => {
    const GRID: FakeInstall = {
      teamId: null,
      enterpriseId: 'E0GRID',
      isEnterpriseInstall: true,
      botToken: 'xoxb-grid-org',
      botUserId: 'U0GRIDBOT',
      botId: 'B0GRID',
    };
    const OTHER_ORG: FakeInstall = {
      teamId: null,
      enterpriseId: 'E0OTHER',
      isEnterpriseInstall: true,
      botToken: 'xoxb-other-org',
      botUserId: 'U0OTHERBOT',
      botId: 'B0OTHER',
    };
    expect((await bot.install(GRID)).status).toBe(200);
    expect((await bot.install(OTHER_ORG)).status).toBe(200);
    expect((await bot.install(ACME)).status).toBe(200);
    // A diagnosis (by mention) in two workspaces of the org, one of another org, one workspace install.
    const served: Array<[FakeInstall, string]> = [
      [GRID, 'T0SALES'],
      [GRID, 'T0SUPPORT'],
      [OTHER_ORG, 'T0ELSE'],
      [ACME, 'T0ACME'],
    ];
    for (const [install, team] of served) {
      await bot.post('event', mention({ ...install, teamId: team }, `<@${install.botUserId}> ${META}`));
      await bot.idle();
      await bot.store.setChannelSettings(team, 'C0HELP', { listenMode: 'react' }, 'U0ADMIN');
    }
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(4);

    await bot.post('event', eventFor(GRID, { type: 'app_uninstalled' }));
    await bot.idle();
    expect(await bot.installations.count()).toBe(2);
    for (const team of ['T0SALES', 'T0SUPPORT']) {
      expect((await bot.store.stats(team, 30)).diagnoses).toBe(0);
      expect((await bot.store.getChannelSettings(team, 'C0HELP')).updatedBy).toBeNull();
    }
    for (const team of ['T0ELSE', 'T0ACME']) {
      expect((await bot.store.stats(team, 30)).diagnoses).toBe(1);
      expect((await bot.store.getChannelSettings(team, 'C0HELP')).listenMode).toBe('react');
    }
    expect(bot.logs.some((l) => l.includes('org workspaces forgotten') && l.includes('"teams":2'))).toBe(
      true,
    );

    // The other org's workspace was recorded too: its own uninstall forgets it.
    await bot.post('event', eventFor(OTHER_ORG, { type: 'app_uninstalled' }));
    await bot.idle();
    expect((await bot.store.stats('T0ELSE', 30)).diagnoses).toBe(0);
    expect((await bot.store.stats('T0ACME', 30)).diagnoses).toBe(1);
  });

  it('tokens_revoked for the bot deletes the installation; a user token revoked alone does not', async () => {
    await bot.install(ACME);
    await bot.post(
      'event',
      eventFor(ACME, { type: 'tokens_revoked', tokens: { oauth: ['U0INSTALLER'], bot: [] } }),
    );
    await bot.idle();
    expect(await bot.installations.count()).toBe(1);
    await bot.post('event', eventFor(ACME, { type: 'tokens_revoked', tokens: { bot: [ACME.botUserId] } }));
    await bot.idle();
    expect(await bot.installations.count()).toBe(0);
  });

  it('/healthz is ready without a bot token: OAuth mode needs only a reachable store', async () => {
    const health = await bot.get('/healthz');
    expect(health.status).toBe(200);
  });
});

/** Where the store of the next suite lives: SQLite in memory, and a fresh PostgreSQL database when there is a server. */
const storeEngines: Array<[string, () => Promise<string | undefined>]> = [['SQLite', async () => undefined]];
const pgAdmin = postgresOrReport('OAuth lifecycle on PostgreSQL');
if (pgAdmin !== null) storeEngines.push(['PostgreSQL', () => createDatabase(pgAdmin, 'oauth')]);

describe.each(storeEngines)(
  'a workspace’s own install beside an org-wide install (HTTP, %s store)',
  (_label, url) => {
    let bot: OAuthBot;
    beforeEach(async () => {
      const databaseUrl = await url();
      bot = await startOAuthBot(databaseUrl ? { databaseUrl } : {});
    });
    afterEach(async () => {
      expect(bot.fake.violations).toEqual([]);
      await bot.close();
    });

    const GRID: FakeInstall = {
      teamId: null,
      enterpriseId: 'E0GRID',
      isEnterpriseInstall: true,
      botToken: 'xoxb-grid-org',
      botUserId: 'U0GRIDBOT',
      botId: 'B0GRID',
    };
    /** A workspace of the org that also installed the app itself. */
    const LOCAL: FakeInstall = {
      teamId: 'T0LOCAL',
      enterpriseId: 'E0GRID',
      botToken: 'xoxb-local-1',
      botUserId: 'U0LOCALBOT',
      botId: 'B0LOCAL',
    };
    /** A diagnosis by mention in `team`, through `install`, and a channel setting there. */
    const use = async (install: FakeInstall, team: string) => {
      const res = await bot.post(
        'event',
        eventFor(
          { ...install, teamId: team },
          {
            type: 'app_mention',
            channel: 'C0HELP',
            user: 'U0ASKER',
            ts: nextTs(),
            text: `<@${install.botUserId}> ${META}`,
          },
        ),
      );
      expect(res.status).toBe(200);
      await bot.idle();
      await bot.store.setChannelSettings(team, 'C0HELP', { listenMode: 'react' }, 'U0ADMIN');
    };
    const kept = async (team: string) => {
      expect((await bot.store.stats(team, 30)).diagnoses).toBe(1);
      expect((await bot.store.getChannelSettings(team, 'C0HELP')).listenMode).toBe('react');
    };
    const forgotten = async (team: string) => {
      expect((await bot.store.stats(team, 30)).diagnoses).toBe(0);
      expect((await bot.store.getChannelSettings(team, 'C0HELP')).updatedBy).toBeNull();
    };
    /** team_access_revoked as the docs show it: the org in the envelope, a workspace in `authorizations`. */
    const revoked = (teamIds: string[]) => {
      const body = eventFor(
        { teamId: 'T0SALES', enterpriseId: 'E0GRID', isEnterpriseInstall: false, botUserId: 'U0GRIDBOT' },
        { type: 'team_access_revoked', team_ids: teamIds },
      );
      body.team_id = null;
      return body;
    };

    it('uninstalling the workspace’s own install keeps its data while the org-wide install still serves it; the org’s uninstall forgets it later', async () => {
      expect((await bot.install(GRID)).status).toBe(200);
      expect((await bot.install(LOCAL)).status).toBe(200);
      // Served through the org (so recorded under it), and through its own install.
      await use(GRID, 'T0LOCAL');
      await use(LOCAL, 'T0LOCAL');
      await bot.store.setChannelSettings('T0LOCAL', 'C0HELP', { listenMode: 'react' }, 'U0ADMIN');
      expect((await bot.store.stats('T0LOCAL', 30)).diagnoses).toBe(2);

      expect((await bot.post('event', eventFor(LOCAL, { type: 'app_uninstalled' }))).status).toBe(200);
      await bot.idle();
      expect(await bot.installations.count()).toBe(1);
      expect((await bot.store.stats('T0LOCAL', 30)).diagnoses).toBe(2);
      expect((await bot.store.getChannelSettings('T0LOCAL', 'C0HELP')).listenMode).toBe('react');
      expect(
        bot.logs.some(
          (l) => l.includes('workspace data kept for the org-wide install') && l.includes('E0GRID'),
        ),
      ).toBe(true);

      // The org install still answers there, with its own token and the workspace's settings.
      bot.fake.reset();
      await use(GRID, 'T0LOCAL');
      expect(bearer(bot.fake.okCalls('chat.postMessage')[0])).toBe(GRID.botToken);

      await bot.post('event', eventFor(GRID, { type: 'app_uninstalled' }));
      await bot.idle();
      expect(await bot.installations.count()).toBe(0);
      await forgotten('T0LOCAL');
    });

    it('without an org-wide install serving the workspace, its own uninstall still forgets its data (and only its)', async () => {
      expect((await bot.install(LOCAL)).status).toBe(200);
      expect((await bot.install(GRID)).status).toBe(200);
      await use(LOCAL, 'T0LOCAL');
      await use(GRID, 'T0SALES');
      // The org's install goes first: the workspace's own install no longer shares it with anyone.
      await bot.post('event', eventFor(GRID, { type: 'app_uninstalled' }));
      await bot.idle();
      await forgotten('T0SALES');
      await kept('T0LOCAL');

      await bot.post('event', eventFor(LOCAL, { type: 'app_uninstalled' }));
      await bot.idle();
      expect(await bot.installations.count()).toBe(0);
      await forgotten('T0LOCAL');
    });

    it('team_access_revoked forgets the listed workspaces; not an unlisted one, nor one with its own install; the org stays installed', async () => {
      expect((await bot.install(GRID)).status).toBe(200);
      expect((await bot.install(LOCAL)).status).toBe(200);
      for (const team of ['T0SALES', 'T0SUPPORT', 'T0LOCAL']) await use(GRID, team);

      const res = await bot.post('event', revoked(['T0SALES', 'T0LOCAL']));
      expect(res.status).toBe(200);
      await bot.idle();
      await forgotten('T0SALES');
      await kept('T0SUPPORT');
      await kept('T0LOCAL');
      expect(await bot.installations.count()).toBe(2);
      expect(
        bot.logs.some(
          (l) => l.includes('org-wide install lost access to workspaces') && l.includes('"forgotten":1'),
        ),
      ).toBe(true);
      // The org no longer serves T0LOCAL: its own uninstall now forgets it.
      await bot.post('event', eventFor(LOCAL, { type: 'app_uninstalled' }));
      await bot.idle();
      await forgotten('T0LOCAL');
      await kept('T0SUPPORT');
    });
  },
);

describe('ALERT_CHANNEL in OAuth mode', () => {
  it('is ignored, with a warning: it names one workspace’s channel, and there are many', async () => {
    const bot = await startOAuthBot({ alertChannel: 'C0ALERTS' });
    try {
      expect(bot.logs.some((l) => l.includes('ALERT_CHANNEL is ignored in OAuth mode'))).toBe(true);
    } finally {
      await bot.close();
    }
  });
});

describe('OAuth installs in Socket Mode', () => {
  let bot: OAuthBot;
  beforeAll(async () => {
    bot = await startOAuthBot({ mode: 'socket' });
    await bot.fake.waitFor('the socket', () => bot.fake.sockets.size === 1);
  });
  afterAll(async () => {
    await bot.close();
  });

  it('serves the install pages beside /healthz on PORT, and answers envelopes with the installed token', async () => {
    expect((await bot.get('/healthz')).status).toBe(200);
    expect((await bot.install(ACME)).status).toBe(200);
    const ts = nextTs();
    bot.fake.sendEnvelope({
      envelope_id: 'env-oauth-socket-1',
      type: 'events_api',
      payload: eventFor(ACME, {
        type: 'app_mention',
        channel: 'C0HELP',
        user: 'U0ASKER',
        ts,
        text: `<@${ACME.botUserId}> ${META}`,
      }),
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
    });
    await bot.fake.waitFor('the reply', () => bot.fake.okCalls('chat.postMessage').length === 1);
    const post = bot.fake.okCalls('chat.postMessage')[0];
    expect(bearer(post)).toBe(ACME.botToken);
    expect(post?.body).toMatchObject({ channel: 'C0HELP', thread_ts: ts });
  });
});

describe('token rotation under a burst', () => {
  it('events arriving together for an expiring token refresh it once and all use the new token', async () => {
    const bot = await startOAuthBot();
    try {
      const rotating: FakeInstall = { ...ACME, teamId: 'T0BURST', botToken: 'xoxb-burst-1', expiresIn: 60 };
      await bot.install(rotating);
      bot.fake.reset();
      const events = Array.from({ length: 6 }, (_, i) =>
        eventFor(rotating, {
          type: 'app_mention',
          channel: `C0BURST${i}`,
          user: 'U0ASKER',
          ts: nextTs(),
          text: `<@${rotating.botUserId}> ${META}`,
        }),
      );
      const answers = await Promise.all(events.map((e) => bot.post('event', e)));
      expect(answers.map((a) => a.status)).toEqual(events.map(() => 200));
      await bot.fake.waitFor('six replies', () => bot.fake.okCalls('chat.postMessage').length === 6);
      await bot.idle();
      expect(bot.fake.callsTo('oauth.v2.access')).toHaveLength(1);
      expect(new Set(bot.fake.okCalls('chat.postMessage').map(bearer))).toEqual(new Set(['xoxb-burst-1-r1']));
    } finally {
      await bot.close();
    }
  });
});
