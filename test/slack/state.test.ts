/**
 * The bot with its store (a real SQLite file), over signed HTTP against the fake Slack: what is
 * recorded (and what never is), feedback that counts, channel settings from Slack, App Home figures
 * and outbreak alerts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ACTION_IDS, BLOCK_IDS } from '../../src/cards';
import type { Knowledge } from '../../src/diagnosis/knowledge';
import { redactSecrets } from '../../src/diagnosis/redact';
import { openStore, type Store } from '../../src/store';
import { blockKitProblems } from '../support/block-kit-limits';
import { knowledge, startBot, type TestBot } from '../support/bot';
import { type Call, FAKE_IDENTITY } from '../support/fake-slack';
import {
  blockAction,
  eventCallback,
  keyReaction,
  mentionEvent,
  messageEvent,
  messageShortcut,
  nextTs,
  slashCommand,
  TEAM,
  USER,
} from '../support/payloads';

const BOT = FAKE_IDENTITY.user_id;
const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
const GOOGLE_GRANT = 'Google Ads connector failed: invalid_grant: Token has been expired or revoked.';
const META_RESET = 'Error validating access token: The user has logged out. (#190) error_subcode 467';

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Array<Record<string, unknown>>;
};

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-state-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let files = 0;

async function sqliteStore(): Promise<{ store: Store; file: string }> {
  const file = join(tmp, `s${++files}`, 'tokenfix.db');
  return { store: await openStore(`sqlite:${file}`), file };
}

function rows(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const send = async (bot: TestBot, event: Record<string, unknown>, eventId?: string) => {
  const res = await bot.post('event', eventCallback(event, eventId));
  expect(res.status).toBe(200);
  await bot.idle();
};

const command = async (bot: TestBot, text: string, id: string, fields: Record<string, string> = {}) => {
  await bot.post('command', slashCommand(text, bot.fake.responseUrl(id), fields));
  await bot.idle();
  return bot.fake.responseUrlPosts.filter((p) => p.id === id && p.status === 200).map((p) => p.body);
};

const buttonValue = (blocks: Block[], actionId: string): string =>
  blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)?.value as string;

const postsTo = (bot: TestBot, channel: string): Call[] =>
  bot.fake.okCalls('chat.postMessage').filter((c) => c.body.channel === channel);

function withSettings(extra: Record<string, unknown>): Knowledge {
  const k = knowledge();
  return { ...k, settings: { ...k.settings, ...extra } as Knowledge['settings'] };
}

describe('with a SQLite store', () => {
  let bot: TestBot;
  let store: Store;
  let file: string;
  beforeAll(async () => {
    ({ store, file } = await sqliteStore());
    bot = await startBot({ store });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
  });
  afterEach(() => {
    expect(bot.fake.violations).toEqual([]);
    bot.fake.reset();
  });

  describe('what is recorded, and what never is', () => {
    const token = 'EAAGm0PX4ZCpsBAKxyz123plantedZZ';
    const phrase = 'quokka lighthouse marmalade';
    const secretText = `${phrase}: ${META_EXPIRED} access_token=${token}`;

    it('every entry point records one diagnosis (ids, platform, cause, code, hash, card key), never the text', async () => {
      const channel = 'C0RECORD';
      const passiveTs = nextTs();
      await send(bot, messageEvent({ channel, ts: passiveTs, text: secretText }));
      const mentionTs = nextTs();
      await send(bot, mentionEvent({ channel, ts: mentionTs, text: `<@${BOT}> ${secretText}` }));
      await send(bot, messageEvent({ channel: 'D0DM', channel_type: 'im', ts: nextTs(), text: secretText }));
      await command(bot, secretText, 'rec-cmd', { channel_id: channel });
      const shortcutTs = nextTs();
      await bot.post(
        'interactive',
        messageShortcut(
          { ts: shortcutTs, user: 'U0OTHER', text: secretText },
          bot.fake.responseUrl('rec-sc'),
          channel,
        ),
      );
      await bot.idle();
      const reactedTs = nextTs();
      bot.fake.addMessage(channel, { ts: reactedTs, user: 'U0OTHER', text: secretText });
      await send(bot, keyReaction({ channel, ts: reactedTs, itemUser: 'U0OTHER' }, { user: 'U0REACTOR' }));
      // Chat that is not a login error is not recorded.
      await send(bot, messageEvent({ channel, ts: nextTs(), text: `${phrase} lunch at noon?` }));

      const kept = rows(
        file,
        "SELECT entry_point, team_id, channel_id, user_id, platform, cause, error_code, is_token_error, message_hash, card_key, confidence FROM diagnoses WHERE card_key LIKE 'C0RECORD:%' OR entry_point IN ('dm', 'command') ORDER BY id",
      );
      expect(kept.map((r) => r.entry_point)).toEqual([
        'passive',
        'mention',
        'dm',
        'command',
        'shortcut',
        'reaction',
      ]);
      for (const r of kept) {
        expect(r).toMatchObject({
          team_id: TEAM,
          platform: 'meta',
          cause: 'token_max_lifetime',
          error_code: '190/463',
          is_token_error: 1,
        });
        expect(r.message_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(Number(r.confidence)).toBeGreaterThan(0);
      }
      expect(kept.map((r) => r.card_key)).toEqual([
        `${channel}:${passiveTs}`,
        `${channel}:${mentionTs}`,
        expect.stringMatching(/^D0DM:/),
        expect.stringMatching(/^cmd:/),
        `${channel}:${shortcutTs}`,
        `${channel}:${reactedTs}`,
      ]);
      // A DM is not a channel; the rest name theirs; users are who posted or asked.
      expect(kept.map((r) => r.channel_id)).toEqual([channel, channel, null, channel, channel, channel]);
      expect(kept.map((r) => r.user_id)).toEqual([USER, USER, USER, USER, USER, 'U0REACTOR']);
      // The same text hashes the same (repeats can be counted), keyed by the store's secret.
      expect(new Set(kept.map((r) => r.message_hash)).size).toBe(1);
      expect(kept[0]?.message_hash).toBe(store.hashMessage(redactSecrets(secretText).text));
    });

    it('a planted token and a distinctive phrase are nowhere in the SQLite files (db, -wal, -shm) or the logs', async () => {
      const needles = [token, token.slice(0, 14), phrase, 'quokka', 'marmalade'];
      const bytes = Buffer.concat(
        [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]
          .filter(existsSync)
          .map((f) => readFileSync(f)),
      );
      expect(bytes.length).toBeGreaterThan(4096);
      // The scan reads what was written: the card keys are there.
      expect(bytes.includes(Buffer.from('C0RECORD:'))).toBe(true);
      for (const n of needles) {
        for (const encoding of ['utf8', 'utf16le'] as const) {
          expect({ n, encoding, found: bytes.includes(Buffer.from(n, encoding)) }).toEqual({
            n,
            encoding,
            found: false,
          });
        }
        expect({ n, inLogs: bot.logs.some((l) => l.includes(n)) }).toEqual({ n, inLogs: false });
      }
    });
  });

  describe('feedback that counts', () => {
    it('one vote per person per card (a second click changes it); the card says who; "Still broken" offers the next cause; App Home is re-published', async () => {
      const channel = 'C0VOTES';
      const ts = nextTs();
      await send(bot, messageEvent({ channel, ts, text: GOOGLE_GRANT }));
      const card = postsTo(bot, channel)[0]?.body as { text: string; blocks: Block[] };
      const fixedValue = buttonValue(card.blocks, ACTION_IDS.fixed);
      const brokenValue = buttonValue(card.blocks, ACTION_IDS.stillBroken);
      expect(JSON.parse(fixedValue)).toMatchObject({ key: `${channel}:${ts}`, cause: 'unknown' });
      const next = JSON.parse(brokenValue).next[0] as string;
      const nextCause = knowledge().causes.get(next as never);
      expect(nextCause).toBeDefined();

      let shown: Block[] = card.blocks;
      const click = async (actionId: string, value: string, user: string) => {
        bot.fake.reset();
        await bot.post(
          'interactive',
          blockAction({
            actionId,
            value,
            user,
            channel,
            message: { ts: nextTs(), text: card.text, blocks: shown },
            responseUrl: bot.fake.responseUrl(`vote-${user}`),
          }),
        );
        await bot.idle();
        const update = bot.fake.okCalls('chat.update')[0]?.body as { blocks: Block[] };
        expect(update).toBeDefined();
        shown = update.blocks;
        expect(blockKitProblems({ text: 'x', blocks: shown })).toEqual([]);
        // No "couldn't save" notice: it was saved.
        expect(bot.fake.responseUrlPosts).toHaveLength(0);
        // The clicker's App Home shows the new figures.
        const home = bot.fake.okCalls('views.publish');
        expect(home.map((h) => h.body.user_id)).toEqual([user]);
        const view = home[0]?.body.view as { blocks: Block[] };
        expect(blockKitProblems({ blocks: view.blocks }, 'view')).toEqual([]);
        return JSON.stringify(shown);
      };
      const votes = () =>
        rows(file, `SELECT user_id, vote FROM votes WHERE card_key = '${channel}:${ts}' ORDER BY user_id`);

      let text = await click(ACTION_IDS.fixed, fixedValue, 'U0ONE');
      expect(text).toContain('✅ Fixed — confirmed by <@U0ONE>');
      expect(votes()).toEqual([{ user_id: 'U0ONE', vote: 'fixed' }]);

      text = await click(ACTION_IDS.stillBroken, brokenValue, 'U0ONE');
      expect(votes()).toEqual([{ user_id: 'U0ONE', vote: 'still_broken' }]);
      expect(text).toContain('Still broken — noted by <@U0ONE>.');
      expect(text).not.toContain('✅ Fixed —');
      expect(text).toContain(`Next most likely cause: ${nextCause?.title}`);
      expect(text).toContain(nextCause?.advice.trim().split('{')[0]?.slice(0, 40));
      // The buttons stay (anyone can vote, or change a vote), once each.
      expect(shown.filter((b) => b.block_id === BLOCK_IDS.feedback)).toHaveLength(1);

      text = await click(ACTION_IDS.fixed, fixedValue, 'U0TWO');
      expect(text).toContain('✅ Fixed — confirmed by <@U0TWO> · still broken for <@U0ONE>');
      expect(votes()).toEqual([
        { user_id: 'U0ONE', vote: 'still_broken' },
        { user_id: 'U0TWO', vote: 'fixed' },
      ]);
      expect(shown.filter((b) => b.block_id === 'tokenfix_next_cause')).toHaveLength(1);

      // App Home's fix rate counts the card as fixed.
      const s = await store.stats(TEAM, 7);
      expect(s.fixRate).toContainEqual(expect.objectContaining({ cause: 'unknown', cards: 1, fixed: 1 }));
    });

    it('a shared card keeps its private card’s key, so votes on it count for that diagnosis', async () => {
      const channel = 'C0SHARE';
      const [priv] = await command(bot, META_EXPIRED, 'sh', { channel_id: channel });
      const privBlocks = (priv as { blocks: Block[] }).blocks;
      const key = JSON.parse(buttonValue(privBlocks, ACTION_IDS.fixed)).key as string;
      expect(key).toMatch(/^cmd:/);
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.shareInChannel,
          blockId: BLOCK_IDS.share,
          value: buttonValue(privBlocks, ACTION_IDS.shareInChannel),
          ephemeral: true,
          user: USER,
          channel,
          responseUrl: bot.fake.responseUrl('sh-click'),
        }),
      );
      await bot.idle();
      const shared = postsTo(bot, channel)[0]?.body as { blocks: Block[] };
      expect(JSON.parse(buttonValue(shared.blocks, ACTION_IDS.fixed)).key).toBe(key);
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.fixed,
          value: buttonValue(shared.blocks, ACTION_IDS.fixed),
          channel,
          message: { ts: nextTs(), text: 'card', blocks: shared.blocks },
          responseUrl: bot.fake.responseUrl('sh-vote'),
        }),
      );
      await bot.idle();
      expect(rows(file, `SELECT team_id, channel_id, cause FROM votes WHERE card_key = '${key}'`)).toEqual([
        { team_id: TEAM, channel_id: channel, cause: 'token_max_lifetime' },
      ]);
    });
  });

  describe('channel settings from Slack', () => {
    const announcement = (channel: string) =>
      postsTo(bot, channel)
        .map((c) => String(c.body.text))
        .find((t) => t.includes('set tokenfix listening') || t.includes("other apps' messages"));

    it('listen react: only the emoji (the bot’s own :key: never triggers it); a person’s :key: gets the card', async () => {
      const channel = 'C0QUIET';
      expect(await command(bot, 'listen react', 'l1', { channel_id: channel })).toEqual([]);
      expect(announcement(channel)).toBe(
        `<@${USER}> set tokenfix listening in this channel to *react*: I only add a :key: reaction to login errors; react with it yourself (or use the message menu) for the card.`,
      );
      expect(
        rows(file, `SELECT listen_mode, updated_by FROM channel_settings WHERE channel_id = '${channel}'`),
      ).toEqual([{ listen_mode: 'react', updated_by: USER }]);
      bot.fake.reset();

      const ts = nextTs();
      bot.fake.addMessage(channel, { ts, user: 'U0CUSTOMER', text: META_EXPIRED });
      await send(bot, messageEvent({ channel, ts, user: 'U0CUSTOMER', text: META_EXPIRED }));
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);
      expect(bot.fake.okCalls('reactions.add').map((c) => c.body)).toEqual([
        expect.objectContaining({ channel, timestamp: ts, name: 'key' }),
      ]);
      // Recorded all the same (App Home and outbreaks count it).
      expect(rows(file, `SELECT entry_point FROM diagnoses WHERE card_key = '${channel}:${ts}'`)).toEqual([
        { entry_point: 'passive' },
      ]);

      // Slack tells us about our own reaction: ignored.
      const reaction = (user: string) => ({
        type: 'reaction_added',
        user,
        reaction: 'key',
        item_user: 'U0CUSTOMER',
        event_ts: nextTs(),
        item: { type: 'message', channel, ts },
      });
      await send(bot, reaction(BOT));
      expect(bot.fake.callsTo('conversations.history')).toHaveLength(0);
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);

      // Somebody clicks it: the card, in the thread, with the same key (one diagnosis, not two).
      await send(bot, reaction('U0AGENT'));
      const card = postsTo(bot, channel);
      expect(card).toHaveLength(1);
      expect(card[0]?.body.thread_ts).toBe(ts);
      expect(JSON.parse(buttonValue(card[0]?.body.blocks as Block[], ACTION_IDS.fixed)).key).toBe(
        `${channel}:${ts}`,
      );
      expect(rows(file, `SELECT count(*) AS n FROM diagnoses WHERE card_key = '${channel}:${ts}'`)).toEqual([
        { n: 1 },
      ]);
    });

    it('listen off: nothing; listen reply: the card again; listen alone shows the setting; nonsense gets the usage', async () => {
      const channel = 'C0OFF';
      await command(bot, 'LISTEN off', 'o1', { channel_id: channel });
      expect(announcement(channel)).toMatch(/to \*off\*/);
      bot.fake.reset();
      await send(bot, messageEvent({ channel, ts: nextTs(), text: META_EXPIRED }));
      expect(bot.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);

      const [status] = await command(bot, 'listen', 'o2', { channel_id: channel });
      expect(String(status?.text)).toMatch(/Listening here:\* off/);
      expect(String(status?.text)).toContain(`<@${USER}>`);
      const [usage] = await command(bot, 'listen loudly', 'o3', { channel_id: channel });
      expect(String(usage?.text)).toMatch(/listen reply.*listen react.*listen off/);

      await command(bot, 'listen reply', 'o4', { channel_id: channel });
      bot.fake.reset();
      await send(bot, messageEvent({ channel, ts: nextTs(), text: META_EXPIRED }));
      expect(postsTo(bot, channel)).toHaveLength(1);
    });

    it('bots on|off: other apps’ messages are read where it is on; elsewhere the knowledge default (off) holds', async () => {
      const alert = (channel: string) =>
        messageEvent({
          channel,
          ts: nextTs(),
          subtype: 'bot_message',
          bot_id: 'B0ALERTS',
          text: '',
          attachments: [{ title: 'Sync failed', text: META_EXPIRED }],
        });
      await send(bot, alert('C0NOBOTS'));
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);

      await command(bot, 'bots on', 'b1', { channel_id: 'C0BOTS' });
      expect(announcement('C0BOTS')).toBe(
        `<@${USER}> turned on reading other apps' messages here: I now diagnose connector alerts posted by bots in this channel too.`,
      );
      bot.fake.reset();
      await send(bot, alert('C0BOTS'));
      expect(postsTo(bot, 'C0BOTS')).toHaveLength(1);

      await command(bot, 'bots off', 'b2', { channel_id: 'C0BOTS' });
      bot.fake.reset();
      await send(bot, alert('C0BOTS'));
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);
      // Turning bots off kept the listening mode, and vice versa.
      expect(
        rows(file, "SELECT listen_mode, read_bots FROM channel_settings WHERE channel_id = 'C0BOTS'"),
      ).toEqual([{ listen_mode: 'reply', read_bots: 0 }]);
    });

    it('with the knowledge default readBotMessages on, a channel’s first `listen` change keeps it', async () => {
      const { store: own } = await sqliteStore();
      const other = await startBot({ store: own, knowledge: withSettings({ readBotMessages: true }) });
      try {
        await command(other, 'listen react', 'kb', { channel_id: 'C0KEEP' });
        expect(await own.getChannelSettings(TEAM, 'C0KEEP')).toMatchObject({
          listenMode: 'react',
          readBots: true,
        });
      } finally {
        await other.close();
        await own.close();
      }
    });

    it('where the bot is not a member the change is announced through the response_url', async () => {
      bot.fake.fail('chat.postMessage', { error: 'not_in_channel' });
      const answers = await command(bot, 'listen react', 'nm', { channel_id: 'C0NOTIN' });
      expect(answers[0]).toMatchObject({ response_type: 'in_channel' });
      expect(String(answers[0]?.text)).toContain(`<@${USER}> set tokenfix listening`);
      expect(String(answers[1]?.text)).toMatch(/invite me/);
    });

    it('/tokenfix stats answers privately with the channel’s figures; in a DM it points to the channel', async () => {
      const [stats] = await command(bot, 'stats', 'st', { channel_id: 'C0RECORD' });
      expect(stats).toMatchObject({ response_type: 'ephemeral' });
      const text = JSON.stringify(stats);
      expect(text).toContain('tokenfix in <#C0RECORD>');
      expect(text).toContain('The login reached its time limit: ');
      expect(blockKitProblems(stats as { text: string; blocks: unknown[] })).toEqual([]);
      const [dm] = await command(bot, 'stats', 'st-dm', { channel_id: 'D0DM' });
      expect(String(dm?.text)).toMatch(/per channel/);
    });

    it('the help card tells about the channel commands', async () => {
      const [help] = await command(bot, 'help', 'hp');
      const text = JSON.stringify(help);
      for (const c of [
        '/tokenfix listen react',
        '/tokenfix bots on|off',
        '/tokenfix stats',
        '/tokenfix alerts here|off',
      ])
        expect(text).toContain(c);
    });
  });

  describe('App Home', () => {
    it('shows 7 and 30 days by platform and cause, fix rate, top channels (private ones only in aggregate) and what is still broken, within 100 blocks', async () => {
      const { store: own, file: ownFile } = await sqliteStore();
      const home = await startBot({ store: own });
      try {
        const platforms = knowledge()
          .platforms.map((p) => p.id)
          .slice(0, 14);
        const causes = [...knowledge().causes.keys()];
        const now = Date.now();
        for (let i = 0; i < 300; i++) {
          const channel = `C0CH${i % 25}`;
          await own.recordDiagnosis({
            at: now - (i % 29) * 86_400_000 - 1_000,
            team: TEAM,
            channel,
            user: `U0P${i % 7}`,
            entryPoint: 'passive',
            platform: platforms[i % platforms.length] as string,
            cause: causes[i % causes.length] as string,
            confidence: 0.9,
            errorCode: null,
            isTokenError: true,
            messageHash: own.hashMessage(String(i)),
            cardKey: `${channel}:${i}.000100`,
          });
          if (i % 3 === 0)
            await own.recordVote(`${channel}:${i}.000100`, 'U0VOTER', i % 2 ? 'fixed' : 'still_broken');
        }
        for (let i = 0; i < 25; i++) await own.noteChannelKind(TEAM, `C0CH${i}`, i % 2 === 1);
        await send(home, {
          type: 'app_home_opened',
          user: 'U0LEAD',
          channel: 'D0HOME',
          tab: 'home',
          event_ts: nextTs(),
        });
        const view = home.fake.okCalls('views.publish')[0]?.body.view as { type: string; blocks: Block[] };
        expect(view.type).toBe('home');
        expect(view.blocks.length).toBeLessThanOrEqual(100);
        expect(blockKitProblems({ blocks: view.blocks }, 'view')).toEqual([]);
        expect(home.fake.violations).toEqual([]);
        const text = JSON.stringify(view.blocks);
        for (const want of [
          'Last 7 days',
          'Last 30 days',
          'By platform',
          'By cause (top 10)',
          'Fix rate from feedback',
          'Channels with most login errors',
          'Still broken',
        ]) {
          expect(text).toContain(want);
        }
        // Public channels by name; private ones never, only counted together.
        expect(text).toMatch(/<#C0CH\d*[02468]>/);
        for (let i = 1; i < 25; i += 2) expect(text).not.toContain(`C0CH${i}>`);
        expect(text).toContain('private channels and DMs');
        // The five ways in are still there.
        expect(text).toContain('/tokenfix');
        expect(existsSync(ownFile)).toBe(true);
      } finally {
        await home.close();
        await own.close();
      }
    });
  });

  describe('outbreak alerts', () => {
    it('one alert when a platform+cause passes the thresholds; then passive listening reacts and points to it instead of a card per message', async () => {
      const { store: own } = await sqliteStore();
      const ob = await startBot({ store: own, alertChannel: 'C0ALERTS' });
      try {
        const channels = ['C0A1', 'C0A2', 'C0A3', 'C0A4'];
        for (let i = 0; i < 4; i++) {
          await send(
            ob,
            messageEvent({ channel: channels[i], user: `U0C${i}`, ts: nextTs(), text: META_RESET }),
          );
        }
        expect(postsTo(ob, 'C0ALERTS')).toHaveLength(0);
        expect(ob.fake.okCalls('chat.postMessage')).toHaveLength(4); // four cards so far
        ob.fake.reset();

        const fifth = nextTs();
        await send(ob, messageEvent({ channel: 'C0A1', user: 'U0C9', ts: fifth, text: META_RESET }));
        const alerts = postsTo(ob, 'C0ALERTS');
        expect(alerts).toHaveLength(1);
        expect(alerts[0]?.body.text).toBe(
          '🔑 tokenfix · Possible platform-wide event: 5 Meta security resets in the last hour across 4 channels',
        );
        // The fifth message itself: the emoji and a pointer, not a full card.
        const pointer = postsTo(ob, 'C0A1');
        expect(pointer).toHaveLength(1);
        expect(String(pointer[0]?.body.text)).toContain('<#C0ALERTS>');
        expect(JSON.stringify(pointer[0]?.body.blocks)).not.toContain(ACTION_IDS.fixed);
        expect(ob.fake.okCalls('reactions.add').map((c) => c.body.timestamp)).toEqual([fifth]);

        // More of the same: reactions and pointers (once per thread), never a second alert.
        ob.fake.reset();
        const sixth = nextTs();
        await send(ob, messageEvent({ channel: 'C0A2', user: 'U0C8', ts: sixth, text: META_RESET }));
        await send(
          ob,
          messageEvent({ channel: 'C0A2', user: 'U0C7', ts: nextTs(), thread_ts: sixth, text: META_RESET }),
        );
        expect(postsTo(ob, 'C0ALERTS')).toHaveLength(0);
        expect(ob.fake.okCalls('reactions.add')).toHaveLength(2);
        expect(postsTo(ob, 'C0A2')).toHaveLength(1);
        // An explicit ask still gets the full card.
        await send(ob, mentionEvent({ channel: 'C0A3', ts: nextTs(), text: `<@${BOT}> ${META_RESET}` }));
        expect(JSON.stringify(postsTo(ob, 'C0A3')[0]?.body.blocks)).toContain(ACTION_IDS.fixed);
        // Another cause is not part of it.
        await send(ob, messageEvent({ channel: 'C0A4', ts: nextTs(), text: META_EXPIRED }));
        expect(JSON.stringify(postsTo(ob, 'C0A4')[0]?.body.blocks)).toContain(ACTION_IDS.fixed);
        expect(ob.fake.violations).toEqual([]);
      } finally {
        await ob.close();
        await own.close();
      }
    });

    it('without ALERT_CHANNEL there are no alerts and every message gets its card', async () => {
      const { store: own } = await sqliteStore();
      const quiet = await startBot({ store: own });
      try {
        for (let i = 0; i < 6; i++) {
          await send(
            quiet,
            messageEvent({ channel: `C0B${i}`, user: `U0B${i}`, ts: nextTs(), text: META_RESET }),
          );
        }
        expect(quiet.fake.okCalls('chat.postMessage')).toHaveLength(6);
        expect(quiet.fake.okCalls('reactions.add')).toHaveLength(0);
      } finally {
        await quiet.close();
        await own.close();
      }
    });
  });
});

