/**
 * Faults at the fake Slack, with the app's production retry policies (RETRY_POLICY, a 15 s call
 * timeout, response_url back-off from 500 ms): 429 with Retry-After for a stretch, 5xx for a stretch,
 * 2 s per call, ok:false errors — and the bound on queued work (MAX_IN_FLIGHT) under a slow Slack.
 * Each time: every request is acked (HTTP 200) within Slack's 3 s, the process keeps serving, and once
 * Slack recovers every reply arrives exactly once.
 */
import { CALL_TIMEOUT_MS, RETRY_POLICY } from '../../src/app';
import { BUSY_NOTE } from '../../src/slack/http';
import {
  type BotOptions,
  SIGNING_SECRET,
  startBot,
  type TestBot,
  UNCAPPED,
  withSettings,
} from '../support/bot';
import { FAKE_IDENTITY, type Fault } from '../support/fake-slack';
import { eventCallback, mentionEvent, messageEvent, nextTs, slashCommand } from '../support/payloads';
import { encodeBody, signedHeaders } from '../support/sign';
import { type Delivery, deliver } from '../support/slack-sender';

const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
const GOOGLE_GRANT = 'Google Ads connector failed: invalid_grant: Token has been expired or revoked.';

function faultBot(options: BotOptions = {}): Promise<TestBot> {
  return startBot({
    // Bursts put many token errors in one channel: the passive reply cap is tested elsewhere.
    knowledge: withSettings(UNCAPPED),
    retryConfig: RETRY_POLICY,
    callTimeoutMs: CALL_TIMEOUT_MS,
    respondBackoffMs: 500,
    ...options,
  });
}

interface Burst {
  deliveries: Delivery[];
  /** `channel thread_ts` for threaded cards, `url:<id>` for response_url answers. */
  expected: Set<string>;
}

let burstNo = 0;

/** `messages` passive token errors and `commands` slash commands, all sent at once. */
async function burst(bot: TestBot, messages: number, commands: number): Promise<Burst> {
  burstNo++;
  const expected = new Set<string>();
  const sends: Array<Promise<Delivery>> = [];
  for (let i = 0; i < messages; i++) {
    const channel = `C0F${burstNo}X${i % 4}`;
    const ts = nextTs();
    expected.add(`${channel} ${ts}`);
    const text = i % 2 ? META_EXPIRED : GOOGLE_GRANT;
    sends.push(
      deliver(bot.base, SIGNING_SECRET, 'event', eventCallback(messageEvent({ channel, ts, text }))),
    );
  }
  for (let i = 0; i < commands; i++) {
    const id = `b${burstNo}c${i}`;
    expected.add(`url:${id}`);
    sends.push(
      deliver(bot.base, SIGNING_SECRET, 'command', slashCommand(META_EXPIRED, bot.fake.responseUrl(id)), {
        retry: false,
      }),
    );
  }
  return { deliveries: await Promise.all(sends), expected };
}

/** Answers that reached the fake Slack (successfully), by key. */
function answers(bot: TestBot): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string) => out.set(key, (out.get(key) ?? 0) + 1);
  for (const c of bot.fake.okCalls('chat.postMessage'))
    add(`${String(c.body.channel)} ${String(c.body.thread_ts)}`);
  for (const p of bot.fake.responseUrlPosts) if (p.status === 200) add(`url:${p.id}`);
  return out;
}

/** Waits until every expected answer arrived (then a little longer, for late doubles). */
async function settled(bot: TestBot, expected: Set<string>, timeoutMs: number): Promise<Map<string, number>> {
  await bot.fake
    .waitFor('every reply', () => [...expected].every((k) => answers(bot).has(k)), timeoutMs)
    .catch(() => undefined);
  await bot.idle(timeoutMs);
  await new Promise((r) => setTimeout(r, 300));
  return answers(bot);
}

function expectExactlyOnce(got: Map<string, number>, expected: Set<string>): void {
  const missing = [...expected].filter((k) => !got.has(k));
  const doubled = [...got].filter(([, n]) => n > 1).map(([k]) => k);
  const unexpected = [...got.keys()].filter((k) => !expected.has(k));
  expect({ missing, doubled, unexpected }).toEqual({ missing: [], doubled: [], unexpected: [] });
}

function expectAckedInTime(deliveries: Delivery[]): void {
  const late = deliveries.filter((d) => d.status !== 200 || d.attempts !== 1 || d.ms >= 3_000);
  expect(late).toEqual([]);
}

async function stillServing(bot: TestBot): Promise<void> {
  expect((await bot.get('/livez')).status).toBe(200);
  bot.fake.heal();
  const ts = nextTs();
  const res = await bot.post(
    'event',
    eventCallback(mentionEvent({ ts, text: `<@${FAKE_IDENTITY.user_id}> help` })),
  );
  expect(res.status).toBe(200);
  await bot.fake.waitFor('an answer after the fault', () =>
    bot.fake.okCalls('chat.postMessage').some((c) => c.body.thread_ts === ts),
  );
}

