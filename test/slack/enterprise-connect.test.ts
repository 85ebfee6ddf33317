/**
 * Enterprise Grid and Slack Connect in OAuth mode, over signed HTTP with payloads in Slack's documented
 * shapes: the installation comes from the event's `authorizations` (team, enterprise,
 * is_enterprise_install), never from its top-level `team_id`, which in a shared channel is the other
 * organisation's. Installs go through the real OAuth flow (install page → state cookie → redirect →
 * oauth.v2.access on the fake Slack).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHelpCard } from '../../src/cards';
import { knowledge } from '../support/bot';
import type { FakeInstall } from '../support/fake-oauth';
import { eventFor, type OAuthBot, startOAuthBot } from '../support/oauth-bot';
import { keyReaction, nextTs, slackConnectFileStub } from '../support/payloads';

const META =
  'Error validating access token: The session has been invalidated because the user changed their password. (OAuthException code 190, error_subcode 460)';

const bearer = (call: { headers: Record<string, unknown> } | undefined) =>
  String(call?.headers.authorization ?? '').replace(/^Bearer /, '');

/** Org-wide install on an Enterprise Grid org. */
const GRID: FakeInstall = {
  teamId: null,
  enterpriseId: 'E0GRID',
  isEnterpriseInstall: true,
  botToken: 'xoxb-grid-org',
  botUserId: 'U0GRIDBOT',
  botId: 'B0GRID',
};
/** A workspace-level install on another Grid org. */
const LOCAL: FakeInstall = {
  teamId: 'T0LOCAL',
  enterpriseId: 'E0OTHER',
  isEnterpriseInstall: false,
  botToken: 'xoxb-local',
  botUserId: 'U0LOCALBOT',
  botId: 'B0LOCAL',
};
/** The vendor's workspace, which shares channels with its customers over Slack Connect. */
const VENDOR: FakeInstall = {
  teamId: 'T0VENDOR',
  botToken: 'xoxb-vendor',
  botUserId: 'U0VENDORBOT',
  botId: 'B0VENDOR',
};