describe('app_uninstalled with a single SLACK_BOT_TOKEN', () => {
  it('forgets what the store kept about the workspace: diagnoses, votes, settings, reminders (and only its)', async () => {
    const { store, file } = await sqliteStore();
    const bot = await startBot({ store });
    try {
      // A diagnosis (by mention), a channel setting and a reminder for this workspace; a setting for another.
      await bot.post(
        'event',
        eventCallback(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` })),
      );
      await bot.idle();
      await store.setChannelSettings(TEAM, 'C0HELP', { listenMode: 'react' }, USER);
      await store.setChannelSettings('T0OTHER', 'C0ELSE', { listenMode: 'off' }, USER);
      await store.addReminder({
        id: 'Q0SINGLE001',
        team: TEAM,
        user: USER,
        channel: 'D0DM',
        platform: 'meta',
        postAt: Date.now() + 50 * 86_400_000,
      });
      expect(rows(file, `SELECT count(*) AS n FROM diagnoses WHERE team_id = '${TEAM}'`)[0]?.n).toBe(1);

      expect((await bot.post('event', eventCallback({ type: 'app_uninstalled' }))).status).toBe(200);
      await bot.idle();

      for (const table of ['diagnoses', 'daily_causes', 'channel_settings', 'reminders']) {
        expect(rows(file, `SELECT count(*) AS n FROM ${table} WHERE team_id = '${TEAM}'`)[0]?.n).toBe(0);
      }
      expect((await store.getChannelSettings('T0OTHER', 'C0ELSE')).listenMode).toBe('off');
    } finally {
      await bot.close();
      await store.close();
    }
  });

  it('an org-wide install: the uninstall forgets what the workspaces seen through the org left (and only that)', async () => {
    const { store, file } = await sqliteStore();
    const bot = await startBot({ store });
    // As Slack sends events for an org-wide install: the org in `authorizations`.
    const throughOrg = (event: Record<string, unknown>) => {
      const body = eventCallback(event);
      body.enterprise_id = 'E0GRID';
      body.authorizations = [
        {
          enterprise_id: 'E0GRID',
          team_id: null,
          user_id: BOT,
          is_bot: true,
          is_enterprise_install: true,
        },
      ];
      return body;
    };
    try {
      await bot.post('event', throughOrg(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` })));
      await bot.idle();
      await store.setChannelSettings(TEAM, 'C0HELP', { listenMode: 'react' }, USER);
      await store.setChannelSettings('T0OTHER', 'C0ELSE', { listenMode: 'off' }, USER);
      expect(rows(file, 'SELECT team_id, enterprise_id FROM team_enterprises')).toEqual([
        { team_id: TEAM, enterprise_id: 'E0GRID' },
      ]);

      expect((await bot.post('event', throughOrg({ type: 'app_uninstalled' }))).status).toBe(200);
      await bot.idle();

      for (const table of ['diagnoses', 'daily_causes', 'channel_settings', 'team_enterprises']) {
        expect(rows(file, `SELECT count(*) AS n FROM ${table} WHERE team_id = '${TEAM}'`)[0]?.n).toBe(0);
      }
      expect((await store.getChannelSettings('T0OTHER', 'C0ELSE')).listenMode).toBe('off');
    } finally {
      await bot.close();
      await store.close();
    }
  });

  it('team_access_revoked (an org-level token): forgets the listed workspaces seen through the org, and only them', async () => {
    const { store, file } = await sqliteStore();
    const bot = await startBot({ store });
    const throughOrg = (event: Record<string, unknown>, team: string) => {
      const body = eventCallback(event);
      body.team_id = team;
      body.enterprise_id = 'E0GRID';
      body.authorizations = [
        { enterprise_id: 'E0GRID', team_id: team, user_id: BOT, is_bot: true, is_enterprise_install: true },
      ];
      return body;
    };
    try {
      await bot.post(
        'event',
        throughOrg(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` }), TEAM),
      );
      await bot.idle();
      for (const team of [TEAM, 'T0SUPPORT']) {
        await store.setChannelSettings(team, 'C0HELP', { listenMode: 'react' }, USER);
        await store.installations.noteTeamEnterprise(team, 'E0GRID');
      }
      const count = (table: string, team: string) =>
        rows(file, `SELECT count(*) AS n FROM ${table} WHERE team_id = '${team}'`)[0]?.n;
      const revoke = async (teams: string[]) => {
        const body = throughOrg({ type: 'team_access_revoked', team_ids: teams }, TEAM);
        body.team_id = null;
        expect((await bot.post('event', body)).status).toBe(200);
        await bot.idle();
      };

      // Another workspace of the org: nothing of these two goes.
      await revoke(['T0ELSE']);
      expect(count('diagnoses', TEAM)).toBe(1);
      await revoke([TEAM]);
      for (const table of ['diagnoses', 'daily_causes', 'channel_settings', 'team_enterprises']) {
        expect(count(table, TEAM)).toBe(0);
      }
      expect(count('channel_settings', 'T0SUPPORT')).toBe(1);
      expect(count('team_enterprises', 'T0SUPPORT')).toBe(1);

      // No org id anywhere: the org that lost access can't be told from another; kept, with a warning.
      await store.installations.save({
        key: 'E:E0GRID',
        enterpriseId: 'E0GRID',
        teamId: null,
        isEnterpriseInstall: true,
        sealed: 'v1.aXY.dGFn.Ym9keQ',
      });
      const body = eventCallback({ type: 'team_access_revoked', team_ids: ['T0SUPPORT'] });
      body.team_id = null;
      body.authorizations = [];
      expect((await bot.post('event', body)).status).toBe(200);
      await bot.idle();
      expect(count('channel_settings', 'T0SUPPORT')).toBe(1);
      expect(bot.logs.some((l) => l.includes('team_access_revoked without an org id'))).toBe(true);
    } finally {
      await bot.close();
      await store.close();
    }
  });
});
