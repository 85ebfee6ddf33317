/**
 * Outbreak alerts per workspace, over signed HTTP against the fake Slack: `/tokenfix alerts here|off`
 * kept in the store; in OAuth mode each workspace's outbreaks are counted on their own and announced in
 * its own chosen channel with its own token; `off` stops them; with a single bot token and no choice,
 * ALERT_CHANNEL applies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';
import { startBot, type TestBot } from '../support/bot';
import type { FakeInstall } from '../support/fake-oauth';
import type { Call } from '../support/fake-slack';
import { eventFor, type OAuthBot, startOAuthBot } from '../support/oauth-bot';
import { eventCallback, messageEvent, nextTs, slashCommand } from '../support/payloads';

const META_RESET = 'Error validating access token: The user has logged out. (#190) error_subcode 467';
const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
const GOOGLE_GRANT = 'Google Ads connector failed: invalid_grant: Token has been expired or revoked.';

const ACME: FakeInstall = {
  teamId: 'T0ACME',
  botToken: 'xoxb-acme-1',
  botUserId: 'U0ACMEBOT',
  botId: 'B0ACME',
};
const GLOBEX: FakeInstall = {
  teamId: 'T0GLOBEX',
  botToken: 'xoxb-globex-1',
  botUserId: 'U0GLOBEXBOT',
  botId: 'B0GLOBEX',
};

const bearer = (call: Call | undefined) => String(call?.headers.authorization ?? '').replace(/^Bearer /, '');
const postsTo = (bot: { fake: TestBot['fake'] }, channel: string): Call[] =>
  bot.fake.okCalls('chat.postMessage').filter((c) => c.body.channel === channel);
const alertsIn = (bot: { fake: TestBot['fake'] }, channel: string): Call[] =>
  postsTo(bot, channel).filter((c) => String(c.body.text).includes('Possible platform-wide event'));

type AnyBot = Pick<OAuthBot, 'fake' | 'idle'> & {
  post(kind: 'event' | 'command', payload: unknown): Promise<{ status: number }>;
};

/** A slash command from a workspace; returns what its response_url received. */
async function command(bot: AnyBot, text: string, id: string, fields: Record<string, string>) {
  const res = await bot.post('command', slashCommand(text, bot.fake.responseUrl(id), fields));
  expect(res.status).toBe(200);
  await bot.idle();
  return bot.fake.responseUrlPosts.filter((p) => p.id === id && p.status === 200).map((p) => p.body);
}

/** `n` reports of one error from different channels and people of a workspace (passive listening). */
async function reports(bot: AnyBot, n: number, text: string, prefix: string, install?: FakeInstall) {
  for (let i = 0; i < n; i++) {
    const event = messageEvent({
      channel: `C0${prefix}${i}`,
      user: `U0${prefix}${i}`,
      ts: nextTs(),
      text,
      ...(install ? { team: install.teamId } : {}),
    });
    const res = await bot.post('event', install ? eventFor(install, event) : eventCallback(event));
    expect(res.status).toBe(200);
    await bot.idle();
  }
}

