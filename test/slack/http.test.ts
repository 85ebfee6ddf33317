import { SIGNING_SECRET, startBot, type TestBot } from '../support/bot';
import { FAKE_IDENTITY } from '../support/fake-slack';
import { eventCallback, mentionEvent, messageEvent, nextTs, slashCommand } from '../support/payloads';
import { encodeBody, signedHeaders } from '../support/sign';

const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday. (OAuthException code 190, error_subcode 463)';

describe('HTTP receiver: signatures, url_verification, garbage', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  afterEach(() => {
    expect(bot.fake.violations).toEqual([]);
    bot.fake.reset();
  });

  const command = () => slashCommand('invalid_grant', bot.fake.responseUrl('sig'));

  it('rejects unsigned, badly signed and 10-minute-old requests with 401, and acts on none', async () => {
    expect((await bot.post('command', command(), { unsigned: true })).status).toBe(401);
    expect((await bot.post('command', command(), { secret: 'not-the-secret' })).status).toBe(401);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect((await bot.post('command', command(), { timestamp: tenMinutesAgo })).status).toBe(401);
    const { body } = encodeBody('command', command());
    const headers = signedHeaders(SIGNING_SECRET, body, 'form');
    expect((await bot.postRaw(`${body}&text=tampered`, headers)).status).toBe(401);
    await bot.idle();
    expect(bot.fake.responseUrlPosts).toHaveLength(0);
    expect(bot.fake.calls).toHaveLength(0);
  });

  it('answers url_verification with the challenge', async () => {
    const res = await bot.post('event', {
      token: 'x',
      challenge: 'c-123-challenge',
      type: 'url_verification',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123-challenge' });
  });

  it('answers ssl_check', async () => {
    const res = await bot.postRaw('ssl_check=1&token=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
  });

  it('never answers garbage with a 5xx and keeps serving', async () => {
    const garbage: Array<[string, 'json' | 'form']> = [
      ['', 'json'],
      ['{', 'json'],
      ['null', 'json'],
      ['42', 'json'],
      ['"text"', 'json'],
      ['[1,2,3]', 'json'],
      ['{"event":null}', 'json'],
      ['{"event":"x","type":"event_callback","event_id":"Ev1"}', 'json'],
      ['{"type":"event_callback","event":{"type":"reaction_added","item":"x"}}', 'json'],
      ['{"type":"event_callback","event":{"type":"message","channel":5}}', 'json'],
      ['{"type":"block_actions","actions":"x"}', 'json'],
      ['{"type":"event_callback","event":{}}', 'json'],
      ['{"type":"event_callback","event":{"type":"app_mention"}}', 'json'],
      ['{"type":"event_callback","event":{"type":"reaction_added","item":{}}}', 'json'],
      ['payload=%7Bnot-json', 'form'],
      ['payload=null', 'form'],
      ['payload=%7B%22type%22%3A%22message_action%22%7D', 'form'],
      ['payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%5D%7D', 'form'],
      ['command=%2Ftokenfix', 'form'],
      ['\u0000\u0001\u0002binary', 'json'],
    ];
    for (const [body, type] of garbage) {
      const res = await bot.postRaw(body, signedHeaders(SIGNING_SECRET, body, type));
      expect({ body, status: res.status < 500 }).toEqual({ body, status: true });
      const unsigned = await bot.postRaw(body, {
        'content-type': type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      });
      expect({ body, status: unsigned.status }).toEqual({ body, status: 401 });
    }
    await bot.idle();
    // Still serving:
    const ts = nextTs();
    await bot.post(
      'event',
      eventCallback(mentionEvent({ ts, text: `<@${FAKE_IDENTITY.user_id}> ${META_EXPIRED}` })),
    );
    await bot.fake.waitFor('a reply', () => bot.fake.okCalls('chat.postMessage').length === 1);
    expect((await bot.get('/livez')).status).toBe(200);
  });

  it('answers 404 for unknown routes and methods', async () => {
    expect((await bot.get('/nope')).status).toBe(404);
    expect((await bot.get('/slack/events')).status).toBe(404);
  });
});

describe('health routes', () => {
  it('/healthz is 503 until auth.test succeeded, then 200; /livez is 200 throughout', async () => {
    const bot = await startBot({ identity: null });
    try {
      const before = await bot.get('/healthz');
      expect(before.status).toBe(503);
      expect(JSON.parse(before.text)).toMatchObject({ ok: false });
      expect((await bot.get('/livez')).status).toBe(200);
      const id = await bot.runtime.verifyToken();
      expect(id).toEqual({
        botId: FAKE_IDENTITY.bot_id,
        botUserId: FAKE_IDENTITY.user_id,
        teamId: FAKE_IDENTITY.team_id,
      });
      const after = await bot.get('/healthz');
      expect(after.status).toBe(200);
      expect(JSON.parse(after.text)).toEqual({ ok: true });
      expect(bot.fake.callsTo('auth.test')).toHaveLength(1);
    } finally {
      await bot.close();
    }
  });

  it('events wait for the token check, then use the identity from auth.test (no auth.test per event)', async () => {
    const bot = await startBot({ identity: null });
    try {
      await bot.runtime.verifyToken();
      for (let i = 0; i < 3; i++) {
        await bot.post('event', eventCallback(messageEvent({ ts: nextTs(), text: META_EXPIRED })));
      }
      // Its own message is recognised from the auth.test identity:
      await bot.post(
        'event',
        eventCallback(messageEvent({ ts: nextTs(), user: FAKE_IDENTITY.user_id, text: META_EXPIRED })),
      );
      await bot.idle();
      expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(3);
      expect(bot.fake.callsTo('auth.test')).toHaveLength(1);
    } finally {
      await bot.close();
    }
  });

  it('a rejected token fails verifyToken with the Slack error code', async () => {
    const bot = await startBot({ identity: null });
    try {
      bot.fake.validTokens.clear();
      await expect(bot.runtime.verifyToken()).rejects.toMatchObject({
        name: 'TokenRejectedError',
        code: 'invalid_auth',
      });
      expect((await bot.get('/healthz')).status).toBe(503);
    } finally {
      await bot.close();
    }
  });
});

describe('graceful stop', () => {
  it('stops taking requests but finishes the reply in flight', async () => {
    const bot = await startBot();
    bot.fake.fail('chat.postMessage', { delayMs: 400 });
    await bot.post('event', eventCallback(messageEvent({ ts: nextTs(), text: META_EXPIRED })));
    expect(bot.runtime.inFlight()).toBe(1);
    const stopping = bot.runtime.stop(3_000);
    // New Slack requests are turned away while stopping.
    const late = await fetch(`${bot.base}/slack/events`, { method: 'POST', body: '{}' }).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    const { drained } = await stopping;
    expect(drained).toBe(true);
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(1);
    await bot.fake.close();
  });
});
