/**
 * Replays of one signed slash command (issue 11.7): the signature only says Slack sent it once within
 * five minutes, so 50 copies of one `/tokenfix listen off` must not post 50 announcements. Commands are
 * answered once per trigger_id, through the same "answer once" claims as events.
 */
import { openStore, type Store } from '../../src/store';
import { SIGNING_SECRET, startBot, type TestBot } from '../support/bot';
import { slashCommand } from '../support/payloads';
import { encodeBody, signedHeaders } from '../support/sign';

describe('replayed slash commands', () => {
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

  const announcements = (channel: string) =>
    bot.fake.okCalls('chat.postMessage').filter((c) => c.body.channel === channel);

  it('50 replays of one signed `/tokenfix listen off` post one announcement', async () => {
    const { body, type } = encodeBody(
      'command',
      slashCommand('listen off', bot.fake.responseUrl('replay'), { channel_id: 'C0REPLAY' }),
    );
    const headers = signedHeaders(SIGNING_SECRET, body, type);
    // Half at once, half one after another.
    const burst = await Promise.all(Array.from({ length: 25 }, () => bot.postRaw(body, headers)));
    const statuses = burst.map((r) => r.status);
    for (let i = 0; i < 25; i++) statuses.push((await bot.postRaw(body, headers)).status);
    await bot.idle();
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(announcements('C0REPLAY')).toHaveLength(1);
    expect(bot.logs.filter((l) => l.includes('command already answered'))).toHaveLength(49);
  });

  it('a new invocation of the same command (a new trigger_id) is answered again', async () => {
    for (const id of ['again-1', 'again-2']) {
      await bot.post(
        'command',
        slashCommand('listen off', bot.fake.responseUrl(id), { channel_id: 'C0AGAIN' }),
      );
    }
    await bot.idle();
    expect(announcements('C0AGAIN')).toHaveLength(2);
  });
});
