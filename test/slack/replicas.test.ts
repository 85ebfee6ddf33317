/**
 * Scale-out as deploy/ runs it: two HTTP replicas of the real app on one PostgreSQL (the test server of
 * the jest globalSetup), no sticky sessions. The OAuth flow starts on one replica and finishes on the
 * other; events are then served by either with the installed token; a refreshed token, a repeated event
 * and an uninstall are seen by both.
 */
import type { FakeInstall } from '../support/fake-oauth';
import { FakeOAuth } from '../support/fake-oauth';
import { FakeSlack } from '../support/fake-slack';
import { eventFor, type OAuthBot, readInstallPage, STATE_COOKIE, startOAuthBot } from '../support/oauth-bot';
import { nextTs } from '../support/payloads';
import { createDatabase, describePostgres } from '../support/postgres';

const META =
  'Error validating access token: The session has been invalidated because the user changed their password. (OAuthException code 190, error_subcode 460)';

const bearer = (call: { headers: Record<string, unknown> } | undefined) =>
  String(call?.headers.authorization ?? '').replace(/^Bearer /, '');

describePostgres('two replicas on one PostgreSQL', (adminUrl) => {
  let fake: FakeSlack;
  let oauth: FakeOAuth;
  let a: OAuthBot;
  let b: OAuthBot;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    oauth = new FakeOAuth(fake);
    const databaseUrl = await createDatabase(adminUrl, 'replicas');
    // Both start at once on an empty database: the migrations run once, under the advisory lock.
    [a, b] = await Promise.all([
      startOAuthBot({ fake, oauth, databaseUrl }),
      startOAuthBot({ fake, oauth, databaseUrl }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await fake?.close();
  });
  afterEach(() => {
    expect(fake.violations).toEqual([]);
    fake.reset();
  });

  const mention = (install: FakeInstall, ts = nextTs()) =>
    eventFor(install, {
      type: 'app_mention',
      channel: 'C0HELP',
      user: 'U0ASKER',
      ts,
      text: `<@${install.botUserId}> ${META}`,
    });
  const served = async (bot: OAuthBot, payload: Record<string, unknown>) => {
    const res = await bot.post('event', payload);
    expect(res.status).toBe(200);
    await bot.idle();
  };

  it('the install page comes from one replica and the redirect lands on the other: installed for both', async () => {
    const install: FakeInstall = {
      teamId: 'T0ACME',
      botToken: 'xoxb-acme',
      botUserId: 'U0ACMEBOT',
      botId: 'B0ACME',
    };
    const page = await a.get('/slack/install');
    const { state } = readInstallPage(page);
    const done = await b.get(`/slack/oauth_redirect?code=${oauth.code(install)}&state=${state}`, {
      cookie: `${STATE_COOKIE}=${state}`,
    });
    expect(done.status).toBe(200);
    expect(await a.installations.count()).toBe(1);

    for (const replica of [a, b]) {
      fake.reset();
      await served(replica, mention(install));
      const posts = fake.okCalls('chat.postMessage');
      expect(posts).toHaveLength(1);
      expect(bearer(posts[0])).toBe(install.botToken);
    }
  });

  it('installed through OAuth on one replica, a signed event served by the other is answered with the installed token', async () => {
    const install: FakeInstall = {
      teamId: 'T0GLOBEX',
      botToken: 'xoxb-globex',
      botUserId: 'U0GLOBEXBOT',
      botId: 'B0GLOBEX',
    };
    expect((await a.install(install)).status).toBe(200);
    fake.reset();
    await served(b, mention(install));
    const posts = fake.okCalls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(bearer(posts[0])).toBe(install.botToken);
    expect(String(posts[0]?.body.text)).toMatch(/password/i);
  });

  it('the same event delivered to both replicas (a retry landing elsewhere) is answered once', async () => {
    const install: FakeInstall = {
      teamId: 'T0INITECH',
      botToken: 'xoxb-initech',
      botUserId: 'U0INITECHBOT',
      botId: 'B0INITECH',
    };
    await b.install(install);
    fake.reset();
    const event = mention(install);
    await Promise.all([served(a, event), served(b, event)]);
    expect(fake.okCalls('chat.postMessage')).toHaveLength(1);
  });

  it('a token refreshed by one replica is saved for the other, which uses it without refreshing again', async () => {
    const install: FakeInstall = {
      teamId: 'T0ROTATE',
      botToken: 'xoxb-rotate',
      botUserId: 'U0ROTATEBOT',
      botId: 'B0ROTATE',
      expiresIn: 300,
    };
    await a.install(install);
    fake.reset();
    await served(a, mention(install));
    expect(fake.callsTo('oauth.v2.access')).toHaveLength(1);
    const fresh = oauth.refreshed.at(-1);
    expect(bearer(fake.okCalls('chat.postMessage')[0])).toBe(fresh);
    fake.reset();
    await served(b, mention(install));
    expect(fake.callsTo('oauth.v2.access')).toHaveLength(0);
    expect(bearer(fake.okCalls('chat.postMessage')[0])).toBe(fresh);
  });

  it('uninstalled through one replica, the other stops answering at once (no cached copy)', async () => {
    const install: FakeInstall = {
      teamId: 'T0UMBRELLA',
      botToken: 'xoxb-umbrella',
      botUserId: 'U0UMBRELLABOT',
      botId: 'B0UMBRELLA',
    };
    await b.install(install);
    await served(a, mention(install));
    expect(fake.okCalls('chat.postMessage')).toHaveLength(1);
    fake.reset();
    await served(b, eventFor(install, { type: 'app_uninstalled' }));
    await served(a, mention(install));
    expect(fake.okCalls('chat.postMessage')).toHaveLength(0);
  });

  it('both replicas are ready (/healthz) and alive (/livez)', async () => {
    for (const replica of [a, b]) {
      expect((await replica.get('/healthz')).status).toBe(200);
      expect((await replica.get('/livez')).status).toBe(200);
    }
  });
});
