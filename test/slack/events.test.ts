import type { Knowledge } from '../../src/diagnosis/knowledge';
import { type Claims, MemoryClaims } from '../../src/slack/dedupe';
import { knowledge, startBot, type TestBot, UNCAPPED } from '../support/bot';
import { FAKE_IDENTITY } from '../support/fake-slack';
import { CHANNEL, eventCallback, mentionEvent, messageEvent, nextTs, USER } from '../support/payloads';

const BOT = FAKE_IDENTITY.user_id;
const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
const GOOGLE_GRANT = 'Google Ads connector failed: invalid_grant: Token has been expired or revoked.';

function withSettings(extra: Record<string, unknown>): Knowledge {
  const k = knowledge();
  return { ...k, settings: { ...k.settings, ...extra } as Knowledge['settings'] };
}

describe('events over signed HTTP', () => {
  let bot: TestBot;
  beforeAll(async () => {
    // Many token errors in one channel within a minute here: the reply cap has its own tests.
    bot = await startBot({ knowledge: withSettings(UNCAPPED) });
  });
  afterAll(async () => {
    await bot.close();
  });
  afterEach(() => {
    expect(bot.fake.violations).toEqual([]);
    bot.fake.reset();
  });

  const posts = () => bot.fake.okCalls('chat.postMessage');
  const send = async (event: Record<string, unknown>, eventId?: string) => {
    const res = await bot.post('event', eventCallback(event, eventId));
    expect(res.status).toBe(200);
    await bot.idle();
  };

  describe('@mention', () => {
    it('diagnoses the text without the mention and replies in the thread', async () => {
      const ts = nextTs();
      await send(mentionEvent({ ts, text: `<@${BOT}> can you look? ${META_EXPIRED}` }));
      expect(posts()).toHaveLength(1);
      expect(posts()[0]?.body).toMatchObject({ channel: CHANNEL, thread_ts: ts });
      expect(String(posts()[0]?.body.text)).toMatch(/Meta|Facebook/);
    });

    it('replies inside the thread it was asked in', async () => {
      const parent = nextTs();
      await send(mentionEvent({ ts: nextTs(), thread_ts: parent, text: `<@${BOT}> ${GOOGLE_GRANT}` }));
      expect(posts()[0]?.body.thread_ts).toBe(parent);
    });

    it('a bare mention in a thread diagnoses only the thread’s first message', async () => {
      const parent = nextTs();
      bot.fake.addMessage(CHANNEL, { ts: parent, user: 'U0OTHER', text: META_EXPIRED });
      bot.fake.addMessage(CHANNEL, { ts: nextTs(), thread_ts: parent, user: 'U0OTHER', text: 'any ideas?' });
      await send(mentionEvent({ ts: nextTs(), thread_ts: parent, text: `<@${BOT}>` }));
      const fetches = bot.fake.callsTo('conversations.replies');
      expect(fetches).toHaveLength(1);
      expect(fetches[0]?.body).toMatchObject({ channel: CHANNEL, ts: parent, limit: '1' });
      expect(posts()).toHaveLength(1);
      expect(posts()[0]?.body.thread_ts).toBe(parent);
      expect(String(posts()[0]?.body.text)).toMatch(/Meta|Facebook/);
    });

    it('a bare mention outside a thread gets the help card', async () => {
      const ts = nextTs();
      await send(mentionEvent({ ts, text: `<@${BOT}>` }));
      expect(bot.fake.callsTo('conversations.replies')).toHaveLength(0);
      expect(posts()[0]?.body.thread_ts).toBe(ts);
      expect(String(posts()[0]?.body.text)).toMatch(/tokenfix/);
    });

    it('answers a mention heard twice (app_mention and message) once, in either order', async () => {
      for (const order of [
        ['app_mention', 'message'],
        ['message', 'app_mention'],
      ]) {
        const ts = nextTs();
        const text = `<@${BOT}> ${META_EXPIRED}`;
        for (const kind of order) {
          await send(kind === 'app_mention' ? mentionEvent({ ts, text }) : messageEvent({ ts, text }));
        }
        expect(posts()).toHaveLength(1);
        bot.fake.reset();
      }
    });

    it('tells the asker privately when it cannot post in the channel', async () => {
      bot.fake.fail('chat.postMessage', { error: 'not_in_channel' });
      await send(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` }));
      const notice = posts().find((c) => c.body.channel === USER);
      expect(String(notice?.body.text)).toMatch(/not a member/);
      expect(bot.logs.some((l) => l.includes('"code":"not_in_channel"'))).toBe(true);
    });
  });

  describe('Slack’s delivery rules', () => {
    it('the same event delivered twice gets one reply', async () => {
      const event = mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` });
      await send(event, 'EvSAME1');
      await send(event, 'EvSAME1');
      expect(posts()).toHaveLength(1);
    });

    it('a 429 with Retry-After on the first post: the reply still arrives, once', async () => {
      bot.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
      const started = Date.now();
      await send(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` }));
      expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(2);
      expect(posts()).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('a 5xx on the first post is retried: one reply', async () => {
      bot.fake.fail('chat.postMessage', { status: 503 });
      await send(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` }));
      expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(2);
      expect(posts()).toHaveLength(1);
    });

    it('retries end: persistent 5xx is logged, the process keeps serving', async () => {
      bot.fake.fail('chat.postMessage', { status: 500 }, 10);
      await send(messageEvent({ ts: nextTs(), text: META_EXPIRED }));
      expect(posts()).toHaveLength(0);
      expect(bot.logs.some((l) => l.includes('"kind":"server_error"'))).toBe(true);
      bot.fake.reset();
      await send(messageEvent({ ts: nextTs(), text: META_EXPIRED }));
      expect(posts()).toHaveLength(1);
    });
  });

  describe('passive listening', () => {
    it('answers a token error in its thread, and nothing else', async () => {
      const ts = nextTs();
      await send(messageEvent({ ts, text: GOOGLE_GRANT }));
      await send(
        messageEvent({
          ts: nextTs(),
          text: 'the dashboard looks great, thanks for the token of appreciation',
        }),
      );
      expect(posts()).toHaveLength(1);
      expect(posts()[0]?.body).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    });

    it('replies in the thread of a thread reply, never top-level', async () => {
      const parent = nextTs();
      await send(messageEvent({ ts: nextTs(), thread_ts: parent, text: META_EXPIRED }));
      expect(posts()[0]?.body.thread_ts).toBe(parent);
    });

    it('answers a platform+cause once per thread', async () => {
      const parent = nextTs();
      await send(messageEvent({ ts: parent, text: META_EXPIRED }));
      await send(messageEvent({ ts: nextTs(), thread_ts: parent, text: `still: ${META_EXPIRED}` }));
      expect(posts()).toHaveLength(1);
      await send(messageEvent({ ts: nextTs(), text: META_EXPIRED }));
      expect(posts()).toHaveLength(2);
    });

    it('ignores the bot’s own messages (loop guard)', async () => {
      await send(messageEvent({ ts: nextTs(), user: BOT, bot_id: FAKE_IDENTITY.bot_id, text: META_EXPIRED }));
      await send(
        messageEvent({
          ts: nextTs(),
          subtype: 'bot_message',
          bot_id: FAKE_IDENTITY.bot_id,
          text: META_EXPIRED,
        }),
      );
      await send(mentionEvent({ ts: nextTs(), user: BOT, text: `<@${BOT}> ${META_EXPIRED}` }));
      expect(posts()).toHaveLength(0);
    });

    it('ignores edits, deletions, joins and other subtypes', async () => {
      await send(
        messageEvent({
          subtype: 'message_changed',
          hidden: true,
          message: { text: META_EXPIRED, ts: nextTs() },
        }),
      );
      await send(messageEvent({ subtype: 'message_deleted', hidden: true, deleted_ts: nextTs() }));
      await send(messageEvent({ subtype: 'channel_join', text: `<@${USER}> has joined the channel` }));
      await send(messageEvent({ subtype: 'channel_topic', text: META_EXPIRED }));
      expect(posts()).toHaveLength(0);
    });

    it('ignores other apps’ messages by default', async () => {
      await send(
        messageEvent({
          ts: nextTs(),
          subtype: 'bot_message',
          bot_id: 'B0ALERTS',
          username: 'Connector alerts',
          attachments: [
            { color: 'danger', title: 'Sync failed', text: META_EXPIRED, fallback: 'Sync failed' },
          ],
        }),
      );
      expect(posts()).toHaveLength(0);
    });

    it('reads a 40,000-character message quickly and answers within Block Kit limits', async () => {
      const chatter = 'just some ordinary log output, nothing to see here. '.repeat(800).slice(0, 39_000);
      const text = `${chatter}\n${META_EXPIRED}\n${'x'.repeat(40_000 - chatter.length - META_EXPIRED.length - 2)}`;
      expect(text).toHaveLength(40_000);
      const started = Date.now();
      await send(messageEvent({ ts: nextTs(), text }));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(posts()).toHaveLength(1);
      expect(JSON.stringify(posts()[0]?.body.blocks).length).toBeLessThan(10_000);
    });
  });

  describe('direct messages', () => {
    const dm = (fields: Record<string, unknown>) =>
      messageEvent({ channel: 'D0DIRECT', channel_type: 'im', ts: nextTs(), ...fields });

    it('answers every message: a token error gets the card', async () => {
      await send(dm({ text: GOOGLE_GRANT }));
      expect(posts()[0]?.body).toMatchObject({ channel: 'D0DIRECT' });
      expect(posts()[0]?.body.thread_ts).toBeUndefined();
    });

    it('answers anything else with the not-a-login card, and "help" with the help card', async () => {
      await send(dm({ text: 'why is my dashboard slow today?' }));
      await send(dm({ text: 'help' }));
      expect(posts()).toHaveLength(2);
      expect(String(posts()[0]?.body.text)).toMatch(/login/i);
      expect(String(posts()[1]?.body.text)).toMatch(/tokenfix/);
    });
  });

  describe(':key: reaction', () => {
    const reaction = (fields: Record<string, unknown>, item: Record<string, unknown>) => ({
      type: 'reaction_added',
      user: USER,
      reaction: 'key',
      item_user: 'U0ALERTBOT',
      event_ts: nextTs(),
      ...fields,
      item: { type: 'message', channel: CHANNEL, ...item },
    });

    it('diagnoses the message (read alone) and replies in its thread', async () => {
      const ts = nextTs();
      bot.fake.addMessage(CHANNEL, {
        ts,
        bot_id: 'B0ALERTS',
        attachments: [{ title: 'Sync failed', text: GOOGLE_GRANT }],
      });
      await send(reaction({}, { ts }));
      expect(bot.fake.callsTo('conversations.history')[0]?.body).toMatchObject({
        channel: CHANNEL,
        latest: ts,
        inclusive: 'true',
        limit: '1',
      });
      expect(posts()).toHaveLength(1);
      expect(posts()[0]?.body.thread_ts).toBe(ts);
      expect(String(posts()[0]?.body.text)).toMatch(/Google/);
    });

    it('finds a thread reply and answers in that thread', async () => {
      const parent = nextTs();
      const reply = nextTs();
      bot.fake.addMessage(CHANNEL, { ts: parent, user: 'U0OTHER', text: 'sync broke again' });
      bot.fake.addMessage(CHANNEL, { ts: reply, thread_ts: parent, user: 'U0OTHER', text: META_EXPIRED });
      await send(reaction({ reaction: 'key::skin-tone-3' }, { ts: reply }));
      expect(posts()).toHaveLength(1);
      expect(posts()[0]?.body.thread_ts).toBe(parent);
      expect(String(posts()[0]?.body.text)).toMatch(/Meta|Facebook/);
    });

    it('ignores other emoji, the bot’s own reactions and reactions on the bot’s cards', async () => {
      const ts = nextTs();
      bot.fake.addMessage(CHANNEL, { ts, user: 'U0OTHER', text: META_EXPIRED });
      await send(reaction({ reaction: 'eyes' }, { ts }));
      await send(reaction({ user: BOT }, { ts }));
      await send(reaction({ item_user: BOT }, { ts }));
      expect(bot.fake.callsTo('conversations.history')).toHaveLength(0);
      expect(posts()).toHaveLength(0);
    });
  });

  describe('App Home', () => {
    it('publishes the home tab (five ways in) when opened, not again right away', async () => {
      const open = {
        type: 'app_home_opened',
        user: 'U0HOMEUSER',
        channel: 'D0HOME',
        tab: 'home',
        event_ts: nextTs(),
      };
      await send(open);
      await send({ ...open, event_ts: nextTs() });
      await send({ ...open, tab: 'messages', event_ts: nextTs() });
      const publishes = bot.fake.okCalls('views.publish');
      expect(publishes).toHaveLength(1);
      const view = publishes[0]?.body.view as { type: string; blocks: unknown[] };
      expect(publishes[0]?.body.user_id).toBe('U0HOMEUSER');
      expect(view.type).toBe('home');
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      expect(JSON.stringify(view)).toContain('/tokenfix');
    });
  });
});

