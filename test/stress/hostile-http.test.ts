/**
 * Hostile input at the real process (node dist/index.js, SQLite store), correctly signed: 15 batches of
 * 100 random and malformed bodies sent at once (see test/support/hostile.ts), then huge bodies (0.5–4.5
 * MB: over the 4 MB limit is a 413). Never a 5xx, never no answer, never a crash (the process is alive,
 * stderr empty, no uncaught exception or unhandled rejection logged), and a valid request is answered
 * after every batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FAKE_IDENTITY, FakeSlack } from '../support/fake-slack';
import { hostileBatch, hugeBody, sendHostile } from '../support/hostile';
import { eventCallback, mentionEvent, nextTs } from '../support/payloads';
import { deliver } from '../support/slack-sender';
import { PROCESS_SECRET, type SpawnedBot, spawnBot } from '../support/spawn-bot';

describe('hostile input at the real process', () => {
  let fake: FakeSlack;
  let cwd: string;
  let bot: SpawnedBot;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    cwd = mkdtempSync(join(tmpdir(), 'tokenfix-hostile-'));
    bot = await spawnBot(fake, cwd, { DATABASE_URL: 'sqlite:./data/tokenfix.db', LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    bot.kill();
    await fake.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const stillAnswers = async () => {
    const ts = nextTs();
    const d = await deliver(
      bot.base,
      PROCESS_SECRET,
      'event',
      eventCallback(mentionEvent({ ts, text: `<@${FAKE_IDENTITY.user_id}> invalid_grant` })),
      { retry: false },
    );
    expect(d.status).toBe(200);
    await fake.waitFor(
      'the answer to a valid request',
      () => fake.okCalls('chat.postMessage').some((c) => c.body.thread_ts === ts),
      10_000,
    );
  };

  const noCrash = () => {
    expect(bot.child.exitCode).toBeNull();
    expect(bot.stderr()).toBe('');
    const fatal = bot.logs.filter(
      (l) => l.msg === 'uncaught exception; exiting' || l.msg === 'unhandled rejection',
    );
    expect(fatal).toEqual([]);
  };

  it('1,500 random and malformed bodies: never a 5xx or a crash; valid requests still answered', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBatch(100), async (batch) => {
        const statuses = await Promise.all(batch.map((r) => sendHostile(bot.base, PROCESS_SECRET, r)));
        const bad = batch
          .map((r, i) => ({ label: r.label, status: statuses[i] as number, body: r.body.slice(0, 200) }))
          .filter((x) => x.status === 0 || x.status >= 500);
        expect(bad).toEqual([]);
        await stillAnswers();
        noCrash();
      }),
      { numRuns: 15, seed: Number(process.env.FC_SEED ?? 5), endOnFailure: true },
    );
  }, 240_000);

  it('huge bodies (0.5–4.5 MB): 2xx/4xx (413 over the limit), no crash; valid requests still answered', async () => {
    await fc.assert(
      fc.asyncProperty(hugeBody, async (r) => {
        const status = await sendHostile(bot.base, PROCESS_SECRET, { ...r, headers: {} });
        if (r.body.length > 4 * 1024 * 1024) expect(status).toBe(413);
        else expect(status > 0 && status < 500).toBe(true);
        await stillAnswers();
        noCrash();
      }),
      { numRuns: 12, seed: 7, endOnFailure: true },
    );
  });
});
