/**
 * No reply loops with other apps (issue 11.5), over signed HTTP against the fake Slack, in a channel
 * where `/tokenfix bots on` was run: tokenfix's own card, posted again by another app (blocks, or the
 * fallback text alone), is never answered; an app that echoes every tokenfix post back gets one answer
 * in all; and a burst of token errors in one channel gets at most the per-minute cap of replies — counted
 * in the store (shared by replicas; two replicas on PostgreSQL: test/slack/store-replicas.test.ts), in
 * process without a store or while the store fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCard } from '../../src/cards';
import { analyze } from '../../src/diagnosis/diagnose';
import { createLog } from '../../src/log';
import { Memory } from '../../src/slack/memory';
import { PerMinuteCap, SharedCap } from '../../src/slack/reply-cap';
import { openStore, type Store } from '../../src/store';
import { knowledge, startBot, type TestBot } from '../support/bot';
import { type Call, FAKE_IDENTITY } from '../support/fake-slack';
import { eventCallback, mentionEvent, messageEvent, nextTs, slashCommand } from '../support/payloads';

const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
const META_PASSWORD =
  'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';
const GOOGLE_GRANT = 'Google Ads connector failed: invalid_grant: Token has been expired or revoked.';
const ECHO_APP = 'B0ECHOAPP';

describe('no reply loops with other apps', () => {
  let bot: TestBot;
  let store: Store;
  beforeAll(async () => {
    store = await openStore('sqlite::memory:');
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

  const send = async (event: Record<string, unknown>) => {
    const res = await bot.post('event', eventCallback(event));
    expect(res.status).toBe(200);
    await bot.idle();
  };
  const postsTo = (channel: string): Call[] =>
    bot.fake.okCalls('chat.postMessage').filter((c) => c.body.channel === channel);
  /** `/tokenfix bots on` in a channel: other apps' messages are read there. */
  const botsOn = async (channel: string) => {
    await bot.post(
      'command',
      slashCommand('bots on', bot.fake.responseUrl(`bots-${channel}`), { channel_id: channel }),
    );
    await bot.idle();
    expect(postsTo(channel)).toHaveLength(1);
    bot.fake.reset();
  };
  /** What another app posts: a bot_message with what it copied. */
  const fromApp = (channel: string, copied: Record<string, unknown>) =>
    messageEvent({
      channel,
      ts: nextTs(),
      subtype: 'bot_message',
      bot_id: ECHO_APP,
      user: undefined,
      ...copied,
    });
  const card = (error = META_EXPIRED) => {
    const { diagnosis, excerpt } = analyze(error, knowledge());
    return renderCard(knowledge(), diagnosis, { excerpt, cardKey: 'msg:C0X:1.1' });
  };

  it('the channel reads apps: an app’s plain token error is answered (the baseline)', async () => {
    await botsOn('C0BASE');
    await send(fromApp('C0BASE', { text: META_EXPIRED }));
    expect(postsTo('C0BASE')).toHaveLength(1);
  });

  it('(a) tokenfix’s card posted again by another app, blocks and text, gets no reply', async () => {
    await botsOn('C0CARD');
    const { text, blocks } = card();
    await send(fromApp('C0CARD', { text, blocks }));
    // Blocks only, as an app that drops the text would post them; and inside an attachment.
    await send(fromApp('C0CARD', { text: '', blocks }));
    await send(fromApp('C0CARD', { text: '', attachments: [{ blocks, fallback: 'forwarded' }] }));
    expect(postsTo('C0CARD')).toHaveLength(0);
    expect(bot.fake.okCalls('reactions.add')).toHaveLength(0);
  });

  it('(b) the card’s fallback text alone (also with :key: for the emoji) gets no reply', async () => {
    await botsOn('C0TEXT');
    // "Meta error: the password was changed. Reconnect Facebook Ads to fix it." reads as a login error.
    for (const error of [META_PASSWORD, META_EXPIRED, GOOGLE_GRANT]) {
      const { text } = card(error);
      await send(fromApp('C0TEXT', { text }));
      await send(fromApp('C0TEXT', { text: `Forwarded from #support: ${text.replace('🔑', ':key:')}` }));
    }
    expect(postsTo('C0TEXT')).toHaveLength(0);
  });

  it('(c) an app that echoes every tokenfix post back into the channel gets one answer in all', async () => {
    const channel = 'C0ECHO';
    await botsOn(channel);
    await send(
      messageEvent({ channel, ts: nextTs(), subtype: 'bot_message', bot_id: 'B0ALERTS', text: META_EXPIRED }),
    );
    let echoed = 0;
    for (let round = 0; round < 5; round++) {
      const fresh = postsTo(channel).slice(echoed);
      echoed += fresh.length;
      for (const post of fresh) {
        const blocks = typeof post.body.blocks === 'string' ? JSON.parse(post.body.blocks) : post.body.blocks;
        // The echo app posts a copy at the top level of the channel, as a new message.
        await send(fromApp(channel, { text: post.body.text, blocks }));
      }
    }
    expect(postsTo(channel)).toHaveLength(1);
  });

  it('an app mentioning tokenfix on a copy of its card is not answered; a person doing so is', async () => {
    const channel = 'C0MENTION';
    const { text, blocks } = card();
    const mentioned = `<@${FAKE_IDENTITY.user_id}> ${text}`;
    await send(
      mentionEvent({ channel, ts: nextTs(), bot_id: ECHO_APP, user: undefined, text: mentioned, blocks }),
    );
    expect(postsTo(channel)).toHaveLength(0);
    await send(mentionEvent({ channel, ts: nextTs(), text: mentioned, blocks }));
    expect(postsTo(channel)).toHaveLength(1);
  });

  it('(d) a burst of 20 distinct token errors in one channel: at most the per-minute cap is answered', async () => {
    const channel = 'C0BURST';
    // The knowledge default (settings.passiveRepliesPerMinute), checked at the end.
    const cap = 6;
    for (let i = 0; i < 20; i++) {
      await send(
        messageEvent({
          channel,
          ts: nextTs(),
          user: `U0PERSON${i}`,
          text: `connection ${i}: ${META_EXPIRED}`,
        }),
      );
    }
    expect(postsTo(channel)).toHaveLength(cap);
    // The others get the reaction only, and each one is logged with its ids.
    expect(bot.fake.okCalls('reactions.add').filter((c) => c.body.channel === channel)).toHaveLength(
      20 - cap,
    );
    const capped = bot.logs.filter((l) => l.includes('passive reply cap reached') && l.includes(channel));
    expect(capped).toHaveLength(20 - cap);
    expect(JSON.parse(capped[0] as string)).toMatchObject({
      channel,
      ts: expect.any(String),
      team: expect.any(String),
    });
    expect(knowledge().settings.passiveRepliesPerMinute).toBe(cap);
    // Another channel is not held back by this one.
    await send(messageEvent({ channel: 'C0CALM', ts: nextTs(), text: META_EXPIRED }));
    expect(postsTo('C0CALM')).toHaveLength(1);
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-loops-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A burst of `n` distinct token errors in one channel; returns [replies, reactions] there. */
async function burst(bot: TestBot, channel: string, n: number): Promise<[number, number]> {
  for (let i = 0; i < n; i++) {
    const res = await bot.post(
      'event',
      eventCallback(
        messageEvent({
          channel,
          ts: nextTs(),
          user: `U0PERSON${i}`,
          text: `connection ${i}: ${META_EXPIRED}`,
        }),
      ),
    );
    expect(res.status).toBe(200);
    await bot.idle();
  }
  const inChannel = (method: string) =>
    bot.fake.okCalls(method).filter((c) => c.body.channel === channel).length;
  return [inChannel('chat.postMessage'), inChannel('reactions.add')];
}

describe('the cap without a store, and while the store fails', () => {
  it('no store at all: the process counts alone, the same cap', async () => {
    const bot = await startBot();
    try {
      expect(await burst(bot, 'C0NOSTORE', 9)).toEqual([6, 3]);
      expect(bot.logs.some((l) => l.includes('counting in this process'))).toBe(false);
    } finally {
      await bot.close();
    }
  });

  it('the store’s cap call fails: replies go on, capped in process, and the fallback is logged once', async () => {
    const store = await openStore(`sqlite:${join(tmp, 'failing-cap.db')}`);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const failing = new Proxy(store, {
      get: (target, key, receiver) =>
        key === 'takeCapSlot' ? () => Promise.reject(refused) : Reflect.get(target, key, receiver),
    });
    const bot = await startBot({ store: failing });
    try {
      expect(await burst(bot, 'C0CAPDOWN', 9)).toEqual([6, 3]);
      expect(bot.logs.filter((l) => l.includes('counting in this process'))).toHaveLength(1);
      expect(bot.fake.violations).toEqual([]);
    } finally {
      await bot.close();
      await store.close();
    }
  });
});

describe('SharedCap: the cap through the store (Memory), with the in-process fallback', () => {
  it('two replicas on one store allow N a minute in all; failing over mid-minute, each keeps its own count', async () => {
    const T0 = Date.UTC(2026, 5, 1, 12);
    const clock = { now: T0 };
    const now = () => clock.now;
    const store = await openStore(`sqlite:${join(tmp, 'shared-cap.db')}`, { now });
    let down = false;
    const flaky = new Proxy(store, {
      get: (target, key, receiver) =>
        key === 'takeCapSlot' && down
          ? () => Promise.reject(Object.assign(new Error('gone'), { code: 'ECONNRESET' }))
          : Reflect.get(target, key, receiver),
    });
    const settings = {
      readBotMessages: false,
      outbreak: { minCount: 5, minDistinct: 3, windowMinutes: 60 },
      retentionDays: 180,
    };
    const replica = () => {
      const logs: string[] = [];
      const log = createLog({ sink: (l) => logs.push(l) });
      const memory = new Memory({ store: flaky, log, settings, now, backoffMs: 1_000 });
      const cap = new SharedCap(3, (k, n, w) => memory.takeCapSlot(k, n, w), log, now);
      return { cap, logs };
    };
    const a = replica();
    const b = replica();
    try {
      // Alternately, as a load balancer spreads them: 3 in all (a, b, a), not 3 each.
      const taken: boolean[] = [];
      for (let i = 0; i < 10; i++) taken.push(await (i % 2 ? b : a).cap.take('T1:C1'));
      expect(taken).toEqual([true, true, true, false, false, false, false, false, false, false]);
      expect(await b.cap.take('T1:C2')).toBe(true); // another channel

      // The store fails within the same minute: each replica counts alone, knowing its own replies.
      down = true;
      clock.now += 1_000;
      const aDown = [await a.cap.take('T1:C1'), await a.cap.take('T1:C1'), await a.cap.take('T1:C1')];
      const bDown = [await b.cap.take('T1:C1'), await b.cap.take('T1:C1'), await b.cap.take('T1:C1')];
      expect(aDown).toEqual([true, false, false]); // a had 2 of the 3
      expect(bDown).toEqual([true, true, false]); // b had 1
      for (const r of [a, b]) {
        expect(r.logs.filter((l) => l.includes('counting in this process'))).toHaveLength(1);
        expect(r.logs.filter((l) => l.includes('store unavailable; falling back'))).toHaveLength(1);
      }

      // Back: shared again (and logged), a minute later the store's slots are all free.
      down = false;
      clock.now += 60_000;
      const back: boolean[] = [];
      for (let i = 0; i < 6; i++) back.push(await (i % 2 ? b : a).cap.take('T1:C1'));
      expect(back).toEqual([true, true, true, false, false, false]);
      expect(a.logs.filter((l) => l.includes('counted in the store again'))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('PerMinuteCap', () => {
  it('allows the cap in any 60 s per key, then again as the oldest posts leave the window', () => {
    let now = 0;
    const cap = new PerMinuteCap(3, () => now);
    expect([cap.take('a'), cap.take('a'), cap.take('a'), cap.take('a')]).toEqual([true, true, true, false]);
    expect(cap.take('b')).toBe(true);
    now = 59_999;
    expect(cap.take('a')).toBe(false);
    now = 60_001;
    expect([cap.take('a'), cap.take('a'), cap.take('a'), cap.take('a')]).toEqual([true, true, true, false]);
  });

  it('remembers a bounded number of channels', () => {
    const cap = new PerMinuteCap(1, () => 0, 100);
    for (let i = 0; i < 1_000; i++) cap.take(`c${i}`);
    // The oldest were forgotten, so they may post again; the newest may not.
    expect(cap.take('c0')).toBe(true);
    expect(cap.take('c999')).toBe(false);
  });
});