describe('passive listening with settings.readBotMessages on', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot({ knowledge: withSettings({ readBotMessages: true }) });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('answers another app’s alert (text in attachments), still never its own', async () => {
    const ts = nextTs();
    const alert = messageEvent({
      ts,
      subtype: 'bot_message',
      bot_id: 'B0ALERTS',
      text: '',
      attachments: [
        { color: 'danger', pretext: 'Connector alert', fields: [{ title: 'Error', value: META_EXPIRED }] },
      ],
    });
    await bot.post('event', eventCallback(alert));
    await bot.post(
      'event',
      eventCallback(
        messageEvent({ ts: nextTs(), bot_id: FAKE_IDENTITY.bot_id, user: BOT, text: META_EXPIRED }),
      ),
    );
    await bot.idle();
    const posts = bot.fake.okCalls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.thread_ts).toBe(ts);
    expect(bot.fake.violations).toEqual([]);
  });
});

describe('passive listening and the learned model (settings.modelAnswersPassive)', () => {
  // pc-086 in the corpus, quoted from github.com/phw198/OutlookGoogleCalendarSync/issues/1572: no code and
  // no wording the rules know, so only the learned model reads it as a lapsed login (the example follows
  // the committed weights and the rules: pc10-167, used before, is now read by an own-words phrase).
  const ONLY_THE_MODEL_READS_IT =
    "When app syncs it now manually attempts to connect to Google, asking me to select an account / log in via Chrome, then it says 'App blocked'. I have tried Google security settings and cannot find a way to get OGCS to work again. I have not recently changed anything and app was working fine until yesterday (20.12.22).";
  const replies = async (modelAnswersPassive: boolean) => {
    const bot = await startBot({ knowledge: withSettings({ modelAnswersPassive }) });
    try {
      const ts = nextTs();
      await bot.post('event', eventCallback(messageEvent({ ts, text: ONLY_THE_MODEL_READS_IT })));
      await bot.idle();
      expect(bot.fake.violations).toEqual([]);
      return bot.fake.okCalls('chat.postMessage');
    } finally {
      await bot.close();
    }
  };

  it('on: answers in the thread, and the card says it is the model’s reading', async () => {
    const posts = await replies(true);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body)).toMatch(/learned model’s reading/);
  });

  it('off (as shipped, docs/EVALUATION.md, point 9): the rules alone, which stay quiet', async () => {
    expect(knowledge().settings.modelAnswersPassive).toBe(false);
    expect(await replies(false)).toHaveLength(0);
  });
});

