/**
 * One 429 doesn't stall every channel (issue 11.3): a rate-limited chat.postMessage in one channel, or a
 * rate-limited conversations.history, holds only calls of its own method (and channel), over signed
 * HTTP against fake Slack. The Web API client on its own pauses its whole queue for Retry-After.
 */
import { rateLimitKey } from '../../src/slack/rate-limits';
import { startBot, type TestBot, UNCAPPED, withSettings } from '../support/bot';
import { eventCallback, keyReaction, messageEvent, nextTs } from '../support/payloads';

const ERROR = 'Error validating access token: Session has expired on Monday, 03-Nov-25 04:00:00 PST.';

describe('rate limits per method and channel', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot({ knowledge: withSettings(UNCAPPED) });
  });
  afterAll(async () => {
    await bot.close();
  });
  afterEach(() => bot.fake.reset());

  const okPostIn = (channel: string) =>
    bot.fake.okCalls('chat.postMessage').find((c) => c.body.channel === channel);

  it('a 429 on a post in one channel holds that channel only; it is answered after Retry-After', async () => {
    bot.fake.fail('chat.postMessage', { status: 429, retryAfter: 3 });
    const started = Date.now();
    await bot.post('event', eventCallback(messageEvent({ channel: 'C0SLOW', text: ERROR })));
    await bot.fake.waitFor('the 429', () => bot.fake.callsTo('chat.postMessage').length === 1);
    await bot.post('event', eventCallback(messageEvent({ channel: 'C0FAST', text: ERROR })));
    await bot.fake.waitFor('the other channel', () => okPostIn('C0FAST') !== undefined, 2_500);
    expect((okPostIn('C0FAST')?.at ?? 0) - started).toBeLessThan(2_500);
    expect(okPostIn('C0SLOW')).toBeUndefined();
    await bot.fake.waitFor('the held channel', () => okPostIn('C0SLOW') !== undefined, 8_000);
    expect((okPostIn('C0SLOW')?.at ?? 0) - started).toBeGreaterThanOrEqual(2_900);
    await bot.idle();
  });

  it('a 429 on conversations.history (the :key: reaction reads the message) does not delay posts elsewhere', async () => {
    const ts = nextTs();
    bot.fake.addMessage('C0KEYED', { ts, user: 'U0CUSTOMER', text: ERROR } as never);
    bot.fake.fail('conversations.history', { status: 429, retryAfter: 3 });
    const started = Date.now();
    await bot.post('event', eventCallback(keyReaction({ channel: 'C0KEYED', ts, itemUser: 'U0CUSTOMER' })));
    await bot.fake.waitFor('the 429', () => bot.fake.callsTo('conversations.history').length === 1);
    await bot.post('event', eventCallback(messageEvent({ channel: 'C0OTHER', text: ERROR })));
    await bot.fake.waitFor('the post elsewhere', () => okPostIn('C0OTHER') !== undefined, 2_500);
    expect((okPostIn('C0OTHER')?.at ?? 0) - started).toBeLessThan(2_500);
    // The reaction's answer comes once the history call may go again.
    await bot.fake.waitFor('the keyed answer', () => okPostIn('C0KEYED') !== undefined, 8_000);
    await bot.idle();
  });
});

describe('a call that keeps getting 429s gives up within its budget', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot({ rateLimitBudgetMs: 1_000 });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('a Retry-After past the budget is not waited for: one attempt, logged as rate limited', async () => {
    bot.fake.fail('chat.postMessage', { status: 429, retryAfter: 30 }, 5);
    const started = Date.now();
    await bot.post('event', eventCallback(messageEvent({ channel: 'C0BUDGET', text: ERROR })));
    await bot.idle(5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(bot.logs.some((l) => l.includes('slack call failed') && l.includes('ratelimited'))).toBe(true);
  });
});

test('keys: chat methods per channel, everything else per method', () => {
  expect(rateLimitKey('http://x/api/chat.postMessage', 'channel=C1&text=hi')).toBe('chat.postMessage:C1');
  expect(rateLimitKey('http://x/api/chat.postMessage', '{"channel":"C2"}')).toBe('chat.postMessage:C2');
  expect(rateLimitKey('http://x/api/conversations.history', 'channel=C1')).toBe('conversations.history');
  expect(rateLimitKey('http://x/api/views.publish', undefined)).toBe('views.publish');
});
