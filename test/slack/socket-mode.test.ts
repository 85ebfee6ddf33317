/**
 * Socket Mode end to end: the real SocketModeReceiver connects (apps.connections.open on the fake
 * Slack, then a WebSocket), gets envelopes, acks them by envelope_id, and replies over the Web API.
 */
import { startBot, type TestBot } from '../support/bot';
import { FAKE_IDENTITY } from '../support/fake-slack';
import { eventCallback, mentionEvent, nextId, nextTs, slashCommand } from '../support/payloads';

const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday. (OAuthException code 190, error_subcode 463)';

describe('Socket Mode', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot({ mode: 'socket' });
  });
  afterAll(async () => {
    await bot.close();
  });
  afterEach(() => {
    expect(bot.fake.violations).toEqual([]);
    bot.fake.reset();
  });

  const acked = (envelopeId: string) => () =>
    bot.fake.socketMessages.some((m) => m.envelope_id === envelopeId);

  it('connects with the app token through SLACK_API_URL and serves /healthz, /readyz, /livez and /metrics on PORT', async () => {
    expect(bot.fake.sockets.size).toBe(1);
    expect((await bot.get('/healthz')).status).toBe(200);
    expect((await bot.get('/livez')).status).toBe(200);
    expect((await bot.get('/readyz')).status).toBe(200);
    const metrics = await bot.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('tokenfix_in_flight');
    expect((await bot.get('/slack/events')).status).toBe(404);
  });

  it('acks an events_api envelope and replies in the thread; a redelivery is answered once', async () => {
    const ts = nextTs();
    const payload = eventCallback(mentionEvent({ ts, text: `<@${FAKE_IDENTITY.user_id}> ${META_EXPIRED}` }));
    const first = nextId('env');
    bot.fake.sendEnvelope({
      envelope_id: first,
      type: 'events_api',
      payload,
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
    });
    await bot.fake.waitFor('the ack', acked(first));
    await bot.fake.waitFor('the reply', () => bot.fake.okCalls('chat.postMessage').length === 1);
    expect(bot.fake.okCalls('chat.postMessage')[0]?.body).toMatchObject({ thread_ts: ts });

    const again = nextId('env');
    bot.fake.sendEnvelope({
      envelope_id: again,
      type: 'events_api',
      payload,
      accepts_response_payload: false,
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    await bot.fake.waitFor('the second ack', acked(again));
    await bot.idle();
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(1);
  });

  it('acks a slash_commands envelope and answers on the response_url', async () => {
    const envelope = nextId('env');
    bot.fake.sendEnvelope({
      envelope_id: envelope,
      type: 'slash_commands',
      payload: slashCommand(META_EXPIRED, bot.fake.responseUrl('sock-cmd')),
      accepts_response_payload: true,
    });
    await bot.fake.waitFor('the ack', acked(envelope));
    await bot.fake.waitFor('the card', () => bot.fake.responseUrlPosts.some((p) => p.id === 'sock-cmd'));
    expect(bot.fake.responseUrlPosts[0]?.body).toMatchObject({ response_type: 'ephemeral' });
  });

  it('survives a malformed envelope and keeps serving', async () => {
    const bad = nextId('env');
    bot.fake.sendEnvelope({
      envelope_id: bad,
      type: 'events_api',
      payload: { type: 'event_callback', event: null },
    });
    const ok = nextId('env');
    bot.fake.sendEnvelope({
      envelope_id: ok,
      type: 'events_api',
      payload: eventCallback(
        mentionEvent({ ts: nextTs(), text: `<@${FAKE_IDENTITY.user_id}> ${META_EXPIRED}` }),
      ),
      accepts_response_payload: false,
    });
    await bot.fake.waitFor('the reply', () => bot.fake.okCalls('chat.postMessage').length === 1);
    // The bad one was acked (so Slack won't redeliver it) and logged.
    expect(acked(bad)()).toBe(true);
    expect(bot.logs.some((l) => l.includes('envelope rejected'))).toBe(true);
  });
});
