/**
 * Issue 11.4: a crash loses no acknowledged reply. The real program (node dist/index.js) on a SQLite
 * file, and on PostgreSQL, gets 200 signed events (passive token errors, @mentions, DMs). Mid-way
 * Slack starts rate-limiting chat.postMessage, so replies are acked and claimed but not posted; the
 * bot is then SIGKILLed with them in flight. It is started again on the same store, and every event is
 * delivered again the way Slack does (x-slack-retry-num): at once (the claims are still within their
 * lease: refused), then once the lease has lapsed (answered). In fake Slack's record every acked event
 * must end with exactly one reply: 0 lost, 0 doubled.
 *
 * The lease comes from the knowledge setting `replyLeaseSeconds` (45 s in production), set to 8 s here
 * through KNOWLEDGE_PATH so the test need not wait a minute.
 *
 * Why rate limits and not a slow answer: a post that reached Slack is posted even when the bot dies
 * before hearing back, and a redelivery then answers it again — the one window that stays
 * at-least-once (see SECURITY.md 11.4). The kill is made when no post is between Slack and the bot.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { UNCAPPED } from '../support/bot';
import { FAKE_IDENTITY, FakeSlack } from '../support/fake-slack';
import { eventCallback, mentionEvent, messageEvent, nextTs } from '../support/payloads';
import { createDatabase, postgresOrReport } from '../support/postgres';
import { type Delivery, deliver, prng, shuffle } from '../support/slack-sender';
import { PROCESS_SECRET, type SpawnedBot, spawnBot } from '../support/spawn-bot';

const BOT = FAKE_IDENTITY.user_id;
const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT. (OAuthException code 190, error_subcode 463)';
const GOOGLE_GRANT = 'Google Ads sync failed: invalid_grant (Token has been expired or revoked.)';
const LEASE_SECONDS = 8;

interface Planned {
  payload: Record<string, unknown>;
  /** How its reply is recognised in fake Slack's record: `channel thread_ts`, or the DM's channel. */
  answerKey: string;
}

/** 200 events: 140 passive token errors in 7 channels, 30 @mentions, 30 DMs — in two waves of 100. */
function plan(run: string): Planned[][] {
  const events: Planned[] = [];
  for (let i = 0; i < 140; i++) {
    const channel = `C0${run}P${i % 7}`;
    const ts = nextTs();
    const text = i % 2 ? META_EXPIRED : GOOGLE_GRANT;
    events.push({
      payload: eventCallback(messageEvent({ channel, ts, text })),
      answerKey: `${channel} ${ts}`,
    });
  }
  for (let i = 0; i < 30; i++) {
    const channel = `C0${run}M${i % 3}`;
    const ts = nextTs();
    const text = `<@${BOT}> ${META_EXPIRED}`;
    events.push({
      payload: eventCallback(mentionEvent({ channel, ts, text })),
      answerKey: `${channel} ${ts}`,
    });
  }
  for (let i = 0; i < 30; i++) {
    const channel = `D0${run}D${i}`;
    const payload = eventCallback(
      messageEvent({ channel, channel_type: 'im', ts: nextTs(), text: GOOGLE_GRANT }),
    );
    events.push({ payload, answerKey: channel });
  }
  const mixed = shuffle(events, prng(11));
  return [mixed.slice(0, 100), mixed.slice(100)];
}