describe('outbreak alerts per workspace, OAuth mode (two workspaces)', () => {
  let bot: OAuthBot;
  beforeEach(async () => {
    bot = await startOAuthBot();
    expect((await bot.install(ACME)).status).toBe(200);
    expect((await bot.install(GLOBEX)).status).toBe(200);
    bot.fake.reset();
  });
  afterEach(async () => {
    expect(bot.fake.violations).toEqual([]);
    await bot.close();
  });

  const acme = { team_id: 'T0ACME', channel_id: 'C0ACMEALERTS', user_id: 'U0ACMEADMIN' };
  const globex = { team_id: 'T0GLOBEX', channel_id: 'C0GLOBEXOPS', user_id: 'U0GLOBEXADMIN' };

  it("each workspace's outbreak lands in the channel it chose, with its own token; counts are per workspace; off stops them", async () => {
    // Nobody chose yet: OAuth mode has no default, so an outbreak gets cards, not an alert.
    await reports(bot, 5, GOOGLE_GRANT, 'ACMEPRE', ACME);
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(5);
    expect(
      bot.fake
        .okCalls('chat.postMessage')
        .every((c) => !String(c.body.text).includes('Possible platform-wide')),
    ).toBe(true);
    const [none] = await command(bot, 'alerts', 'a0', acme);
    expect(String(none?.text)).toMatch(/off\*: nobody has chosen/);

    bot.fake.reset();
    await command(bot, 'alerts here', 'a1', acme);
    await command(bot, 'alerts here', 'g1', globex);
    // Announced in the chosen channel, naming who chose it, each with its workspace's token.
    const [acmeNews] = postsTo(bot, 'C0ACMEALERTS');
    expect(String(acmeNews?.body.text)).toContain(
      '<@U0ACMEADMIN> chose this channel for tokenfix outbreak alerts',
    );
    expect(bearer(acmeNews)).toBe(ACME.botToken);
    expect(bearer(postsTo(bot, 'C0GLOBEXOPS')[0])).toBe(GLOBEX.botToken);
    const [shown] = await command(bot, 'alerts', 'a2', acme);
    expect(String(shown?.text)).toContain('Outbreak alerts go to <#C0ACMEALERTS> (chosen by <@U0ACMEADMIN>)');

    bot.fake.reset();
    await reports(bot, 5, META_RESET, 'ACME', ACME);
    await reports(bot, 4, META_RESET, 'GLOBEX', GLOBEX);
    const acmeAlerts = alertsIn(bot, 'C0ACMEALERTS');
    expect(acmeAlerts).toHaveLength(1);
    expect(acmeAlerts[0]?.body.text).toBe(
      '🔑 tokenfix · Possible platform-wide event: 5 Meta security resets in the last hour across 5 channels',
    );
    expect(bearer(acmeAlerts[0])).toBe(ACME.botToken);
    // Globex's four are not added to Acme's five: no alert there yet.
    expect(alertsIn(bot, 'C0GLOBEXOPS')).toHaveLength(0);
    await reports(bot, 1, META_RESET, 'GLOBEXMORE', GLOBEX);
    const globexAlerts = alertsIn(bot, 'C0GLOBEXOPS');
    expect(globexAlerts).toHaveLength(1);
    expect(globexAlerts[0]?.body.text).toBe(
      '🔑 tokenfix · Possible platform-wide event: 5 Meta security resets in the last hour across 5 channels',
    );
    expect(bearer(globexAlerts[0])).toBe(GLOBEX.botToken);
    // The pointer on the outbreak's own messages names the workspace's channel.
    expect(String(postsTo(bot, 'C0GLOBEXMORE0')[0]?.body.text)).toContain('<#C0GLOBEXOPS>');
    expect(alertsIn(bot, 'C0ACMEALERTS')).toHaveLength(1);

    // Acme turns alerts off: its next outbreak gets cards; Globex's still alerts.
    bot.fake.reset();
    await command(bot, 'alerts off', 'a3', { ...acme, channel_id: 'C0ACMEGENERAL' });
    expect(String(postsTo(bot, 'C0ACMEGENERAL')[0]?.body.text)).toContain(
      '<@U0ACMEADMIN> turned tokenfix outbreak alerts off for this workspace',
    );
    await reports(bot, 5, META_EXPIRED, 'ACMEEXP', ACME);
    await reports(bot, 5, META_EXPIRED, 'GLOBEXEXP', GLOBEX);
    expect(alertsIn(bot, 'C0ACMEALERTS')).toHaveLength(0);
    expect(
      bot.fake
        .okCalls('chat.postMessage')
        .filter((c) => bearer(c) === ACME.botToken && /Possible/.test(String(c.body.text))),
    ).toHaveLength(0);
    expect(alertsIn(bot, 'C0GLOBEXOPS')).toHaveLength(1);
    const [off] = await command(bot, 'alerts', 'a4', acme);
    expect(String(off?.text)).toContain(
      'Outbreak alerts are *off* in this workspace (turned off by <@U0ACMEADMIN>)',
    );
  });

  it('answers bad input clearly: a DM, an unknown word', async () => {
    const [dm] = await command(bot, 'alerts here', 'd1', { ...acme, channel_id: 'D0ACMEDM' });
    expect(String(dm?.text)).toMatch(/go to a channel/);
    const [usage] = await command(bot, 'alerts loud', 'd2', acme);
    expect(String(usage?.text)).toMatch(/alerts here.*alerts off/);
    expect(await bot.store.getAlertChoice('T0ACME')).toBeNull();
  });
});

describe('outbreak alerts with a single bot token', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-alerts-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('without a choice ALERT_CHANNEL gets them; `alerts here` moves them; `alerts off` stops them', async () => {
    const store = await openStore(`sqlite:${join(tmp, 'one.db')}`);
    const bot = await startBot({ store, alertChannel: 'C0ALERTS' });
    try {
      const [before] = await command(bot, 'alerts', 's0', {});
      expect(String(before?.text)).toContain('<#C0ALERTS> (ALERT_CHANNEL, the default)');
      await reports(bot, 5, META_RESET, 'ONE');
      expect(alertsIn(bot, 'C0ALERTS')).toHaveLength(1);

      bot.fake.reset();
      await command(bot, 'alerts here', 's1', { channel_id: 'C0NEWHOME' });
      await reports(bot, 5, META_EXPIRED, 'TWO');
      expect(alertsIn(bot, 'C0NEWHOME')).toHaveLength(1);
      expect(alertsIn(bot, 'C0ALERTS')).toHaveLength(0);

      bot.fake.reset();
      await command(bot, 'alerts off', 's2', { channel_id: 'C0NEWHOME' });
      await reports(bot, 5, GOOGLE_GRANT, 'THREE');
      // Off overrides ALERT_CHANNEL: every report gets its own card.
      expect(
        bot.fake.okCalls('chat.postMessage').filter((c) => /Possible/.test(String(c.body.text))),
      ).toHaveLength(0);
      expect(bot.fake.okCalls('reactions.add')).toHaveLength(0);
      expect(bot.fake.violations).toEqual([]);
    } finally {
      await bot.close();
      await store.close();
    }
  });
});