describe('passive listening and the refusal check (settings.refusalCheck)', () => {
  // A credential refused, told by a person with nothing saying it had worked: as likely a new or wrong
  // key as a lapse (docs/EVALUATION.md, points 17 and 18), so unasked it gets no reply; asked for, it gets its card.
  const REFUSED_NEW_KEY =
    'I created a new API key in my Mailchimp account and I keep getting "Invalid API key".';
  const LOGIN_CARD = /Login error on Mailchimp/;
  /** The replies' texts: to the message heard unasked, then to a :key: reaction on it. */
  const heard = async (refusalCheck: Knowledge['settings']['refusalCheck']) => {
    const bot = await startBot({ knowledge: withSettings({ refusalCheck }) });
    try {
      const ts = nextTs();
      bot.fake.addMessage(CHANNEL, { ts, user: 'U0OTHER', text: REFUSED_NEW_KEY });
      await bot.post('event', eventCallback(messageEvent({ ts, text: REFUSED_NEW_KEY })));
      await bot.idle();
      const texts = () => bot.fake.okCalls('chat.postMessage').map((c) => String(c.body.text));
      const unasked = texts();
      const reactions = bot.fake.okCalls('reactions.add').length;
      await bot.post(
        'event',
        eventCallback({
          type: 'reaction_added',
          user: USER,
          reaction: 'key',
          item_user: 'U0OTHER',
          event_ts: nextTs(),
          item: { type: 'message', channel: CHANNEL, ts },
        }),
      );
      await bot.idle();
      expect(bot.fake.violations).toEqual([]);
      return { unasked, reactions, asked: texts().slice(unasked.length) };
    } finally {
      await bot.close();
    }
  };

  it('passive (as shipped): no reply unasked, the login card when somebody reacts with :key:', async () => {
    expect(knowledge().settings.refusalCheck).toBe('passive');
    const { unasked, reactions, asked } = await heard('passive');
    expect(unasked).toEqual([]);
    expect(reactions).toBe(0);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(LOGIN_CARD);
  });

  it('all: the :key: ask is held back too ("not a login error"); off: passive listening answers it', async () => {
    const all = await heard('all');
    expect(all.unasked).toEqual([]);
    expect(all.asked).toHaveLength(1);
    expect(all.asked[0]).not.toMatch(LOGIN_CARD);
    const off = await heard('off');
    expect(off.unasked).toHaveLength(1);
    expect(off.unasked[0]).toMatch(LOGIN_CARD);
  });
});

describe('the global error handler', () => {
  it('logs a listener that throws, and the next request is served', async () => {
    const memory = new MemoryClaims();
    let broken = true;
    const claims: Claims = {
      async claim(key, ttlMs) {
        return (await this.claimInOrder([{ key, ttlMs }])) === 1;
      },
      async claimInOrder(list) {
        return memory.claimInOrder(list);
      },
      async hold(list) {
        if (broken && list[0]?.key.startsWith('msg:')) {
          broken = false;
          throw new Error('store unreachable');
        }
        return memory.hold(list);
      },
    };
    const bot = await startBot({ claims });
    try {
      await bot.post('event', eventCallback(messageEvent({ ts: nextTs(), text: META_EXPIRED })));
      await bot.idle();
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);
      expect(
        bot.logs.some((l) => l.includes('"msg":"listener failed"') && l.includes('store unreachable')),
      ).toBe(true);
      await bot.post('event', eventCallback(messageEvent({ ts: nextTs(), text: META_EXPIRED })));
      await bot.idle();
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(1);
    } finally {
      await bot.close();
    }
  });
});
