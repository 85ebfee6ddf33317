/**
 * Hostile input at the running HTTP endpoint (in-process app, real HTTP), correctly signed: random and
 * malformed JSON, form bodies, Slack payloads with wrong types and missing fields, unknown event types,
 * deep nesting, unicode edge cases. Never a 5xx (nor no answer), and a valid request is still answered
 * after every batch. `npm run test:stress` runs many more against the real process, huge bodies too.
 */
import fc from 'fast-check';
import { SIGNING_SECRET, startBot, type TestBot } from '../support/bot';
import { FAKE_IDENTITY } from '../support/fake-slack';
import { hostileBatch, sendHostile } from '../support/hostile';
import { eventCallback, mentionEvent, nextTs } from '../support/payloads';

describe('hostile input over signed HTTP', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  const stillAnswers = async () => {
    const ts = nextTs();
    const res = await bot.post(
      'event',
      eventCallback(mentionEvent({ ts, text: `<@${FAKE_IDENTITY.user_id}> invalid_grant` })),
    );
    expect(res.status).toBe(200);
    await bot.fake.waitFor('the answer to a valid request', () =>
      bot.fake.okCalls('chat.postMessage').some((c) => c.body.thread_ts === ts),
    );
  };

  it('never a 5xx; the next valid request is answered (2 batches of 75 at once)', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBatch(75), async (batch) => {
        const statuses = await Promise.all(batch.map((r) => sendHostile(bot.base, SIGNING_SECRET, r)));
        const bad = batch
          .map((r, i) => ({ label: r.label, status: statuses[i] as number, body: r.body.slice(0, 200) }))
          .filter((x) => x.status === 0 || x.status >= 500);
        expect(bad).toEqual([]);
        await stillAnswers();
      }),
      { numRuns: 2, seed: Number(process.env.FC_SEED ?? 20251126), endOnFailure: true },
    );
    await bot.idle(10_000);
    expect(bot.fake.violations).toEqual([]);
  });
});