describe('Enterprise Grid and Slack Connect (OAuth mode, HTTP)', () => {
  let bot: OAuthBot;
  beforeAll(async () => {
    bot = await startOAuthBot();
    for (const install of [GRID, LOCAL, VENDOR]) expect((await bot.install(install)).status).toBe(200);
  });
  afterAll(async () => {
    await bot.close();
  });
  afterEach(() => {
    expect(bot.fake.violations).toEqual([]);
    bot.fake.reset();
  });

  const send = async (
    payload: Record<string, unknown>,
    kind: 'event' | 'command' | 'interactive' = 'event',
  ) => {
    const res = await bot.post(kind, payload);
    expect(res.status).toBe(200);
    await bot.idle();
  };
  const posts = () => bot.fake.okCalls('chat.postMessage');

  describe('Enterprise Grid', () => {
    it('an org-wide install answers in every workspace of the org, with the org token scoped to that workspace', async () => {
      for (const team of ['T0SALES', 'T0SUPPORT']) {
        await send(
          eventFor(
            { ...GRID, teamId: team },
            {
              type: 'app_mention',
              channel: `C0${team}`,
              user: 'U0ASKER',
              team,
              ts: nextTs(),
              text: `<@${GRID.botUserId}> ${META}`,
            },
          ),
        );
      }
      expect(posts()).toHaveLength(2);
      expect(posts().map(bearer)).toEqual([GRID.botToken, GRID.botToken]);
      // Bolt gives the org token's client the workspace, so calls name it (team_id).
      expect(posts().map((c) => c.body.team_id)).toEqual(['T0SALES', 'T0SUPPORT']);
      expect(posts().map((c) => c.body.channel)).toEqual(['C0T0SALES', 'C0T0SUPPORT']);
    });

    it('an org-wide install answers /tokenfix in any workspace of the org (is_enterprise_install in the form)', async () => {
      const form = {
        token: 'verification-token',
        team_id: 'T0SALES',
        team_domain: 'sales',
        enterprise_id: 'E0GRID',
        enterprise_name: 'Grid',
        channel_id: 'C0SALES',
        channel_name: 'help',
        user_id: 'U0ASKER',
        user_name: 'asker',
        command: '/tokenfix',
        text: META,
        api_app_id: 'A0TOKENFIX',
        is_enterprise_install: 'true',
        response_url: bot.fake.responseUrl('grid-cmd'),
        trigger_id: '1.2.3',
      };
      await send(form, 'command');
      await bot.fake.waitFor('the card', () => bot.fake.responseUrlPosts.length > 0);
      expect(String(bot.fake.responseUrlPosts[0]?.body.text)).toMatch(/password/i);
    });

    it('a workspace-level install in a Grid org keeps its own token; its neighbour that never installed gets nothing', async () => {
      await send(
        eventFor(LOCAL, {
          type: 'app_mention',
          channel: 'C0LOCAL',
          user: 'U0ASKER',
          ts: nextTs(),
          text: `<@${LOCAL.botUserId}> ${META}`,
        }),
      );
      expect(posts().map(bearer)).toEqual([LOCAL.botToken]);
      bot.fake.reset();
      await send(
        eventFor(
          { ...LOCAL, teamId: 'T0NEIGHBOUR' },
          {
            type: 'app_mention',
            channel: 'C0NEIGHBOUR',
            user: 'U0ASKER',
            ts: nextTs(),
            text: `<@${LOCAL.botUserId}> ${META}`,
          },
        ),
      );
      expect(bot.fake.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
    });
  });

  describe('Slack Connect: a customer (another organisation) in a channel shared with the vendor', () => {
    const SHARED = 'C0SHARED';
    const CUSTOMER = 'U0CUSTOMER';
    const CUSTOMER_TEAM = 'T0CUSTOMER';
    /** Top-level team_id is the customer's (the channel's origin); `authorizations` name the vendor's install. */
    const shared = (event: Record<string, unknown>) =>
      eventFor(VENDOR, event, { teamId: CUSTOMER_TEAM, shared: true });

    it('mentions the bot: answered in the thread, with the vendor install’s token', async () => {
      const ts = nextTs();
      await send(
        shared({
          type: 'app_mention',
          channel: SHARED,
          user: CUSTOMER,
          team: CUSTOMER_TEAM,
          user_team: CUSTOMER_TEAM,
          source_team: CUSTOMER_TEAM,
          ts,
          text: `<@${VENDOR.botUserId}> our sync broke: ${META}`,
        }),
      );
      expect(posts()).toHaveLength(1);
      expect(bearer(posts()[0])).toBe(VENDOR.botToken);
      expect(posts()[0]?.body).toMatchObject({ channel: SHARED, thread_ts: ts });
      expect(String(posts()[0]?.body.text)).toMatch(/password/i);
    });

    it('reacts with :key: on their own message: the message is read and answered with the vendor token', async () => {
      const ts = nextTs();
      bot.fake.addMessage(SHARED, { ts, user: CUSTOMER, text: META });
      await send(shared(keyReaction({ channel: SHARED, ts, itemUser: CUSTOMER }, { user: CUSTOMER })));
      expect(bearer(bot.fake.callsTo('conversations.history')[0])).toBe(VENDOR.botToken);
      expect(posts()).toHaveLength(1);
      expect(bearer(posts()[0])).toBe(VENDOR.botToken);
      expect(posts()[0]?.body).toMatchObject({ channel: SHARED, thread_ts: ts });
    });

    it('uses the message shortcut: gets the private card (the payload’s team is the vendor’s, the user’s team the customer’s)', async () => {
      const ts = nextTs();
      await send(
        {
          type: 'message_action',
          token: 'verification-token',
          action_ts: nextTs(),
          team: { id: VENDOR.teamId, domain: 'vendor' },
          user: { id: CUSTOMER, username: 'customer', name: 'customer', team_id: CUSTOMER_TEAM },
          channel: { id: SHARED, name: 'shared-support' },
          is_enterprise_install: false,
          enterprise: null,
          callback_id: 'diagnose_message',
          trigger_id: '1.2.3',
          response_url: bot.fake.responseUrl('connect-shortcut'),
          message_ts: ts,
          message: { type: 'message', user: CUSTOMER, ts, text: META },
        },
        'interactive',
      );
      const cards = bot.fake.okCalls('chat.postEphemeral');
      expect(cards).toHaveLength(1);
      expect(bearer(cards[0])).toBe(VENDOR.botToken);
      expect(cards[0]?.body).toMatchObject({ channel: SHARED, user: CUSTOMER });
      expect(String(cards[0]?.body.text)).toMatch(/password/i);
    });

    it('shares a screenshot: Slack sends a stub, looked up with files.info and downloaded with the vendor token, then answered', async () => {
      const shot = readFileSync(
        join(__dirname, '..', 'fixtures', 'screenshots', 'microsoft-001.light.1x.png'),
      );
      bot.fake.addFile('connect-shot', shot, 'image/png', 'F0CONNECTSHOT');
      const ts = nextTs();
      const res = await bot.post(
        'event',
        shared({
          type: 'message',
          subtype: 'file_share',
          channel: SHARED,
          channel_type: 'channel',
          user: CUSTOMER,
          team: CUSTOMER_TEAM,
          user_team: CUSTOMER_TEAM,
          source_team: CUSTOMER_TEAM,
          ts,
          text: '',
          files: [slackConnectFileStub('F0CONNECTSHOT')],
        }),
      );
      expect(res.status).toBe(200);
      await bot.idle(30_000);
      const lookup = bot.fake.callsTo('files.info');
      expect(lookup.map((c) => c.body.file)).toEqual(['F0CONNECTSHOT']);
      expect(bearer(lookup[0])).toBe(VENDOR.botToken);
      expect(bot.fake.downloads).toEqual([{ name: 'connect-shot', token: VENDOR.botToken, status: 200 }]);
      expect(posts()).toHaveLength(1);
      expect(bearer(posts()[0])).toBe(VENDOR.botToken);
      expect(posts()[0]?.body).toMatchObject({ channel: SHARED, thread_ts: ts });
      expect(JSON.stringify(posts()[0]?.body.blocks)).toContain('Read from a screenshot');
    });

    it('an org-wide Grid install in a Slack Connect channel looks the stub up and downloads it with the org token', async () => {
      const shot = readFileSync(
        join(__dirname, '..', 'fixtures', 'screenshots', 'microsoft-001.light.1x.png'),
      );
      bot.fake.addFile('grid-connect-shot', shot, 'image/png', 'F0GRIDCONNECT');
      const ts = nextTs();
      const res = await bot.post(
        'event',
        eventFor(
          { ...GRID, teamId: 'T0SALES' },
          {
            type: 'app_mention',
            channel: 'C0GRIDSHARED',
            user: CUSTOMER,
            team: CUSTOMER_TEAM,
            user_team: CUSTOMER_TEAM,
            source_team: CUSTOMER_TEAM,
            ts,
            text: `<@${GRID.botUserId}>`,
            files: [slackConnectFileStub('F0GRIDCONNECT')],
          },
          { teamId: CUSTOMER_TEAM, shared: true },
        ),
      );
      expect(res.status).toBe(200);
      await bot.idle(30_000);
      const lookup = bot.fake.callsTo('files.info');
      expect(lookup.map((c) => [c.body.file, bearer(c)])).toEqual([['F0GRIDCONNECT', GRID.botToken]]);
      expect(bot.fake.downloads).toEqual([{ name: 'grid-connect-shot', token: GRID.botToken, status: 200 }]);
      expect(posts()).toHaveLength(1);
      expect(bearer(posts()[0])).toBe(GRID.botToken);
      expect(JSON.stringify(posts()[0]?.body.blocks)).toContain('Read from a screenshot');
      // Bolt scopes the org token's calls to the workspace from `authorizations`, not the customer's team.
      expect(lookup[0]?.body.team_id).toBe('T0SALES');
    });

    it('one workspace rate limited on files.info (Retry-After past the wait budget) does not stop another workspace’s lookups', async () => {
      const shot = readFileSync(
        join(__dirname, '..', 'fixtures', 'screenshots', 'microsoft-001.light.1x.png'),
      );
      bot.fake.addFile('vendor-limited', shot, 'image/png', 'F0VENDORLIMITED');
      bot.fake.addFile('local-shot', shot, 'image/png', 'F0LOCALSHOT');
      // Slack's limits are per app per workspace: this 429 is the vendor's alone.
      bot.fake.fail('files.info', { status: 429, retryAfter: 600 });
      await send(
        shared({
          type: 'message',
          subtype: 'file_share',
          channel: SHARED,
          channel_type: 'channel',
          user: CUSTOMER,
          team: CUSTOMER_TEAM,
          user_team: CUSTOMER_TEAM,
          source_team: CUSTOMER_TEAM,
          ts: nextTs(),
          text: '',
          files: [slackConnectFileStub('F0VENDORLIMITED')],
        }),
      );
      expect(bot.fake.callsTo('files.info').map((c) => c.status)).toEqual([429]);
      expect(posts()).toEqual([]);

      const ts = nextTs();
      await send(
        eventFor(
          LOCAL,
          {
            type: 'app_mention',
            channel: 'C0LOCALSHARED',
            user: 'U0LOCALCUSTOMER',
            team: 'T0LOCALCUSTOMER',
            ts,
            text: `<@${LOCAL.botUserId}>`,
            files: [slackConnectFileStub('F0LOCALSHOT')],
          },
          { teamId: 'T0LOCALCUSTOMER', shared: true },
        ),
      );
      await bot.idle(30_000);
      const local = bot.fake.callsTo('files.info').filter((c) => bearer(c) === LOCAL.botToken);
      expect(local.map((c) => [c.body.file, c.status])).toEqual([['F0LOCALSHOT', 200]]);
      expect(posts()).toHaveLength(1);
      expect(bearer(posts()[0])).toBe(LOCAL.botToken);
      expect(JSON.stringify(posts()[0]?.body.blocks)).toContain('Read from a screenshot');
    });

    it('the help card tells people that the slash command does not reach users from other organisations', () => {
      const help = JSON.stringify(renderHelpCard(knowledge()).blocks);
      expect(help).toMatch(/Slack Connect/);
      expect(help).toMatch(/cannot use the slash command/);
      expect(help).toMatch(/mentions, the message menu and reactions work/);
    });
  });
});