describe('Slack faults', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await faultBot();
  });
  afterEach(async () => {
    expect(bot.fake.violations).toEqual([]);
    await bot.close();
  });

  it('429 with Retry-After for 3 s on every call: acks in time, then every reply once', async () => {
    bot.fake.failFor('*', { status: 429, retryAfter: 1 }, 3_000);
    const { deliveries, expected } = await burst(bot, 60, 40);
    expectAckedInTime(deliveries);
    const got = await settled(bot, expected, 30_000);
    expectExactlyOnce(got, expected);
    // It really was rate-limited, and Retry-After was honoured (no hammering: a few tries per reply).
    const limited = bot.fake.calls.filter((c) => c.status === 429).length;
    expect(limited).toBeGreaterThan(0);
    expect(bot.fake.calls.length).toBeLessThan(60 * 6);
    await stillServing(bot);
  });

  it('5xx for 2 s: acks in time, then every reply once', async () => {
    bot.fake.failFor('*', { status: 503 }, 2_000);
    const { deliveries, expected } = await burst(bot, 60, 40);
    expectAckedInTime(deliveries);
    const got = await settled(bot, expected, 40_000);
    expectExactlyOnce(got, expected);
    expect(bot.fake.calls.some((c) => c.status === 503)).toBe(true);
    await stillServing(bot);
  });

  it('2 s per call for 5 s: acks in time, every reply once', async () => {
    bot.fake.failFor('*', { delayMs: 2_000 }, 5_000);
    const { deliveries, expected } = await burst(bot, 60, 40);
    expectAckedInTime(deliveries);
    const got = await settled(bot, expected, 30_000);
    expectExactlyOnce(got, expected);
    await stillServing(bot);
  });

  it('ok:false errors: no retry loop, no crash; the asker is told privately; the next request is answered', async () => {
    const errors: Fault[] = [
      { error: 'not_in_channel' },
      { error: 'channel_not_found' },
      { error: 'is_archived' },
      { error: 'invalid_blocks' },
      { error: 'internal_error' },
    ];
    // One at a time: a fault applies to the next chat.postMessage, whichever it is.
    const sent: Delivery[] = [];
    for (const fault of errors) {
      bot.fake.fail('chat.postMessage', fault);
      sent.push(
        await deliver(
          bot.base,
          SIGNING_SECRET,
          'event',
          eventCallback(mentionEvent({ ts: nextTs(), text: `<@${FAKE_IDENTITY.user_id}> ${META_EXPIRED}` })),
        ),
      );
      await bot.idle(10_000);
    }
    expectAckedInTime(sent);
    // One attempt each (ok:false is an answer, not a transport failure), and each asker hears of it.
    const cards = bot.fake
      .callsTo('chat.postMessage')
      .filter((c) => !String(c.body.text).startsWith(':warning:'));
    expect(cards.map((c) => c.ok)).toEqual(errors.map(() => false));
    const notices = [
      ...bot.fake.okCalls('chat.postEphemeral'),
      ...bot.fake.okCalls('chat.postMessage'),
    ].filter((c) => String(c.body.text).startsWith(':warning:'));
    expect(notices).toHaveLength(errors.length);
    expect(bot.logs.filter((l) => l.includes('"msg":"slack call failed"')).length).toBeGreaterThanOrEqual(
      errors.length,
    );
    await stillServing(bot);
  });
});

describe('the bound on queued work (MAX_IN_FLIGHT)', () => {
  it('with Slack slow, in-flight work never passes the cap; events over it get 503 and are answered once when Slack redelivers; commands get a busy note', async () => {
    const cap = 25;
    const bot = await faultBot({ maxInFlight: cap });
    try {
      bot.fake.failFor('*', { delayMs: 500 }, 3_000);
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, bot.runtime.inFlight());
      }, 2);
      const channel = 'C0CAPPED';
      const expected = new Set<string>();
      const events: Array<Promise<Delivery>> = [];
      for (let i = 0; i < 120; i++) {
        const ts = nextTs();
        expected.add(`${channel} ${ts}`);
        events.push(
          deliver(
            bot.base,
            SIGNING_SECRET,
            'event',
            eventCallback(messageEvent({ channel, ts, text: META_EXPIRED })),
            // Slack redelivers after ~0 s, 1 min, 5 min; compressed here.
            { retryDelayMs: 1_500 },
          ),
        );
      }
      // A slash command while full: acked at once with the busy note, no outgoing call.
      const until = Date.now() + 5_000;
      while (bot.runtime.inFlight() < cap && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
      expect(bot.runtime.inFlight()).toBe(cap);
      const { body, type } = encodeBody('command', slashCommand(META_EXPIRED, bot.fake.responseUrl('busy')));
      const busy = await bot.postRaw(body, signedHeaders(SIGNING_SECRET, body, type));
      const deliveries = await Promise.all(events);
      clearInterval(sampler);

      expect(peak).toBeLessThanOrEqual(cap);
      expect(peak).toBeGreaterThan(cap / 2);
      // Shedding happened, and every shed event came back and was answered.
      expect(deliveries.some((d) => d.attempts > 1)).toBe(true);
      expect(deliveries.filter((d) => d.status !== 200)).toEqual([]);
      expect(busy.status).toBe(200);
      expect(JSON.parse(busy.text)).toEqual({ response_type: 'ephemeral', text: BUSY_NOTE });
      expect(bot.logs.some((l) => l.includes('busy: event refused'))).toBe(true);

      const got = await settled(bot, expected, 30_000);
      expectExactlyOnce(got, expected);
      expect(bot.fake.responseUrlPosts.filter((p) => p.id === 'busy')).toEqual([]);
      await stillServing(bot);
    } finally {
      await bot.close();
    }
  });
});
