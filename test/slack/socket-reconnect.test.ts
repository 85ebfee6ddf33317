/**
 * Socket Mode when the connection does not stay up, as Slack does it in production: a `disconnect`
 * message (refresh_requested) before Slack closes the socket, a socket cut from Slack's side, and
 * apps.connections.open answering 5xx, 429 or ok:false while the bot reconnects. The client waits
 * about 5 s before each reconnect (its own policy), hence the generous guards.
 */
import { startBot, type TestBot } from '../support/bot';
import { FAKE_IDENTITY, FakeSlack } from '../support/fake-slack';
import { eventCallback, mentionEvent, nextId, nextTs } from '../support/payloads';

const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday. (OAuthException code 190, error_subcode 463)';
const RECONNECT_GUARD_MS = 25_000;

jest.setTimeout(90_000);

describe('Socket Mode reconnection', () => {
  let bot: TestBot;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  beforeEach(async () => {
    unhandled.length = 0;
    bot = await startBot({ mode: 'socket', socketRetryMs: 100 });
    await bot.fake.waitFor('the first connection', () => bot.fake.openSockets().length === 1);
  });
  afterEach(async () => {
    await bot.close();
    expect(bot.fake.violations).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  const readyz = async () => (await bot.get('/readyz')).status === 200;
  const notReady = async () => (await bot.get('/readyz')).status === 503;
  const opens = () => bot.fake.callsTo('apps.connections.open');

  /** Waits for connection number `n` (counting the first) and for /readyz to say so. */
  async function reconnected(n: number): Promise<void> {
    await bot.fake.waitFor(
      `connection ${n}`,
      () => bot.fake.sockets.size === n && bot.fake.openSockets().length === 1,
      RECONNECT_GUARD_MS,
    );
    await bot.fake.waitFor('/readyz 200 again', readyz, RECONNECT_GUARD_MS);
  }

  const tokenError = () =>
    eventCallback(mentionEvent({ ts: nextTs(), text: `<@${FAKE_IDENTITY.user_id}> ${META_EXPIRED}` }));

  /** Sends an event over the open socket and waits for its ack. */
  async function deliver(payload: Record<string, unknown>, retryAttempt = 0): Promise<void> {
    const envelope = nextId('env');
    bot.fake.sendEnvelope({
      envelope_id: envelope,
      type: 'events_api',
      payload,
      accepts_response_payload: false,
      retry_attempt: retryAttempt,
      retry_reason: retryAttempt > 0 ? 'timeout' : '',
    });
    await bot.fake.waitFor('the ack', () => bot.fake.socketMessages.some((m) => m.envelope_id === envelope));
  }

  /** An event on the (new) socket is acked and answered exactly once. */
  async function answeredOnce(payload = tokenError()): Promise<void> {
    const before = bot.fake.okCalls('chat.postMessage').length;
    await deliver(payload);
    await bot.fake.waitFor('the reply', () => bot.fake.okCalls('chat.postMessage').length === before + 1);
    await bot.idle();
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(before + 1);
  }

  it.each(['refresh_requested', 'warning'] as const)(
    'after a disconnect message (%s) opens one new connection and answers an event on it once',
    async (reason) => {
      expect(opens()).toHaveLength(1);
      const answeredBefore = tokenError();
      await answeredOnce(answeredBefore);
      bot.fake.sendDisconnect(reason);
      await reconnected(2);
      expect(opens()).toHaveLength(2);
      // Slack redelivers on the new connection what it thinks unacked: the same event_id, answered once.
      await deliver(answeredBefore, 1);
      await bot.idle();
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(1);
      await answeredOnce();
      // Still one connection, not one per disconnect path.
      expect(bot.fake.sockets.size).toBe(2);
      expect(bot.fake.openSockets()).toHaveLength(1);
    },
  );

  it('a socket cut by Slack while apps.connections.open answers 500 twice: not ready meanwhile, then ready and answering', async () => {
    bot.fake.fail('apps.connections.open', { status: 500 }, 2);
    bot.fake.dropSockets('drop');
    await bot.fake.waitFor('/readyz 503 while disconnected', notReady, RECONNECT_GUARD_MS);
    const health = await bot.get('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text).reason).toMatch(/socket mode/i);
    await reconnected(2);
    expect(opens().filter((c) => c.status === 500)).toHaveLength(2);
    await answeredOnce();
  });

  it('keeps reconnecting when apps.connections.open fails more often than the Web API client retries (5 × 500)', async () => {
    // The test client retries twice (3 attempts per call), so 5 failures outlast one reconnect attempt.
    bot.fake.fail('apps.connections.open', { status: 500 }, 5);
    bot.fake.dropSockets('close');
    await bot.fake.waitFor('/readyz 503 while disconnected', notReady, RECONNECT_GUARD_MS);
    await reconnected(2);
    expect(opens().filter((c) => c.status === 500)).toHaveLength(5);
    await answeredOnce();
  });

  it('waits out a 429 with Retry-After on apps.connections.open, then reconnects', async () => {
    bot.fake.fail('apps.connections.open', { status: 429, retryAfter: 1 }, 1);
    bot.fake.dropSockets('drop');
    await reconnected(2);
    const [limited, next] = opens().slice(1);
    expect(limited?.status).toBe(429);
    expect(next?.ok).toBe(true);
    // Retry-After: 1 is honoured: the next call came no sooner (a lower bound; load only delays it).
    expect((next?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await answeredOnce();
  });

  it('invalid_auth on reconnect: /healthz and /readyz name SLACK_APP_TOKEN, one clear log line, and it keeps trying with backoff', async () => {
    // Until healed: Slack keeps refusing the app token.
    bot.fake.fail('apps.connections.open', { error: 'invalid_auth' }, 1_000);
    bot.fake.dropSockets('drop');
    const refused = () => opens().filter((c) => !c.ok);
    await bot.fake.waitFor('three refused reconnects', () => refused().length >= 3, RECONNECT_GUARD_MS);
    // Backoff: each wait at least doubles (socketRetryMs 100: 100 ms, then 200 ms; lower bounds only).
    const [first, second, third] = refused().map((c) => c.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(95);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(195);
    for (const path of ['/readyz', '/healthz']) {
      const res = await bot.get(path);
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text).reason).toBe('socket mode: Slack rejected SLACK_APP_TOKEN (invalid_auth)');
    }
    const named = bot.logs.filter((l) => l.includes('SLACK_APP_TOKEN') && l.includes('invalid_auth'));
    expect(named).toHaveLength(1);
    expect(JSON.parse(named[0] as string)).toMatchObject({ level: 'error' });
    expect((await bot.get('/livez')).status).toBe(200);
    // Slack takes the token again (a setting fixed, an incident over): the bot is back by itself.
    bot.fake.heal();
    await reconnected(2);
    expect(bot.logs.some((l) => l.includes('socket mode: connected again'))).toBe(true);
    await answeredOnce();
  });
});

describe('Socket Mode reconnection at shutdown', () => {
  // A fake the bot leaves open on close(), so what the client does after it can be seen.
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await FakeSlack.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('a reconnect still waiting for apps.connections.open when the bot stops leaves no connection open after it', async () => {
    const bot = await startBot({ mode: 'socket', socketRetryMs: 100, fake });
    try {
      await fake.waitFor('the first connection', () => fake.openSockets().length === 1);
      // One refusal; the retry 100 ms later meets a slow apps.connections.open (4 s), and the bot stops
      // while it is under way (1 s after the refusal was logged: margin for a loaded machine).
      fake.fail('apps.connections.open', { error: 'invalid_auth' }, 1);
      fake.fail('apps.connections.open', { delayMs: 4_000 }, 1);
      fake.dropSockets('drop');
      await fake.waitFor(
        'the refusal logged',
        () => bot.logs.some((l) => l.includes('SLACK_APP_TOKEN')),
        RECONNECT_GUARD_MS,
      );
      await new Promise((r) => setTimeout(r, 1_000));
      expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    } finally {
      await bot.close();
    }
    // The slow answer arrives after the stop: whatever the client opens with it is closed again.
    await fake.waitFor('the slow answer', () => fake.callsTo('apps.connections.open').length === 3, 8_000);
    await fake.waitFor('the connection made with it', () => fake.sockets.size === 2, 5_000);
    await fake.waitFor('that connection closed again', () => fake.openSockets().length === 0, 5_000);
  });
});
