/**
 * Issue 11.4, through the listeners over signed HTTP: a reply's "answer once" claims become final only
 * once the reply is posted. What each outcome leaves for a redelivery of the event (Slack's retry,
 * x-slack-retry-num):
 * - posted → answered: the redelivery is refused;
 * - failed for now (5xx, 429, network, after the client's own retries) → released: the redelivery is
 *   answered;
 * - failed for good (not_in_channel, is_archived, a payload Slack rejects) → answered: a redelivery would
 *   only fail, and tell the asker, again.
 * The crash itself (SIGKILL between claim and post) is in test/stress/crash-restart.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type Store } from '../../src/store';
import { startBot, type TestBot } from '../support/bot';
import { FAKE_IDENTITY } from '../support/fake-slack';
import { CHANNEL, eventCallback, keyReaction, mentionEvent, messageEvent, nextTs } from '../support/payloads';

const BOT = FAKE_IDENTITY.user_id;
const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
const RETRY = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-held-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

describe('held claims through the listeners', () => {
  let file: string;
  let store: Store;
  let bot: TestBot;
  beforeEach(async () => {
    file = join(tmp, `held${++n}.db`);
    store = await openStore(`sqlite:${file}`);
    bot = await startBot({ store });
  });
  afterEach(async () => {
    await bot.close();
    await store.close();
  });

  const deliver = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
    expect((await bot.post('event', payload, {}, headers)).status).toBe(200);
    await bot.idle();
  };
  const okPosts = (channel: string) =>
    bot.fake.okCalls('chat.postMessage').filter((c) => c.body.channel === channel);
  const claimStates = () => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT state, count(*) AS n FROM claims GROUP BY state ORDER BY state').all();
    } finally {
      db.close();
    }
  };

  const kinds = {
    passive: (channel: string) => eventCallback(messageEvent({ channel, ts: nextTs(), text: META_EXPIRED })),
    mention: (channel: string) =>
      eventCallback(mentionEvent({ channel, ts: nextTs(), text: `<@${BOT}> ${META_EXPIRED}` })),
    dm: (channel: string) =>
      eventCallback(messageEvent({ channel, channel_type: 'im', ts: nextTs(), text: META_EXPIRED })),
    reaction: (channel: string) => {
      const ts = nextTs();
      bot.fake.addMessage(channel, { ts, user: 'U0OTHER', text: META_EXPIRED });
      return eventCallback(keyReaction({ channel, ts, itemUser: 'U0OTHER' }));
    },
  };

  describe.each(Object.keys(kinds) as Array<keyof typeof kinds>)('%s', (kind) => {
    const channel = kind === 'dm' ? 'D0HELD' : 'C0HELD';

    it('posted: a redelivery is refused', async () => {
      const event = kinds[kind](channel);
      await deliver(event);
      await deliver(event, RETRY);
      expect(okPosts(channel)).toHaveLength(1);
    });

    it('Slack failing for now (503 after every retry): the claim is let go and the redelivery is answered', async () => {
      const event = kinds[kind](channel);
      bot.fake.failFor('chat.postMessage', { status: 503 }, 60_000);
      await deliver(event);
      expect(okPosts(channel)).toHaveLength(0);
      expect(bot.fake.callsTo('chat.postMessage').length).toBeGreaterThan(0);
      bot.fake.heal();
      await deliver(event, RETRY);
      await deliver(event, { ...RETRY, 'x-slack-retry-num': '2' });
      expect(okPosts(channel)).toHaveLength(1);
    });

    it('refused for good (is_archived): counted as answered, the redelivery is refused', async () => {
      const event = kinds[kind](channel);
      bot.fake.failFor('chat.postMessage', { error: 'is_archived' }, 60_000);
      await deliver(event);
      const attempts = bot.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel).length;
      expect(attempts).toBeGreaterThan(0);
      bot.fake.heal();
      await deliver(event, RETRY);
      expect(bot.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel)).toHaveLength(
        attempts,
      );
    });
  });

  it('no claim is left pending once the replies are done', async () => {
    for (const kind of Object.keys(kinds) as Array<keyof typeof kinds>)
      await deliver(kinds[kind](kind === 'dm' ? 'D0DONE' : CHANNEL));
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(4);
    // Messages (msg:), threads (passive:) and event ids (event:) alike: all answered, none pending.
    expect(claimStates()).toEqual([{ state: 'answered', n: expect.any(Number) }]);
  });
});
