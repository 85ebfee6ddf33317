/**
 * Issue 11.6: /livez (the event loop answers), /readyz (started, token verified, not draining; the store
 * is not in it) and /healthz (deep: the store too, naming it). A SQLite file deleted under the running bot
 * used to leave /healthz at 200 while every write went to a file nobody will ever open again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openStore, type Store } from '../../src/store';
import { startBot, type TestBot } from '../support/bot';
import { slashCommand } from '../support/payloads';

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-health-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('health routes', () => {
  let store: Store;
  let bot: TestBot;
  let file: string;
  beforeAll(async () => {
    file = join(tmp, 'health.db');
    store = await openStore(`sqlite:${file}`);
    bot = await startBot({ store });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
  });

  it('all three are 200 while everything works', async () => {
    for (const path of ['/livez', '/readyz', '/healthz']) {
      const res = await bot.get(path);
      expect([path, res.status]).toEqual([path, 200]);
    }
  });

  it('SQLite file deleted: /healthz 503 naming the store, /readyz and /livez still 200', async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    const health = await bot.get('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toEqual({ ok: false, reason: 'store unreachable' });
    expect((await bot.get('/readyz')).status).toBe(200);
    expect((await bot.get('/livez')).status).toBe(200);
  });
});

describe('a store whose writes fail while it still reads (a full disk)', () => {
  let store: Store;
  let bot: TestBot;
  beforeAll(async () => {
    store = await openStore(`sqlite:${join(tmp, 'full.db')}`);
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    // The real store, but recording a diagnosis fails the way SQLite does on a full disk.
    const failing = new Proxy(store, {
      get: (target, key, receiver) =>
        key === 'recordDiagnosis' ? () => Promise.reject(full) : Reflect.get(target, key, receiver),
    });
    bot = await startBot({ store: failing });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
  });

  it('/healthz 503 naming the failed store call, /readyz 200, and the answer still comes', async () => {
    expect((await bot.get('/healthz')).status).toBe(200);
    const text = 'Error validating access token: Session has expired (OAuthException code 190)';
    await bot.post('command', slashCommand(text, bot.fake.responseUrl('full')));
    await bot.fake.waitFor('the answer', () => bot.fake.responseUrlPosts.some((p) => p.id === 'full'));
    await bot.idle();
    const health = await bot.get('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toEqual({
      ok: false,
      reason: 'store: recordDiagnosis failed (SQLITE_FULL)',
    });
    expect((await bot.get('/readyz')).status).toBe(200);
  });
});

describe('an idle bot on a full disk: the store reads and locks, but a new row has no room', () => {
  let store: Store;
  let bot: TestBot;
  beforeAll(async () => {
    store = await openStore(`sqlite:${join(tmp, 'full-disk.db')}`);
    bot = await startBot({ store });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
  });

  it('/healthz writes for real: 503 "store not writable" before any reply has failed, /readyz 200', async () => {
    expect((await bot.get('/healthz')).status).toBe(200);
    // A full disk, for this file: no new page may be added, and what is there is filled up.
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const fill = db.prepare('INSERT INTO claims (key, expires_at) VALUES (?, ?)');
    expect(() => {
      for (let i = 0; i < 100_000; i++) fill.run(`f${i}`, Date.now() + 3_600_000);
    }).toThrow(/full/);
    const health = await bot.get('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toEqual({ ok: false, reason: 'store not writable' });
    expect((await bot.get('/readyz')).status).toBe(200);
  });
});
