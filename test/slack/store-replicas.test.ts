/**
 * Several replicas on ONE real PostgreSQL (the server the jest globalSetup started), over signed HTTP
 * against one fake Slack: exactly one reply per event, one outbreak alert, nothing secret in the
 * tables, the passive reply cap counted once for all replicas, and a store outage that degrades
 * (/healthz 503, the cap counted in process) without stopping replies.
 */
import { Client } from 'pg';
import { ACTION_IDS } from '../../src/cards';
import { openStore, type Store } from '../../src/store';
import { isConnectionProblem, StoreUnavailableError, StoreWhenReachable } from '../../src/store/later';
import { startBot, type TestBot, UNCAPPED, withSettings } from '../support/bot';
import { type Call, FAKE_IDENTITY, FakeSlack } from '../support/fake-slack';
import {
  blockAction,
  eventCallback,
  mentionEvent,
  messageEvent,
  nextTs,
  slashCommand,
  TEAM,
} from '../support/payloads';
import { createDatabase, describePostgres } from '../support/postgres';

const BOT = FAKE_IDENTITY.user_id;
const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
const META_RESET = 'Error validating access token: The user has logged out. (#190) error_subcode 467';

type Block = { type: string; elements?: Array<Record<string, unknown>> };

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

describePostgres('replicas on one PostgreSQL', (adminUrl) => {
  let fake: FakeSlack;
  let url: string;
  let stores: Store[];
  let a: TestBot;
  let b: TestBot;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    url = await createDatabase(adminUrl, 'replicas');
    // Two replicas start at once on a fresh database: migrations under the advisory lock.
    stores = await Promise.all([openStore(url), openStore(url)]);
    [a, b] = await Promise.all([
      startBot({ fake, store: stores[0], alertChannel: 'C0ALERTS', knowledge: withSettings(UNCAPPED) }),
      startBot({ fake, store: stores[1], alertChannel: 'C0ALERTS', knowledge: withSettings(UNCAPPED) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all(stores.map((s) => s.close()));
    await fake.close();
  });
  afterEach(() => {
    expect(fake.violations).toEqual([]);
    fake.reset();
  });

  const idle = () => Promise.all([a.idle(), b.idle()]);
  const posts = (channel?: string): Call[] =>
    fake.okCalls('chat.postMessage').filter((c) => channel === undefined || c.body.channel === channel);

  it('the same signed event delivered to both at the same moment gets exactly one reply (20 times over)', async () => {
    for (let i = 0; i < 20; i++) {
      const event = eventCallback(messageEvent({ channel: 'C0TWICE', ts: nextTs(), text: META_EXPIRED }));
      const [ra, rb] = await Promise.all([a.post('event', event), b.post('event', event)]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
    }
    await idle();
    expect(posts('C0TWICE')).toHaveLength(20);
    expect(new Set(posts().map((p) => p.body.thread_ts)).size).toBe(20);
  });

  it('a Slack retry (x-slack-retry-num) arriving later at the other replica is not answered again', async () => {
    const ts = nextTs();
    const event = eventCallback(messageEvent({ channel: 'C0RETRY', ts, text: META_EXPIRED }));
    await a.post('event', event);
    await idle();
    expect(posts('C0RETRY')).toHaveLength(1);
    const retry = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
    expect((await b.post('event', event, {}, retry)).status).toBe(200);
    expect((await a.post('event', event, {}, { ...retry, 'x-slack-retry-num': '2' })).status).toBe(200);
    await idle();
    expect(posts('C0RETRY')).toHaveLength(1);
    // A `message` event is claimed by its listener as the message itself (channel + ts), which every
    // redelivery of it meets; app.ts skips the event-id claim for them (one store write less per message).
    const claimed = await sql(url, "SELECT key FROM claims WHERE key LIKE 'msg:%'");
    expect(claimed.some((r) => r.key === `msg:C0RETRY:${ts}`)).toBe(true);
  });

  it('one @mention heard twice (app_mention on one replica, message on the other, at once) gets one answer', async () => {
    for (let i = 0; i < 5; i++) {
      const ts = nextTs();
      const text = `<@${BOT}> ${META_EXPIRED}`;
      await Promise.all([
        a.post('event', eventCallback(mentionEvent({ channel: 'C0MENTION', ts, text }))),
        b.post('event', eventCallback(messageEvent({ channel: 'C0MENTION', ts, text }))),
      ]);
    }
    await idle();
    expect(posts('C0MENTION')).toHaveLength(5);
  });

  it('an outbreak reported to both replicas at once is announced once', async () => {
    const events = Array.from({ length: 8 }, (_, i) =>
      eventCallback(
        messageEvent({ channel: `C0OB${i % 4}`, user: `U0OB${i}`, ts: nextTs(), text: META_RESET }),
      ),
    );
    // Each report reaches both replicas (as a retry would), all at once.
    await Promise.all(events.flatMap((e) => [a.post('event', e), b.post('event', e)]));
    await idle();
    const alerts = posts('C0ALERTS');
    expect(alerts).toHaveLength(1);
    // Announced when the thresholds are crossed, so the figures are those of that moment: at least the
    // thresholds (5 reports, 3 channels), at most what was sent (8 reports, 4 channels).
    const announced =
      /^🔑 tokenfix · Possible platform-wide event: (\d+) Meta security resets in the last hour across (\d) channels$/.exec(
        String(alerts[0]?.body.text),
      );
    expect(announced).not.toBeNull();
    expect(Number(announced?.[1])).toBeGreaterThanOrEqual(5);
    expect(Number(announced?.[1])).toBeLessThanOrEqual(8);
    expect(Number(announced?.[2])).toBeGreaterThanOrEqual(3);
    expect(Number(announced?.[2])).toBeLessThanOrEqual(4);
    // Every report recorded once.
    expect(await sql(url, "SELECT count(*)::int AS n FROM diagnoses WHERE channel_id LIKE 'C0OB%'")).toEqual([
      { n: 8 },
    ]);
  });

  it('a planted token and a distinctive phrase sent through the bot are in no PostgreSQL table', async () => {
    const token = 'EAAGm0PX4ZCpsBAKxyz123plantedPG';
    const phrase = 'wombat carousel apricot';
    const text = `${phrase}: ${META_EXPIRED} access_token=${token}`;
    await a.post('event', eventCallback(messageEvent({ channel: 'C0SECRET', ts: nextTs(), text })));
    await b.post(
      'event',
      eventCallback(mentionEvent({ channel: 'C0SECRET', ts: nextTs(), text: `<@${BOT}> ${text}` })),
    );
    await a.post('command', slashCommand(text, fake.responseUrl('secret'), { channel_id: 'C0SECRET' }));
    await idle();
    const card = posts('C0SECRET')[0]?.body.blocks as Block[];
    const value = card.flatMap((x) => x.elements ?? []).find((e) => e.action_id === ACTION_IDS.stillBroken)
      ?.value as string;
    await b.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.stillBroken,
        value,
        channel: 'C0SECRET',
        message: { ts: nextTs(), text: 'card', blocks: card },
        responseUrl: fake.responseUrl('secret-vote'),
      }),
    );
    await b.post(
      'command',
      slashCommand('listen react', fake.responseUrl('secret-set'), { channel_id: 'C0SECRET' }),
    );
    await idle();
    expect(await sql(url, "SELECT count(*)::int AS n FROM diagnoses WHERE channel_id = 'C0SECRET'")).toEqual([
      { n: 3 },
    ]);
    expect(await sql(url, "SELECT count(*)::int AS n FROM votes WHERE channel_id = 'C0SECRET'")).toEqual([
      { n: 1 },
    ]);

    const tables = await sql(
      url,
      "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    );
    expect(tables.length).toBeGreaterThanOrEqual(7);
    const dump: string[] = [];
    for (const { t } of tables) {
      dump.push(
        String(t),
        ...(await sql(url, `SELECT x::text AS row FROM ${String(t)} x`)).map((r) => String(r.row)),
      );
    }
    const all = dump.join('\n');
    expect(all).toContain('C0SECRET:'); // the dump reads what was written
    for (const n of [token, token.slice(0, 14), phrase, 'wombat', 'apricot']) {
      expect({ n, found: all.toLowerCase().includes(n.toLowerCase()) }).toEqual({ n, found: false });
      expect({ n, inLogs: [...a.logs, ...b.logs].some((l) => l.includes(n)) }).toEqual({ n, inLogs: false });
    }
  });
});

describePostgres('the passive reply cap, shared by replicas on one PostgreSQL', (adminUrl) => {
  const CAP = 4;
  let fake: FakeSlack;
  let url: string;
  let stores: Store[];
  let a: TestBot;
  let b: TestBot;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    url = await createDatabase(adminUrl, 'cap');
    stores = await Promise.all([openStore(url), openStore(url)]);
    const k = withSettings({ passiveRepliesPerMinute: CAP });
    [a, b] = await Promise.all([
      startBot({ fake, store: stores[0], knowledge: k }),
      startBot({ fake, store: stores[1], knowledge: k }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all(stores.map((s) => s.close()));
    await fake.close();
  });
  afterEach(() => {
    expect(fake.violations).toEqual([]);
    fake.reset();
  });

  const idle = () => Promise.all([a.idle(), b.idle()]);
  const calls = (method: string, channel: string): Call[] =>
    fake.okCalls(method).filter((c) => c.body.channel === channel);
  const flood = (channel: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      eventCallback(
        messageEvent({
          channel,
          ts: nextTs(),
          user: `U0FLOOD${i}`,
          text: `sync ${i} failed: ${META_EXPIRED}`,
        }),
      ),
    );

  it(`a flood in one channel delivered alternately to two replicas gets ${CAP} threaded replies in all, the rest the reaction only`, async () => {
    const events = flood('C0FLOOD', 5 * CAP);
    for (const [i, e] of events.entries()) expect((await (i % 2 ? b : a).post('event', e)).status).toBe(200);
    await idle();
    const replies = calls('chat.postMessage', 'C0FLOOD');
    expect(replies).toHaveLength(CAP);
    expect(replies.every((r) => typeof r.body.thread_ts === 'string')).toBe(true);
    expect(calls('reactions.add', 'C0FLOOD')).toHaveLength(5 * CAP - CAP);
    // Each message got one thing: a reply in its thread or the reaction, never both, never neither.
    const answered = new Set([
      ...replies.map((r) => r.body.thread_ts),
      ...calls('reactions.add', 'C0FLOOD').map((r) => r.body.timestamp),
    ]);
    expect(answered.size).toBe(5 * CAP);
    const capped = [...a.logs, ...b.logs].filter(
      (l) => l.includes('passive reply cap reached') && l.includes('C0FLOOD'),
    );
    expect(capped).toHaveLength(5 * CAP - CAP);
    // Both replicas did take part: the cap is the store's, not one replica's.
    for (const r of [a, b]) expect(r.logs.some((l) => l.includes('C0FLOOD'))).toBe(true);
  });

  it('the same, all at once (both replicas busy on the channel at the same moment): still the cap in all', async () => {
    const events = flood('C0RUSH', 5 * CAP);
    const res = await Promise.all(events.map((e, i) => (i % 2 ? b : a).post('event', e)));
    expect(res.map((r) => r.status)).toEqual(Array(5 * CAP).fill(200));
    await idle();
    expect(calls('chat.postMessage', 'C0RUSH')).toHaveLength(CAP);
    expect(calls('reactions.add', 'C0RUSH')).toHaveLength(5 * CAP - CAP);
    // Another channel has its own cap.
    await b.post('event', flood('C0QUIET', 1)[0]);
    await idle();
    expect(calls('chat.postMessage', 'C0QUIET')).toHaveLength(1);
  });

  it('the store keeps the channel key and slot times only: one row per channel, no more times than the cap', async () => {
    const rows = await sql(
      url,
      "SELECT key, array_length(times, 1) AS n, expires_at FROM reply_caps WHERE key LIKE '%C0FLOOD' OR key LIKE '%C0RUSH'",
    );
    expect(rows.map((r) => r.key).sort()).toEqual([`${TEAM}:C0FLOOD`, `${TEAM}:C0RUSH`]);
    expect(rows.map((r) => r.n)).toEqual([CAP, CAP]);
    const columns = await sql(
      url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'reply_caps' ORDER BY column_name",
    );
    expect(columns.map((c) => c.column_name)).toEqual(['expires_at', 'key', 'times']);
  });
});

describePostgres('a store outage', (adminUrl) => {
  it('a PostgreSQL unreachable at start is connected once it answers; until then every call fails fast', async () => {
    const url = await createDatabase(adminUrl, 'later');
    const db = new URL(url).pathname.slice(1);
    await sql(adminUrl, `ALTER DATABASE ${db} ALLOW_CONNECTIONS false`);
    const later = new StoreWhenReachable({ engine: 'postgres', open: () => openStore(url), retryMs: 100 });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(later.connected).toBe(false);
      expect(await later.ping()).toBe(false);
      await expect(later.claim('event:Ev1', 60_000)).rejects.toThrow(StoreUnavailableError);
      await sql(adminUrl, `ALTER DATABASE ${db} ALLOW_CONNECTIONS true`);
      const until = Date.now() + 5_000;
      while (!later.connected && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(await later.ping()).toBe(true);
      expect(await later.claim('event:Ev1', 60_000)).toBe(true);
      expect(await later.claim('event:Ev1', 60_000)).toBe(false);
    } finally {
      await sql(adminUrl, `ALTER DATABASE ${db} ALLOW_CONNECTIONS true`);
      await later.close();
    }
  });

  it('only "can\'t reach the server" errors start without the store; a wrong password or database stops start-up', async () => {
    const refused = await openStore('postgres://x:y@127.0.0.1:1/none').catch((e: unknown) => e);
    expect(isConnectionProblem(refused)).toBe(true);
    const u = new URL(adminUrl);
    u.pathname = '/no_such_database';
    const missing = await openStore(u.toString()).catch((e: unknown) => e);
    expect(isConnectionProblem(missing)).toBe(false);
  });

  it('/healthz is 503 while PostgreSQL refuses us, /livez 200; replies go on (once), feedback says it was not saved; then back to 200', async () => {
    const url = await createDatabase(adminUrl, 'outage');
    const db = new URL(url).pathname.slice(1);
    const store = await openStore(url);
    const bot = await startBot({ store, storeTimeoutMs: 1_000 });
    const block = async (allow: boolean) => {
      await sql(adminUrl, `ALTER DATABASE ${db} ALLOW_CONNECTIONS ${allow}`);
      if (!allow)
        await sql(adminUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}'`);
    };
    try {
      expect((await bot.get('/healthz')).status).toBe(200);
      await block(false);

      const health = await bot.get('/healthz');
      expect(health.status).toBe(503);
      expect(JSON.parse(health.text)).toEqual({ ok: false, reason: 'store unreachable' });
      expect((await bot.get('/livez')).status).toBe(200);
      // Readiness leaves the store out: a store outage must not de-list every replica at once.
      expect((await bot.get('/readyz')).status).toBe(200);

      // Diagnosing and replying go on; the same event twice still gets one reply (in-process claims).
      const event = eventCallback(messageEvent({ channel: 'C0DOWN', ts: nextTs(), text: META_EXPIRED }));
      await bot.post('event', event);
      await bot.post('event', event);
      await bot.idle();
      const cards = bot.fake.okCalls('chat.postMessage');
      expect(cards).toHaveLength(1);
      const blocks = cards[0]?.body.blocks as Block[];
      const value = blocks.flatMap((x) => x.elements ?? []).find((e) => e.action_id === ACTION_IDS.fixed)
        ?.value as string;
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.fixed,
          value,
          channel: 'C0DOWN',
          message: { ts: nextTs(), text: 'card', blocks },
          responseUrl: bot.fake.responseUrl('down-vote'),
        }),
      );
      await bot.idle();
      expect(JSON.stringify(bot.fake.okCalls('chat.update')[0]?.body.blocks)).toContain(
        '✅ Fixed — confirmed by',
      );
      const notice = bot.fake.responseUrlPosts.find((p) => p.id === 'down-vote');
      expect(notice?.body).toMatchObject({ response_type: 'ephemeral' });
      expect(String(notice?.body.text)).toMatch(/couldn't save your feedback/);
      expect(bot.fake.okCalls('views.publish')).toHaveLength(0);
      expect(bot.logs.some((l) => l.includes('store unavailable; falling back'))).toBe(true);

      // A flood meanwhile: the reply cap is counted in process (this replica's), logged once; nothing crashes.
      for (let i = 0; i < 9; i++)
        await bot.post(
          'event',
          eventCallback(
            messageEvent({ channel: 'C0DOWNCAP', ts: nextTs(), user: `U0D${i}`, text: META_EXPIRED }),
          ),
        );
      await bot.idle();
      const inChannel = (method: string) =>
        bot.fake.okCalls(method).filter((c) => c.body.channel === 'C0DOWNCAP').length;
      expect([inChannel('chat.postMessage'), inChannel('reactions.add')]).toEqual([6, 3]);
      expect(bot.logs.filter((l) => l.includes('counting in this process'))).toHaveLength(1);

      await block(true);
      const until = Date.now() + 5_000;
      let status = (await bot.get('/healthz')).status;
      while (Date.now() < until && status !== 200) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await bot.get('/healthz')).status;
      }
      expect(status).toBe(200);
      // Recorded again once the store is back.
      await bot.post(
        'event',
        eventCallback(messageEvent({ channel: 'C0DOWN', ts: nextTs(), text: META_EXPIRED })),
      );
      await bot.idle();
      expect(await sql(url, "SELECT count(*)::int AS n FROM diagnoses WHERE team_id = 'T1'")).toEqual([
        { n: 1 },
      ]);
      expect(TEAM).toBe('T1');
    } finally {
      await block(true).catch(() => undefined);
      await bot.close();
      await store.close();
    }
  });
});