/** Replies per answer key, from fake Slack's record of successful posts. */
function replies(fake: FakeSlack): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of fake.okCalls('chat.postMessage')) {
    const channel = String(c.body.channel);
    const key = typeof c.body.thread_ts === 'string' ? `${channel} ${c.body.thread_ts}` : channel;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

const send = (bot: SpawnedBot, events: Planned[], retryNum = 0): Promise<Delivery[]> =>
  Promise.all(
    events.map((e) =>
      deliver(bot.base, PROCESS_SECRET, 'event', e.payload, {
        retry: false,
        ...(retryNum > 0 ? { retryNum, retryReason: 'http_timeout' } : {}),
      }),
    ),
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads the claims table, whichever engine holds it. */
type ClaimsQuery = (sql: string) => Promise<Array<Record<string, unknown>>>;

/** Claims of the events' messages (every event here has one): how many, and how many already answered. */
async function messageClaims(query: ClaimsQuery): Promise<{ all: number; answered: number | null }> {
  const all = Number((await query("SELECT count(*) AS n FROM claims WHERE key LIKE 'msg:%'"))[0]?.n);
  try {
    const rows = await query(
      "SELECT count(*) AS n FROM claims WHERE key LIKE 'msg:%' AND state = 'answered'",
    );
    return { all, answered: Number(rows[0]?.n) };
  } catch {
    return { all, answered: null }; // a store from before claims had a state (the old code): final at once
  }
}

async function waitUntil(
  what: string,
  ok: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function crashAndRestart(databaseUrl: string, query: ClaimsQuery, run: string): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), 'tokenfix-crash-'));
  const fake = await FakeSlack.start();
  const knowledgePath = join(cwd, 'lease.yml');
  // The per-channel cap on passive replies (issue 11.5) would turn most of this burst into reactions.
  writeFileSync(
    knowledgePath,
    `settings:\n  replyLeaseSeconds: ${LEASE_SECONDS}\n  passiveRepliesPerMinute: ${UNCAPPED.passiveRepliesPerMinute}\n`,
  );
  const env = { DATABASE_URL: databaseUrl, KNOWLEDGE_PATH: knowledgePath };
  let bot: SpawnedBot | undefined;
  try {
    bot = await spawnBot(fake, cwd, env);
    const [first = [], second = []] = plan(run);
    const all = [...first, ...second];

    // Wave 1 at once; once some of its replies are out, Slack rate-limits every post (Retry-After 30 s):
    // the rest of wave 1 and all of wave 2 are acked and claimed, their replies held back.
    const wave1 = send(bot, first);
    await waitUntil('the first replies', () => fake.okCalls('chat.postMessage').length >= 40, 20_000);
    fake.failFor('chat.postMessage', { status: 429, retryAfter: 30 }, 120_000);
    const acked = [...(await wave1), ...(await send(bot, second))];
    expect(acked.filter((d) => d.status !== 200)).toEqual([]);

    // Every event claimed its message, and every reply that went out is marked so in the store: the
    // kill lands where no post is between Slack and the bot.
    await waitUntil(
      'every message claimed, the posted ones answered',
      async () => {
        const c = await messageClaims(query);
        const posted = fake.okCalls('chat.postMessage').length;
        return c.all === all.length && (c.answered === null || c.answered === posted);
      },
      20_000,
    );
    const postedBeforeKill = fake.okCalls('chat.postMessage').length;
    expect(postedBeforeKill).toBeLessThanOrEqual(first.length);
    // Replies in flight at the kill: acked, claimed, not posted.
    expect(all.length - postedBeforeKill).toBeGreaterThanOrEqual(second.length);

    bot.child.kill('SIGKILL');
    await bot.exit;
    const killedAt = Date.now();
    fake.heal();

    bot = await spawnBot(fake, cwd, env);
    // Slack's immediate retry. The killed bot renewed its leases every third of one until it died, so
    // they last about two thirds of a lease from the kill (half, allowing for a late renewal timer): a
    // retry processed by then finds the claims pending and fresh (another delivery might still be at
    // work) and is refused.
    expect((await send(bot, all, 1)).filter((d) => d.status !== 200)).toEqual([]);
    await sleep(300);
    const sinceKill = Date.now() - killedAt;
    const withinLease = sinceKill < (LEASE_SECONDS / 2) * 1_000;
    const answeredByFirstRetry = fake.okCalls('chat.postMessage').length - postedBeforeKill;
    if (withinLease) expect(answeredByFirstRetry).toBe(0);
    else
      console.warn(
        'crash-restart: the restart took longer than half the lease; the refusal within it was not checked',
      );
    // Slack's next retry comes after a minute; here, once the lease has surely lapsed.
    await sleep(Math.max(0, killedAt + LEASE_SECONDS * 1_000 + 1_000 - Date.now()));
    expect((await send(bot, all, 2)).filter((d) => d.status !== 200)).toEqual([]);

    const expected = new Set(all.map((e) => e.answerKey));
    await waitUntil('every reply', () => [...expected].every((k) => replies(fake).has(k)), 20_000).catch(
      () => {},
    );
    await sleep(500); // anything doubled would have arrived by now
    const got = replies(fake);
    const lost = [...expected].filter((k) => !got.has(k));
    const doubled = [...got].filter(([, n]) => n > 1).map(([k]) => k);
    const unexpected = [...got.keys()].filter((k) => !expected.has(k));
    console.log(
      `crash-restart (${run}): ${all.length} acked, ${postedBeforeKill} posted before the kill, ${answeredByFirstRetry} by the immediate retry (${sinceKill} ms after the kill), ${got.size} answered in the end; lost ${lost.length}, doubled ${doubled.length}`,
    );
    expect({ lost: lost.length, doubled, unexpected }).toEqual({ lost: 0, doubled: [], unexpected: [] });
    expect(fake.violations).toEqual([]);
    // Nothing left pending once every reply is out.
    const c = await messageClaims(query);
    expect(c.answered).toBe(all.length);
  } finally {
    bot?.kill();
    await fake.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}

describe('SIGKILL with replies in flight, then a restart on the same store: 0 lost, 0 doubled', () => {
  it('on a SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenfix-crash-db-'));
    const file = join(dir, 'tokenfix.db');
    const query: ClaimsQuery = async (sql) => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all() as Array<Record<string, unknown>>;
      } finally {
        db.close();
      }
    };
    try {
      await crashAndRestart(`sqlite:${file}`, query, 'S');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const adminUrl = postgresOrReport('crash and restart on PostgreSQL');
  if (adminUrl !== null) {
    it('on PostgreSQL', async () => {
      const url = await createDatabase(adminUrl, 'crash');
      const query: ClaimsQuery = async (sql) => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(sql)).rows as Array<Record<string, unknown>>;
        } finally {
          await client.end();
        }
      };
      await crashAndRestart(url, query, 'P');
    });
  }
});
