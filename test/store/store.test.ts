/**
 * One store suite, run against both engines: SQLite (a file in a temp folder) and a real PostgreSQL
 * server started by the jest globalSetup (test/support/postgres.ts). No mocks of either database.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { Client, Pool } from 'pg';
import {
  DAY_MS,
  type DiagnosisRecord,
  describeDatabaseUrl,
  openStore,
  parseDatabaseUrl,
  type Store,
  StoreConfigError,
  StoreInputError,
} from '../../src/store';
import { TEAM_TABLES } from '../../src/store/installations';
import { MIGRATIONS, type Migration, migratePostgres, migrateSqlite } from '../../src/store/migrations';
import { PostgresStore } from '../../src/store/postgres';
import { createDatabase, postgresOrReport } from '../support/postgres';

const T0 = Date.UTC(2026, 0, 31, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-store-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface EngineUnderTest {
  name: 'sqlite' | 'postgres';
  /** A new, empty database. */
  freshUrl(): Promise<string>;
  /** Rows of a query run outside the store (its own connection). */
  query(url: string, sql: string): Promise<Record<string, unknown>[]>;
  /** Everything the engine keeps for this database, as text/bytes to search. */
  everything(url: string): Promise<Buffer>;
}

let sqliteCount = 0;
const sqliteEngine: EngineUnderTest = {
  name: 'sqlite',
  // A folder that does not exist yet: the store creates it.
  freshUrl: async () => `sqlite:${join(tmp, `db${++sqliteCount}`, 'nested', 'tokenfix.db')}`,
  query: async (url, sql) => {
    const db = new Database(parseFile(url), { readonly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  },
  everything: async (url) => {
    const file = parseFile(url);
    return Buffer.concat(
      [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter(existsSync).map((f) => readFileSync(f)),
    );
  },
};

function parseFile(url: string): string {
  const p = parseDatabaseUrl(url);
  if (p.engine !== 'sqlite') throw new Error('not sqlite');
  return p.file;
}

function postgresEngine(adminUrl: string): EngineUnderTest {
  const query = async (url: string, sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    freshUrl: () => createDatabase(adminUrl, 'store'),
    query,
    // Every table of the database, every row, as text.
    everything: async (url) => {
      const tables = await query(
        url,
        "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
      );
      const parts: string[] = [];
      for (const { t } of tables) {
        const rows = await query(url, `SELECT x::text AS row FROM ${String(t)} x`);
        parts.push(String(t), ...rows.map((r) => String(r.row)));
      }
      expect(tables.length).toBeGreaterThanOrEqual(6);
      return Buffer.from(parts.join('\n'), 'utf8');
    },
  };
}

const engines: [string, EngineUnderTest][] = [['SQLite', sqliteEngine]];
const pgAdmin = postgresOrReport('store on PostgreSQL');
if (pgAdmin !== null) engines.push(['PostgreSQL', postgresEngine(pgAdmin)]);

/** A diagnosis row with defaults. */
function row(store: Store, over: Partial<DiagnosisRecord> = {}): DiagnosisRecord {
  return {
    team: 'T1',
    channel: 'C1',
    user: 'U1',
    entryPoint: 'passive',
    platform: 'meta',
    cause: 'password_changed',
    confidence: 0.9,
    errorCode: '190/460',
    isTokenError: true,
    messageHash: store.hashMessage(`message ${Math.random()}`),
    ...over,
  };
}

describe.each(engines)('store on %s', (_label, engine) => {
  const clock = { now: T0 };
  const opened: Store[] = [];
  const open = async (url: string): Promise<Store> => {
    const s = await openStore(url, { now: () => clock.now });
    opened.push(s);
    return s;
  };
  let url: string;
  let store: Store;

  beforeEach(async () => {
    clock.now = T0;
    url = await engine.freshUrl();
    store = await open(url);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  describe('claim: exactly once', () => {
    test('the first claim wins, later ones lose until the key expires', async () => {
      expect(await store.claim('event:Ev1', 10 * MIN)).toBe(true);
      expect(await store.claim('event:Ev1', 10 * MIN)).toBe(false);
      expect(await store.claim('event:Ev2', 10 * MIN)).toBe(true);
      clock.now += 10 * MIN - 1;
      expect(await store.claim('event:Ev1', 10 * MIN)).toBe(false);
      clock.now += 1;
      expect(await store.claim('event:Ev1', 10 * MIN)).toBe(true); // expired: reclaimed
      expect(await store.claim('event:Ev1', 10 * MIN)).toBe(false);
    });

    test('50 concurrent claims of one key: exactly one true — also when reclaiming an expired key', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.claim('event:Same', HOUR)));
      expect(results.filter(Boolean)).toHaveLength(1);
      clock.now += HOUR;
      const again = await Promise.all(Array.from({ length: 50 }, () => store.claim('event:Same', HOUR)));
      expect(again.filter(Boolean)).toHaveLength(1);
    });

    test('a second store instance on the same database (another replica) loses the claim', async () => {
      const other = await open(url);
      expect(await store.claim('event:Ev1', HOUR)).toBe(true);
      expect(await other.claim('event:Ev1', HOUR)).toBe(false);
      // Both at once, 25 each, on a new key: one winner in all.
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? store : other).claim('event:Race', HOUR)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('claimInOrder: each claim is tried only while every earlier one was won', async () => {
      const a = { key: 'msg:C1:1', ttlMs: HOUR };
      const b = { key: 'passive:C1:1:meta:password_changed', ttlMs: 10 * MIN };
      const c = { key: 'msg:C1:2', ttlMs: HOUR };
      expect(await store.claimInOrder([a, b])).toBe(2);
      expect(await store.claimInOrder([a, b])).toBe(0); // a redelivery: nothing more is taken
      // A new message in the same thread: the message is won, the thread's card already went out.
      expect(await store.claimInOrder([c, b])).toBe(1);
      // Refused early, later keys are left untouched for whoever wins them next.
      expect(await store.claimInOrder([a, { key: 'untouched', ttlMs: HOUR }])).toBe(0);
      expect(await store.claim('untouched', HOUR)).toBe(true);
      // Each key keeps its own TTL.
      clock.now += 10 * MIN;
      expect(await store.claimInOrder([b])).toBe(1);
      expect(await store.claim(a.key, HOUR)).toBe(false);
    });

    test('claimInOrder: 50 concurrent calls on the same keys, one full winner', async () => {
      const keys = [
        { key: 'msg:C9:1', ttlMs: HOUR },
        { key: 'passive:C9:1:-:-', ttlMs: HOUR },
      ];
      const won = await Promise.all(Array.from({ length: 50 }, () => store.claimInOrder(keys)));
      expect(won.sort()).toEqual([...Array.from({ length: 49 }, () => 0), 2]);
    });

    test('claimInOrder refuses empty, oversized and repeated lists', async () => {
      await expect(store.claimInOrder([])).rejects.toThrow(StoreInputError);
      const nine = Array.from({ length: 9 }, (_, i) => ({ key: `k${i}`, ttlMs: HOUR }));
      await expect(store.claimInOrder(nine)).rejects.toThrow(StoreInputError);
      await expect(
        store.claimInOrder([
          { key: 'k', ttlMs: HOUR },
          { key: 'k', ttlMs: HOUR },
        ]),
      ).rejects.toThrow(StoreInputError);
      await expect(store.claimInOrder([{ key: 'ok', ttlMs: -1 }])).rejects.toThrow(StoreInputError);
    });

    test('bad keys and TTLs are refused', async () => {
      await expect(store.claim('has space', HOUR)).rejects.toThrow(StoreInputError);
      await expect(store.claim('', HOUR)).rejects.toThrow(StoreInputError);
      await expect(store.claim('k', 0)).rejects.toThrow(StoreInputError);
    });
  });

  describe('held claims: final only once the reply is posted (issue 11.4)', () => {
    const LEASE = 45_000;
    const msg = { key: 'msg:C1:1', ttlMs: HOUR };
    const thread = { key: 'passive:C1:1:meta:password_changed', ttlMs: 24 * HOUR };
    const state = async (key: string) =>
      (await engine.query(url, `SELECT state, holder FROM claims WHERE key = '${key}'`))[0];

    test('pending while the reply is made: a redelivery is refused until the lease lapses, then won', async () => {
      expect(await store.holdInOrder([msg, thread], 'h1', LEASE)).toBe(2);
      expect(await state(msg.key)).toEqual({ state: 'pending', holder: 'h1' });
      // Another delivery while the holder is at work (Slack's immediate retry, another replica).
      expect(await store.holdInOrder([msg, thread], 'h2', LEASE)).toBe(0);
      expect(await store.claim(msg.key, HOUR)).toBe(false);
      clock.now += LEASE - 1;
      expect(await store.holdInOrder([msg], 'h2', LEASE)).toBe(0);
      // The holder died (SIGKILL): nobody confirms, the lease lapses, the redelivery is answered.
      clock.now += 1;
      expect(await store.holdInOrder([msg, thread], 'h2', LEASE)).toBe(2);
      expect(await state(msg.key)).toEqual({ state: 'pending', holder: 'h2' });
      // The dead holder's late confirm (it was only slow after all) changes nothing: h2 owns the keys.
      expect(await store.confirmHeld('h1', [msg, thread])).toBe(0);
      expect(await store.releaseHeld('h1', [msg.key])).toBe(0);
      expect(await state(msg.key)).toEqual({ state: 'pending', holder: 'h2' });
    });

    test('answered: final for each claim’s own TTL from the answer, refused to every redelivery until then', async () => {
      expect(await store.holdInOrder([msg, thread], 'h1', LEASE)).toBe(2);
      clock.now += 10_000;
      expect(await store.confirmHeld('h1', [msg, thread])).toBe(2);
      expect(await state(msg.key)).toEqual({ state: 'answered', holder: null });
      clock.now += LEASE * 10; // long past the lease
      expect(await store.holdInOrder([msg], 'h2', LEASE)).toBe(0);
      expect(await store.claim(msg.key, HOUR)).toBe(false);
      clock.now = T0 + 10_000 + HOUR - 1;
      expect(await store.holdInOrder([msg], 'h2', LEASE)).toBe(0);
      clock.now += 1;
      expect(await store.holdInOrder([msg], 'h2', LEASE)).toBe(1); // its TTL ran out
      // The thread's claim keeps its own, longer TTL.
      expect(await store.holdInOrder([thread], 'h3', LEASE)).toBe(0);
    });

    test('released: free again at once (the post failed; a redelivery may do better)', async () => {
      expect(await store.holdInOrder([msg, thread], 'h1', LEASE)).toBe(2);
      expect(await store.releaseHeld('h1', [msg.key, thread.key])).toBe(2);
      expect(await state(msg.key)).toBeUndefined();
      expect(await store.holdInOrder([msg, thread], 'h2', LEASE)).toBe(2);
      // Releasing is for pending claims only: an answered claim stays answered.
      expect(await store.confirmHeld('h2', [msg])).toBe(1);
      expect(await store.releaseHeld('h2', [msg.key, thread.key])).toBe(1);
      expect(await store.holdInOrder([msg], 'h3', LEASE)).toBe(0);
    });

    test('renewed while the holder works: the lease runs from the renewal, for its holders only', async () => {
      expect(await store.holdInOrder([msg], 'h1', LEASE)).toBe(1);
      expect(await store.holdInOrder([{ key: 'msg:C1:2', ttlMs: HOUR }], 'h9', LEASE)).toBe(1);
      clock.now += LEASE - 1_000;
      expect(await store.renewHeld(['h1', 'nobody'], LEASE)).toBe(1);
      clock.now += 2_000; // past the first lease, within the renewed one
      expect(await store.holdInOrder([msg], 'h2', LEASE)).toBe(0);
      expect(await store.holdInOrder([{ key: 'msg:C1:2', ttlMs: HOUR }], 'h2', LEASE)).toBe(1); // h9 did not renew
      expect(await store.renewHeld([], LEASE)).toBe(0);
      // Answered claims are never renewed (their TTL is theirs).
      expect(await store.confirmHeld('h1', [msg])).toBe(1);
      expect(await store.renewHeld(['h1'], LEASE)).toBe(0);
    });

    test('in order: a refused claim stops the list, as with claimInOrder', async () => {
      const other = { key: 'msg:C1:3', ttlMs: HOUR };
      expect(await store.claim(thread.key, HOUR)).toBe(true); // the thread got its card already
      expect(await store.holdInOrder([other, thread], 'h1', LEASE)).toBe(1);
      expect(await store.holdInOrder([{ key: 'msg:C1:4', ttlMs: HOUR }, other], 'h2', LEASE)).toBe(1);
      expect(await state('msg:C1:4')).toEqual({ state: 'pending', holder: 'h2' });
      // A final claim taken over after a pending one lapsed is final (no holder).
      clock.now += LEASE;
      expect(await store.claim(other.key, HOUR)).toBe(true);
      expect(await state(other.key)).toEqual({ state: 'answered', holder: null });
    });

    test('50 concurrent holds of one key, from two replicas: one winner — also once its lease lapsed', async () => {
      const replica = await open(url);
      const race = (holder: string) =>
        Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 ? store : replica).holdInOrder([msg, thread], `${holder}${i}`, LEASE),
          ),
        );
      expect((await race('a')).sort()).toEqual([...Array.from({ length: 49 }, () => 0), 2]);
      clock.now += LEASE;
      expect((await race('b')).sort()).toEqual([...Array.from({ length: 49 }, () => 0), 2]);
    });

    test('bad holders, leases and lists are refused', async () => {
      await expect(store.holdInOrder([msg], 'has space', LEASE)).rejects.toThrow(StoreInputError);
      await expect(store.holdInOrder([msg], 'h', 0)).rejects.toThrow(StoreInputError);
      await expect(store.holdInOrder([], 'h', LEASE)).rejects.toThrow(StoreInputError);
      await expect(store.confirmHeld('', [msg])).rejects.toThrow(StoreInputError);
      await expect(store.releaseHeld('h', [])).rejects.toThrow(StoreInputError);
      await expect(store.renewHeld(['ok', 'not ok'], LEASE)).rejects.toThrow(StoreInputError);
      await expect(store.renewHeld(['ok'], -5)).rejects.toThrow(StoreInputError);
    });

    test('purge deletes pending claims whose lease lapsed, not fresh ones', async () => {
      expect(await store.holdInOrder([msg], 'h1', LEASE)).toBe(1);
      expect(await store.purgeExpired(T0 + LEASE - 1)).toMatchObject({ claims: 0 });
      expect(await store.purgeExpired(T0 + LEASE)).toMatchObject({ claims: 1 });
    });
  });

  describe('migrations', () => {
    test('opening again applies nothing and keeps the secret', async () => {
      const h = store.hashMessage('same text');
      const again = await open(url);
      expect(again.hashMessage('same text')).toBe(h);
      const versions = await engine.query(url, 'SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
      const secrets = await engine.query(
        url,
        "SELECT count(*) AS n FROM store_meta WHERE key = 'message_hash_key'",
      );
      expect(Number(secrets[0]?.n)).toBe(1);
    });

    test('a store from before team_enterprises (migration 9) takes it at start and keeps its rows', async () => {
      const fresh = await engine.freshUrl();
      await migrateOnly(
        fresh,
        MIGRATIONS.filter((m) => m.version < 9),
        "INSERT INTO workspace_settings (team_id, alert_channel, updated_by, updated_at) VALUES ('T0SALES', 'C0ALERTS', 'U1', 1)",
      );
      const upgraded = await open(fresh);
      const versions = await engine.query(fresh, 'SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
      expect((await upgraded.getAlertChoice('T0SALES'))?.channel).toBe('C0ALERTS');
      // Rows from before are forgotten with the org once their workspace is seen through it.
      await upgraded.installations.noteTeamEnterprise('T0SALES', 'E0GRID');
      expect(await upgraded.installations.forgetEnterprise('E0GRID')).toEqual(['T0SALES']);
      expect(await upgraded.getAlertChoice('T0SALES')).toBeNull();
    });

    test('two openStore() at once on a fresh database both succeed and share the secret', async () => {
      const fresh = await engine.freshUrl();
      const [a, b] = await Promise.all([open(fresh), open(fresh)]);
      expect(a.hashMessage('x')).toBe(b.hashMessage('x'));
      expect(await a.claim('k', HOUR)).toBe(true);
      expect(await b.claim('k', HOUR)).toBe(false);
    });

    test('four processes starting at once on a fresh database all succeed', async () => {
      const fresh = await engine.freshUrl();
      const startAt = Date.now() + 1000; // after the children have loaded
      const hashes = await Promise.all(Array.from({ length: 4 }, () => openInChildProcess(fresh, startAt)));
      expect(new Set(hashes).size).toBe(1);
      expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    }, 60_000);
  });

  describe('message hash', () => {
    test('is a keyed HMAC-SHA256: 64 hex digits, stable per store, different between stores', async () => {
      const h = store.hashMessage('Error validating access token');
      expect(h).toMatch(/^[0-9a-f]{64}$/);
      expect(store.hashMessage('Error validating access token')).toBe(h);
      expect(store.hashMessage('Error validating access token.')).not.toBe(h);
      const { createHash } = await import('node:crypto');
      expect(h).not.toBe(createHash('sha256').update('Error validating access token').digest('hex'));
      const elsewhere = await open(await engine.freshUrl());
      expect(elsewhere.hashMessage('Error validating access token')).not.toBe(h);
    });
  });

  describe('diagnoses', () => {
    test('a card is recorded once; bad fields are refused and odd error codes dropped', async () => {
      expect(await store.recordDiagnosis(row(store, { cardKey: 'card-1' }))).toBe(true);
      expect(await store.recordDiagnosis(row(store, { cardKey: 'card-1' }))).toBe(false);
      expect(await store.recordDiagnosis(row(store, { cardKey: null }))).toBe(true);
      expect(await store.recordDiagnosis(row(store))).toBe(true);
      await expect(store.recordDiagnosis(row(store, { messageHash: 'plain text' }))).rejects.toThrow(
        StoreInputError,
      );
      await expect(store.recordDiagnosis(row(store, { channel: 'general chat' }))).rejects.toThrow(
        StoreInputError,
      );
      await expect(store.recordDiagnosis(row(store, { platform: 'Meta Ads!' }))).rejects.toThrow(
        StoreInputError,
      );
      await expect(store.recordDiagnosis(row(store, { entryPoint: 'email' as never }))).rejects.toThrow(
        StoreInputError,
      );
      const codes = [
        '190/460',
        '190',
        'AADSTS700082',
        'invalid_grant',
        'EXPIRED_ACCESS_TOKEN',
        'accessDenied',
      ];
      const odd = [
        'token EAAB12 is bad',
        'EAAGm0PX4ZCpsBAKxyz123',
        'ya29.a0AfH6SMB',
        'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      ];
      for (const [i, errorCode] of [...codes, ...odd].entries())
        await store.recordDiagnosis(row(store, { errorCode, cardKey: `code-${i}` }));
      const kept = await engine.query(
        url,
        "SELECT error_code FROM diagnoses WHERE card_key LIKE 'code-%' ORDER BY id",
      );
      expect(kept.map((r) => r.error_code)).toEqual([...codes, ...odd.map(() => null)]);
      expect((await store.stats('T1', 1)).diagnoses).toBe(13);
    });
  });

  describe('votes', () => {
    test('one vote per person per card; a second click changes it', async () => {
      expect(await store.recordVote('card-1', 'U1', 'fixed')).toEqual({ previous: null, vote: 'fixed' });
      clock.now += MIN;
      expect(await store.recordVote('card-1', 'U1', 'still_broken')).toEqual({
        previous: 'fixed',
        vote: 'still_broken',
      });
      clock.now += MIN;
      expect(await store.recordVote('card-1', 'U1', 'still_broken')).toEqual({
        previous: 'still_broken',
        vote: 'still_broken',
      });
      await store.recordVote('card-1', 'U2', 'fixed');
      expect(await store.cardVotes('card-1')).toEqual([
        { user: 'U1', vote: 'still_broken', at: T0 + 2 * MIN },
        { user: 'U2', vote: 'fixed', at: T0 + 2 * MIN },
      ]);
      expect(await store.cardVotes('card-2')).toEqual([]);
      await expect(store.recordVote('card-1', 'U1', 'maybe' as never)).rejects.toThrow(StoreInputError);
    });

    test('concurrent clicks by one person leave one vote', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.recordVote('card-9', 'U7', i % 2 ? 'fixed' : 'still_broken'),
        ),
      );
      expect(await store.cardVotes('card-9')).toHaveLength(1);
    });
  });

  describe('channel settings', () => {
    test('defaults, then each change keeps the other setting', async () => {
      expect(await store.getChannelSettings('T1', 'C1')).toEqual({
        listenMode: 'reply',
        readBots: false,
        readImages: true,
        updatedBy: null,
        updatedAt: null,
      });
      clock.now += MIN;
      expect(await store.setChannelSettings('T1', 'C1', { listenMode: 'react' }, 'U1')).toEqual({
        listenMode: 'react',
        readBots: false,
        readImages: true,
        updatedBy: 'U1',
        updatedAt: T0 + MIN,
      });
      clock.now += MIN;
      await store.setChannelSettings('T1', 'C1', { readBots: true }, 'U2');
      expect(await store.getChannelSettings('T1', 'C1')).toEqual({
        listenMode: 'react',
        readBots: true,
        readImages: true,
        updatedBy: 'U2',
        updatedAt: T0 + 2 * MIN,
      });
      await store.setChannelSettings('T1', 'C1', { listenMode: 'off', readBots: false }, 'U1');
      expect(await store.getChannelSettings('T1', 'C1')).toMatchObject({
        listenMode: 'off',
        readBots: false,
        readImages: true,
      });
      await store.setChannelSettings('T1', 'C1', { readImages: false }, 'U1');
      expect(await store.getChannelSettings('T1', 'C1')).toMatchObject({
        listenMode: 'off',
        readImages: false,
      });
      // Other channels and workspaces are untouched.
      expect((await store.getChannelSettings('T1', 'C2')).listenMode).toBe('reply');
      expect((await store.getChannelSettings('T2', 'C1')).listenMode).toBe('reply');
      await expect(
        store.setChannelSettings('T1', 'C1', { listenMode: 'loud' as never }, 'U1'),
      ).rejects.toThrow(StoreInputError);
    });
  });

  describe('alert channel per workspace', () => {
    test('none until chosen; a channel, then off (null); per workspace; forgotten with the workspace', async () => {
      expect(await store.getAlertChoice('T1')).toBeNull();
      clock.now += MIN;
      expect(await store.setAlertChoice('T1', 'C0ALERTS', 'U1')).toEqual({
        channel: 'C0ALERTS',
        updatedBy: 'U1',
        updatedAt: T0 + MIN,
      });
      expect(await store.setAlertChoice('T2', 'G0PRIVATE', 'U9')).toMatchObject({ channel: 'G0PRIVATE' });
      clock.now += MIN;
      await store.setAlertChoice('T1', null, 'U2');
      // Off is a choice (it overrides ALERT_CHANNEL), not the absence of one.
      expect(await store.getAlertChoice('T1')).toEqual({
        channel: null,
        updatedBy: 'U2',
        updatedAt: T0 + 2 * MIN,
      });
      expect((await store.getAlertChoice('T2'))?.channel).toBe('G0PRIVATE');
      // Another replica reads the same choice.
      const other = await open(url);
      expect((await other.getAlertChoice('T2'))?.channel).toBe('G0PRIVATE');
      await expect(store.setAlertChoice('T1', '#alerts', 'U1')).rejects.toThrow(StoreInputError);
      await expect(store.setAlertChoice('T1', 'C1', 'not a user')).rejects.toThrow(StoreInputError);
      await store.installations.forgetTeam('T2');
      expect(await store.getAlertChoice('T2')).toBeNull();
      expect(await store.getAlertChoice('T1')).not.toBeNull();
    });
  });

  describe('App Home stats', () => {
    async function seed(): Promise<void> {
      const d = (ago: number, over: Partial<DiagnosisRecord>) =>
        store.recordDiagnosis(row(store, { at: T0 - ago, ...over }));
      await d(1 * DAY_MS, { channel: 'C1', cardKey: 'k1' });
      await d(2 * DAY_MS, { channel: 'C2', cardKey: 'k2' });
      await d(3 * DAY_MS, {
        channel: 'C1',
        cause: 'security_invalidation',
        errorCode: '190/467',
        cardKey: 'k3',
      });
      await d(10 * DAY_MS, { channel: 'C1', platform: 'google', cause: 'token_max_lifetime', cardKey: 'k4' });
      await d(HOUR, { channel: 'C3', platform: null, cause: 'unknown', errorCode: null });
      await d(HOUR, { channel: 'C1', platform: null, cause: null, isTokenError: false, errorCode: null });
      await d(40 * DAY_MS, { channel: 'C1', cardKey: 'k-old' });
      await d(DAY_MS, { team: 'T2', channel: 'C9', cardKey: 'k-other-team' });
      clock.now = T0 - 10 * MIN;
      await store.recordVote('k1', 'U1', 'fixed');
      await store.recordVote('k1', 'U2', 'still_broken');
      await store.recordVote('k3', 'U2', 'fixed');
      await store.recordVote('k4', 'U1', 'still_broken');
      await store.recordVote('k-other-team', 'U1', 'still_broken');
      clock.now = T0 - 5 * MIN;
      await store.recordVote('k2', 'U1', 'still_broken');
      await store.recordVote('k2', 'U3', 'still_broken');
      await store.recordVote('k-old', 'U3', 'still_broken');
      clock.now = T0;
    }

    test('tokenfix stats export: per day × team × channel × platform × cause, with votes, ids and counts only', async () => {
      await seed();
      const r = (
        day: string,
        team: string,
        channel: string,
        platform: string | null,
        cause: string | null,
        tokenError: boolean,
        fixedVotes: number,
        stillBrokenVotes: number,
      ) => ({ day, team, channel, platform, cause, tokenError, diagnoses: 1, fixedVotes, stillBrokenVotes });
      const t1 = [
        r('2026-01-28', 'T1', 'C1', 'meta', 'security_invalidation', true, 1, 0),
        r('2026-01-29', 'T1', 'C2', 'meta', 'password_changed', true, 0, 2),
        r('2026-01-30', 'T1', 'C1', 'meta', 'password_changed', true, 1, 1),
        r('2026-01-31', 'T1', 'C1', null, null, false, 0, 0),
        r('2026-01-31', 'T1', 'C3', null, 'unknown', true, 0, 0),
      ];
      expect(await store.exportRows(T0 - 7 * DAY_MS, { team: 'T1' })).toEqual(t1);
      const all = await store.exportRows(T0 - 7 * DAY_MS);
      expect(all).toEqual([
        ...t1.slice(0, 3),
        r('2026-01-30', 'T2', 'C9', 'meta', 'password_changed', true, 0, 1),
        ...t1.slice(3),
      ]);
      // Two diagnoses of one group are one row counting both; the 10- and 40-day-old ones come with a longer window.
      await store.recordDiagnosis(
        row(store, { at: T0 - 3 * DAY_MS + HOUR, channel: 'C1', cause: 'security_invalidation' }),
      );
      expect((await store.exportRows(T0 - 7 * DAY_MS, { team: 'T1' }))[0]).toMatchObject({
        diagnoses: 2,
        fixedVotes: 1,
      });
      expect(await store.exportRows(T0 - 60 * DAY_MS, { team: 'T1' })).toHaveLength(7);
      await expect(store.exportRows(-1)).rejects.toThrow(StoreInputError);
    });

    test('last 7 days', async () => {
      await seed();
      const s = await store.stats('T1', 7);
      expect(s).toEqual({
        sinceDays: 7,
        since: T0 - 7 * DAY_MS,
        diagnoses: 5,
        tokenErrors: 4,
        byPlatform: [
          { platform: 'meta', count: 3 },
          { platform: null, count: 1 },
        ],
        byCause: [
          { cause: 'password_changed', count: 2 },
          { cause: 'security_invalidation', count: 1 },
          { cause: 'unknown', count: 1 },
        ],
        fixRate: [
          { cause: 'password_changed', cards: 2, fixed: 1, stillBroken: 1, rate: 0.5 },
          { cause: 'security_invalidation', cards: 1, fixed: 1, stillBroken: 0, rate: 1 },
        ],
        topChannels: [
          { channel: 'C1', count: 2 },
          { channel: 'C2', count: 1 },
          { channel: 'C3', count: 1 },
        ],
        unresolved: [
          {
            cardKey: 'k2',
            channel: 'C2',
            platform: 'meta',
            cause: 'password_changed',
            at: T0 - 2 * DAY_MS,
            lastVoteAt: T0 - 5 * MIN,
            votes: 2,
          },
        ],
      });
    });

    test('last 30 days, and shorter top lists', async () => {
      await seed();
      const s = await store.stats('T1', 30);
      expect(s.diagnoses).toBe(6);
      expect(s.tokenErrors).toBe(5);
      expect(s.byPlatform).toEqual([
        { platform: 'meta', count: 3 },
        { platform: 'google', count: 1 },
        { platform: null, count: 1 },
      ]);
      expect(s.byCause.map((c) => c.cause)).toEqual([
        'password_changed',
        'security_invalidation',
        'token_max_lifetime',
        'unknown',
      ]);
      expect(s.fixRate).toContainEqual({
        cause: 'token_max_lifetime',
        cards: 1,
        fixed: 0,
        stillBroken: 1,
        rate: 0,
      });
      expect(s.topChannels).toEqual([
        { channel: 'C1', count: 3 },
        { channel: 'C2', count: 1 },
        { channel: 'C3', count: 1 },
      ]);
      expect(s.unresolved.map((u) => u.cardKey)).toEqual(['k2', 'k4']);
      const short = await store.stats('T1', 30, { top: 1 });
      expect(short.byCause).toEqual([{ cause: 'password_changed', count: 2 }]);
      expect(short.topChannels).toEqual([{ channel: 'C1', count: 3 }]);
      // Another workspace sees only its own.
      const other = await store.stats('T2', 30);
      expect(other.diagnoses).toBe(1);
      expect(other.unresolved.map((u) => u.cardKey)).toEqual(['k-other-team']);
      // An empty workspace.
      expect(await store.stats('T3', 7)).toMatchObject({
        diagnoses: 0,
        byCause: [],
        fixRate: [],
        unresolved: [],
      });
    });

    test('one channel (/tokenfix stats): its rows and votes only', async () => {
      await seed();
      const c1 = await store.stats('T1', 7, { channel: 'C1' });
      expect(c1).toMatchObject({
        diagnoses: 3,
        tokenErrors: 2,
        byPlatform: [{ platform: 'meta', count: 2 }],
        byCause: [
          { cause: 'password_changed', count: 1 },
          { cause: 'security_invalidation', count: 1 },
        ],
        topChannels: [{ channel: 'C1', count: 2 }],
        unresolved: [],
      });
      expect(c1.fixRate.map((f) => [f.cause, f.fixed])).toEqual([
        ['password_changed', 1],
        ['security_invalidation', 1],
      ]);
      const c2 = await store.stats('T1', 30, { channel: 'C2' });
      expect(c2.unresolved.map((u) => u.cardKey)).toEqual(['k2']);
      expect(await store.stats('T1', 30, { channel: 'C7' })).toMatchObject({ diagnoses: 0, topChannels: [] });
      await expect(store.stats('T1', 7, { channel: 'not a channel' })).rejects.toThrow(StoreInputError);
    });
  });

  describe('reminders', () => {
    const reminder = (id: string, user: string, inDays: number) => ({
      id,
      team: 'T1',
      user,
      channel: 'D0DM',
      platform: 'meta',
      postAt: T0 + inDays * DAY_MS,
    });

    test("a person's pending reminders, soonest first; cancelled ones go; sent ones are purged", async () => {
      await store.addReminder(reminder('Q1000000002', 'U1', 57));
      await store.addReminder(reminder('Q1000000001', 'U1', 4));
      await store.addReminder(reminder('Q1000000003', 'U2', 10));
      await store.addReminder({ ...reminder('Q1000000009', 'U1', 4), team: 'T2' });
      expect((await store.pendingReminders('T1', 'U1', T0)).map((r) => r.id)).toEqual([
        'Q1000000001',
        'Q1000000002',
      ]);
      expect(await store.pendingReminders('T1', 'U1', T0)).toEqual([
        reminder('Q1000000001', 'U1', 4),
        reminder('Q1000000002', 'U1', 57),
      ]);
      // Someone else's reminder is not theirs to cancel.
      expect(await store.removeReminder('T1', 'U1', 'Q1000000003')).toBeNull();
      expect(await store.removeReminder('T1', 'U1', 'Q1000000001')).toEqual(reminder('Q1000000001', 'U1', 4));
      expect(await store.removeReminder('T1', 'U1', 'Q1000000001')).toBeNull();
      // Past its time it is no longer pending, and a day later purged.
      expect(await store.pendingReminders('T1', 'U1', T0 + 58 * DAY_MS)).toEqual([]);
      await store.purgeExpired(T0 + 59 * DAY_MS);
      expect(
        await engine.query(
          url,
          "SELECT scheduled_id FROM reminders WHERE team_id = 'T1' ORDER BY scheduled_id",
        ),
      ).toEqual([]);
      await expect(store.addReminder({ ...reminder('not an id!', 'U1', 1) })).rejects.toThrow(
        StoreInputError,
      );
    });
  });

  describe('channel kinds', () => {
    test('known private or public; unknown channels are absent; purged when not seen within retention', async () => {
      await store.noteChannelKind('T1', 'C1', false);
      await store.noteChannelKind('T1', 'G2', true);
      await store.noteChannelKind('T2', 'C1', true);
      expect(await store.channelKinds('T1', ['C1', 'G2', 'C3'])).toEqual(
        new Map([
          ['C1', false],
          ['G2', true],
        ]),
      );
      expect(await store.channelKinds('T1', [])).toEqual(new Map());
      clock.now += MIN;
      await store.noteChannelKind('T1', 'C1', true); // made private later
      expect((await store.channelKinds('T1', ['C1'])).get('C1')).toBe(true);
      await expect(store.noteChannelKind('T1', 'general', false)).rejects.toThrow(StoreInputError);
      await expect(store.channelKinds('T1', ['#general'])).rejects.toThrow(StoreInputError);
      await store.purgeExpired(T0 + 181 * DAY_MS);
      expect(await store.channelKinds('T1', ['C1', 'G2'])).toEqual(new Map());
    });
  });

  describe('App Home stats: daily rollups agree with the rows', () => {
    test('for windows shorter than a day, across day edges, and after a purge in the middle of a day', async () => {
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const rows: DiagnosisRecord[] = [];
      for (let i = 0; i < 400; i++) {
        const token = rand() < 0.85;
        const r = row(store, {
          at: T0 - Math.floor(rand() * 45 * DAY_MS),
          team: pick(['T1', 'T1', 'T1', 'T2']),
          channel: pick(['C1', 'C2', 'C3', 'C4', 'C5', null]),
          platform: token ? pick(['meta', 'google', 'microsoft', null]) : null,
          cause: token
            ? pick(['password_changed', 'unknown', 'token_max_lifetime', 'two_factor_enabled'])
            : null,
          isTokenError: token,
        });
        rows.push(r);
        await store.recordDiagnosis(r);
      }
      const naive = (kept: DiagnosisRecord[], days: number) => {
        const since = T0 - days * DAY_MS;
        const mine = kept.filter((r) => r.team === 'T1' && (r.at ?? 0) >= since);
        const tokens = mine.filter((r) => r.isTokenError);
        const count = <K>(xs: K[]) => {
          const m = new Map<K, number>();
          for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
          return m;
        };
        return {
          diagnoses: mine.length,
          tokenErrors: tokens.length,
          byPlatform: Object.fromEntries(count(tokens.map((r) => String(r.platform)))),
          byCause: Object.fromEntries(count(tokens.map((r) => String(r.cause)))),
          channels: Object.fromEntries(count(tokens.filter((r) => r.channel).map((r) => String(r.channel)))),
        };
      };
      const actual = async (days: number) => {
        const s = await store.stats('T1', days, { top: 100 });
        return {
          diagnoses: s.diagnoses,
          tokenErrors: s.tokenErrors,
          byPlatform: Object.fromEntries(s.byPlatform.map((p) => [String(p.platform), p.count])),
          byCause: Object.fromEntries(s.byCause.map((c) => [c.cause, c.count])),
          channels: Object.fromEntries(s.topChannels.map((c) => [c.channel, c.count])),
        };
      };
      for (const days of [0.1, 0.5, 0.51, 1, 1.5, 2, 7, 30, 44.99, 60])
        expect({ days, ...(await actual(days)) }).toEqual({ days, ...naive(rows, days) });

      // A cutoff in the middle of a day: that day's rollup is counted again from the rows left.
      const retention = { diagnosesDays: 20.3 };
      const purged = await store.purgeExpired(T0, retention);
      const kept = rows.filter((r) => (r.at ?? 0) >= T0 - retention.diagnosesDays * DAY_MS);
      expect(purged.diagnoses).toBe(rows.length - kept.length);
      for (const days of [7, 20.3, 20.5, 21, 60])
        expect({ days, ...(await actual(days)) }).toEqual({ days, ...naive(kept, days) });
      // New rows keep counting after the purge.
      const late = row(store, { at: T0 - 19.9 * DAY_MS, channel: 'C9' });
      await store.recordDiagnosis(late);
      expect({ ...(await actual(60)) }).toEqual(naive([...kept, late], 60));
    });
  });

  describe('outbreaks', () => {
    test('counts one platform+cause in the window, with distinct channels and people', async () => {
      const d = (ago: number, over: Partial<DiagnosisRecord>) =>
        store.recordDiagnosis(row(store, { at: T0 - ago, cause: 'security_invalidation', ...over }));
      await d(5 * MIN, { channel: 'C1', user: 'U1' });
      await d(10 * MIN, { channel: 'C1', user: 'U2' });
      await d(20 * MIN, { channel: 'C2', user: 'U2' });
      await d(30 * MIN, { channel: 'C3', user: 'U3' });
      await d(59 * MIN, { channel: 'C4', user: null });
      await d(61 * MIN, { channel: 'C5', user: 'U5' }); // outside the hour
      await d(5 * MIN, { channel: 'C6', cause: 'password_changed' }); // other cause
      await d(5 * MIN, { channel: 'C7', platform: 'google' }); // other platform
      await d(5 * MIN, { channel: 'C8', team: 'T2' }); // other workspace
      await d(5 * MIN, { channel: 'C9', isTokenError: false });
      expect(await store.countRecent('T1', 'meta', 'security_invalidation', 60)).toEqual({
        count: 5,
        channels: 4,
        users: 3,
      });
      expect(await store.countRecent('T1', 'meta', 'security_invalidation', 15)).toEqual({
        count: 2,
        channels: 1,
        users: 2,
      });
      expect(await store.countRecent('T1', 'x', 'unknown', 60)).toEqual({ count: 0, channels: 0, users: 0 });
    });

    test('one alert per platform+cause per window, across replicas', async () => {
      const other = await open(url);
      expect(await store.outbreakOpen('T1', 'meta', 'security_invalidation')).toBe(false);
      const first = await Promise.all([
        store.claimOutbreakAlert('T1', 'meta', 'security_invalidation', 60),
        other.claimOutbreakAlert('T1', 'meta', 'security_invalidation', 60),
      ]);
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await other.outbreakOpen('T1', 'meta', 'security_invalidation')).toBe(true);
      expect(await store.claimOutbreakAlert('T1', 'meta', 'password_changed', 60)).toBe(true);
      expect(await store.claimOutbreakAlert('T2', 'meta', 'security_invalidation', 60)).toBe(true);
      clock.now += 59 * MIN;
      expect(await other.claimOutbreakAlert('T1', 'meta', 'security_invalidation', 60)).toBe(false);
      clock.now += MIN;
      expect(await store.outbreakOpen('T1', 'meta', 'security_invalidation')).toBe(false);
      expect(await other.claimOutbreakAlert('T1', 'meta', 'security_invalidation', 60)).toBe(true);
    });
  });

  describe('reply cap: takeCapSlot, shared by every replica', () => {
    const KEY = 'T1:C0FLOOD';

    test('N slots per key in any window, then none until the oldest slot leaves it (sliding)', async () => {
      const taken: boolean[] = [];
      for (let i = 0; i < 8; i++) {
        taken.push(await store.takeCapSlot(KEY, 6, MIN));
        clock.now += 1_000;
      }
      expect(taken).toEqual([true, true, true, true, true, true, false, false]);
      // Another channel, or the same channel id in another workspace, has its own slots.
      expect(await store.takeCapSlot('T1:C0CALM', 6, MIN)).toBe(true);
      expect(await store.takeCapSlot('T2:C0FLOOD', 6, MIN)).toBe(true);
      // The first slot was taken at T0: it leaves the window at T0 + 1 min, the second 1 s later.
      clock.now = T0 + MIN - 1;
      expect(await store.takeCapSlot(KEY, 6, MIN)).toBe(false);
      clock.now = T0 + MIN;
      expect(await store.takeCapSlot(KEY, 6, MIN)).toBe(true);
      expect(await store.takeCapSlot(KEY, 6, MIN)).toBe(false);
      clock.now = T0 + MIN + 1_000;
      expect(await store.takeCapSlot(KEY, 6, MIN)).toBe(true);
      // A refused take changes nothing: a full minute later, all six are free again.
      clock.now += MIN;
      const again = await Promise.all(Array.from({ length: 6 }, () => store.takeCapSlot(KEY, 6, MIN)));
      expect(again).toEqual(Array(6).fill(true));
    });

    test('20 concurrent takes with N = 6: exactly 6 win — on one store, and on two (replicas) at once', async () => {
      const one = await Promise.all(Array.from({ length: 20 }, () => store.takeCapSlot(KEY, 6, MIN)));
      expect(one.filter(Boolean)).toHaveLength(6);
      const other = await open(url);
      clock.now += MIN;
      const both = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).takeCapSlot(KEY, 6, MIN)),
      );
      expect(both.filter(Boolean)).toHaveLength(6);
      // A fresh key taken by both at once (the row's first insert races too).
      const fresh = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).takeCapSlot('T1:C0NEW', 6, MIN)),
      );
      expect(fresh.filter(Boolean)).toHaveLength(6);
    });

    test('four processes taking 5 slots each at the same moment: exactly 6 win in all', async () => {
      const startAt = Date.now() + 1500; // after the children have loaded
      const won = await Promise.all(
        Array.from({ length: 4 }, () => takeInChildProcess(url, 'T1:C0PROCS', 5, startAt)),
      );
      expect(won.reduce((a, b) => a + b, 0)).toBe(6);
    }, 60_000);

    test('keeps the key and times only, at most N times per key; rows past their window are purged', async () => {
      for (let i = 0; i < 50; i++) {
        await store.takeCapSlot(KEY, 6, MIN);
        clock.now += 500;
      }
      await store.takeCapSlot('T1:C0OTHER', 6, MIN);
      const rows = await engine.query(url, 'SELECT * FROM reply_caps ORDER BY key');
      expect(rows.map((r) => Object.keys(r).sort())).toEqual([
        ['expires_at', 'key', 'times'],
        ['expires_at', 'key', 'times'],
      ]);
      expect(rows.map((r) => r.key)).toEqual([KEY, 'T1:C0OTHER']);
      const times = (r: Record<string, unknown> | undefined): number[] =>
        ((typeof r?.times === 'string' ? JSON.parse(r.times) : r?.times) as unknown[] | undefined)?.map(
          Number,
        ) ?? [];
      // 50 takes, one every 0.5 s: the window holds what was granted in its last minute, never more than 6.
      expect(times(rows[0]).length).toBeLessThanOrEqual(6);
      expect(times(rows[0]).every((t) => t >= T0 && t < T0 + 25_000)).toBe(true);
      // Purged once every slot of the row has left its window, not before.
      expect(await store.purgeExpired(clock.now)).toMatchObject({ replyCaps: 0 });
      const flood = Math.max(...times(rows[0]));
      const other = Math.max(...times(rows[1]));
      expect(other).toBeGreaterThan(flood);
      expect(await store.purgeExpired(flood + MIN - 1)).toMatchObject({ replyCaps: 0 });
      expect(await store.purgeExpired(flood + MIN)).toMatchObject({ replyCaps: 1 });
      expect((await engine.query(url, 'SELECT key FROM reply_caps')).map((r) => r.key)).toEqual([
        'T1:C0OTHER',
      ]);
      expect(await store.purgeExpired(other + MIN)).toMatchObject({ replyCaps: 1 });
      expect(await engine.query(url, 'SELECT key FROM reply_caps')).toEqual([]);
      clock.now = other + MIN;
      expect(await store.takeCapSlot(KEY, 6, MIN)).toBe(true);
    });

    test('a replica whose clock lags never moves a row’s expiry back (its slots are not purged early)', async () => {
      clock.now = T0 + 30_000;
      expect(await store.takeCapSlot(KEY, 6, MIN)).toBe(true);
      clock.now = T0; // another replica, 30 s behind
      expect(await store.takeCapSlot(KEY, 6, MIN)).toBe(true);
      // The first slot is inside its window until T0 + 30 s + 1 min: the row must outlive that.
      expect(await store.purgeExpired(T0 + MIN + 1)).toMatchObject({ replyCaps: 0 });
      expect(await store.purgeExpired(T0 + 30_000 + MIN)).toMatchObject({ replyCaps: 1 });
    });

    test('refuses keys that are not ids and limits outside 1–1000', async () => {
      await expect(store.takeCapSlot('T1:C1 wombat text', 6, MIN)).rejects.toThrow(StoreInputError);
      await expect(store.takeCapSlot('', 6, MIN)).rejects.toThrow(StoreInputError);
      for (const bad of [0, -1, 1.5, 1_001, Number.NaN])
        await expect(store.takeCapSlot(KEY, bad, MIN)).rejects.toThrow(StoreInputError);
      await expect(store.takeCapSlot(KEY, 6, 0)).rejects.toThrow(StoreInputError);
      expect(await engine.query(url, 'SELECT key FROM reply_caps')).toEqual([]);
    });
  });

  describe('forgetting what an uninstall leaves (forgetTeam, forgetEnterprise)', () => {
    /** A row in every table forgetTeam clears, for the workspace, recorded under the org when given. */
    async function fill(team: string, enterprise?: string): Promise<void> {
      await store.recordDiagnosis(row(store, { team, cardKey: `card-${team}` }));
      await store.recordVote(`card-${team}`, 'U1', 'fixed');
      await store.setChannelSettings(team, 'C1', { listenMode: 'react' }, 'U1');
      await store.noteChannelKind(team, 'C1', false);
      await store.setAlertChoice(team, 'C0ALERTS', 'U1');
      await store.addReminder({
        id: `Q0${team}`,
        team,
        user: 'U1',
        channel: 'D0DM',
        platform: 'meta',
        postAt: T0 + DAY_MS,
      });
      if (enterprise) await store.installations.noteTeamEnterprise(team, enterprise);
    }
    /** How many rows each of TEAM_TABLES holds for the workspace. */
    const rowsOf = async (team: string): Promise<Record<string, number>> => {
      const counts: Record<string, number> = {};
      for (const table of TEAM_TABLES) {
        const r = await engine.query(url, `SELECT count(*) AS n FROM ${table} WHERE team_id = '${team}'`);
        counts[table] = Number(r[0]?.n);
      }
      return counts;
    };
    const every = (n: number) => Object.fromEntries(TEAM_TABLES.map((t) => [t, n]));
    const withoutOrg = { ...every(1), team_enterprises: 0 };

    test('an org-wide uninstall forgets every workspace recorded under the org, in every table; not another org’s, nor one with its own install', async () => {
      await fill('T0SALES', 'E0GRID');
      await fill('T0SUPPORT', 'E0GRID');
      await fill('T0ELSE', 'E0OTHER');
      await fill('T1');
      // In the org, but installed in the workspace too: its own install still uses its data.
      await fill('T0LOCAL', 'E0GRID');
      await store.installations.save({
        key: 'T:T0LOCAL',
        enterpriseId: 'E0GRID',
        teamId: 'T0LOCAL',
        isEnterpriseInstall: false,
        sealed: 'v1.aXY.dGFn.Ym9keQ',
      });
      expect(await rowsOf('T0SALES')).toEqual(every(1));

      expect((await store.installations.forgetEnterprise('E0GRID')).sort()).toEqual(['T0SALES', 'T0SUPPORT']);
      expect(await rowsOf('T0SALES')).toEqual(every(0));
      expect(await rowsOf('T0SUPPORT')).toEqual(every(0));
      expect(await rowsOf('T0ELSE')).toEqual(every(1));
      expect(await rowsOf('T1')).toEqual(withoutOrg);
      // Kept, but no longer the org's: a later uninstall of the org (installed again) leaves it alone.
      expect(await rowsOf('T0LOCAL')).toEqual(withoutOrg);
      expect(await store.installations.forgetEnterprise('E0GRID')).toEqual([]);
      expect(await store.installations.forgetEnterprise('E0OTHER')).toEqual(['T0ELSE']);
      expect(await rowsOf('T0ELSE')).toEqual(every(0));
    });

    /** An installation row (its sealed value is never opened here). */
    const installed = (key: string, enterpriseId: string | null = null) =>
      store.installations.save({
        key,
        enterpriseId,
        teamId: key.startsWith('T:') ? key.slice(2) : null,
        isEnterpriseInstall: key.startsWith('E:'),
        sealed: 'v1.aXY.dGFn.Ym9keQ',
      });

    test('a workspace’s own uninstall keeps its data while the org-wide install it is recorded under still serves it; otherwise forgets it', async () => {
      // Installed in the workspace and served through the org, whose install is still here.
      await fill('T0LOCAL', 'E0GRID');
      await installed('E:E0GRID');
      // Recorded under an org that is no longer installed; never seen through an org.
      await fill('T0STALE', 'E0GONE');
      await fill('T1');
      expect(await store.installations.forgetUninstalledTeam('T0LOCAL')).toBe('E0GRID');
      expect(await rowsOf('T0LOCAL')).toEqual(every(1));
      expect(await store.installations.forgetUninstalledTeam('T0STALE')).toBeNull();
      expect(await rowsOf('T0STALE')).toEqual(every(0));
      expect(await store.installations.forgetUninstalledTeam('T1')).toBeNull();
      expect(await rowsOf('T1')).toEqual(every(0));
      // The org's uninstall later finds the kept workspace (its own install is gone).
      await store.installations.remove('E:E0GRID');
      expect(await store.installations.forgetEnterprise('E0GRID')).toEqual(['T0LOCAL']);
      expect(await rowsOf('T0LOCAL')).toEqual(every(0));
      await expect(store.installations.forgetUninstalledTeam("T1' OR 1=1")).rejects.toThrow(StoreInputError);
    });

    test('team_access_revoked forgets the listed workspaces, recorded or not; not one with its own install, another org’s, nor an unlisted one', async () => {
      await installed('E:E0GRID');
      await installed('E:E0NEW');
      await fill('T0SALES', 'E0GRID');
      await fill('T0SUPPORT', 'E0GRID');
      // Used through the org before workspaces were recorded (migration 9): the event names it anyway.
      await fill('T0EARLY');
      // Its own install still uses its data; only its record under the org goes.
      await fill('T0LOCAL', 'E0GRID');
      await installed('T:T0LOCAL', 'E0GRID');
      // Moved to another org, whose install serves it now.
      await fill('T0MOVED', 'E0NEW');

      const r = await store.installations.forgetRevokedTeams('E0GRID', [
        'T0SALES',
        'T0EARLY',
        'T0LOCAL',
        'T0MOVED',
        'T0SALES',
      ]);
      expect(r).toEqual({ forgotten: ['T0SALES', 'T0EARLY'], kept: ['T0LOCAL', 'T0MOVED'] });
      expect(await rowsOf('T0SALES')).toEqual(every(0));
      expect(await rowsOf('T0EARLY')).toEqual(every(0));
      expect(await rowsOf('T0LOCAL')).toEqual(withoutOrg);
      expect(await rowsOf('T0MOVED')).toEqual(every(1));
      expect(await rowsOf('T0SUPPORT')).toEqual(every(1));
      expect(await store.installations.forgetRevokedTeams('E0GRID', [])).toEqual({ forgotten: [], kept: [] });
      await expect(
        store.installations.forgetRevokedTeams('E0GRID', ['T0SALES', "x' OR 1=1"]),
      ).rejects.toThrow(StoreInputError);
      await expect(store.installations.forgetRevokedTeams('not an org', ['T0SALES'])).rejects.toThrow(
        StoreInputError,
      );
      expect(await rowsOf('T0SUPPORT')).toEqual(every(1));
    });

    /**
     * A workspace's own app_uninstalled (its install removed, then forgetUninstalledTeam) and the org's
     * team_access_revoked naming it, at once. SQLite runs one write transaction at a time; on PostgreSQL
     * each statement decides from its snapshot, so without the workspace's lock each could see the
     * other's install or record still there and both keep the data (and then nothing deletes it).
     */
    const ownUninstallBesideRevoke = async () => {
      await installed('E:E0GRID');
      await fill('T0LOCAL', 'E0GRID');
      await installed('T:T0LOCAL', 'E0GRID');
    };
    const ownUninstall = async () => {
      await store.installations.remove('T:T0LOCAL');
      return store.installations.forgetUninstalledTeam('T0LOCAL');
    };

    test('a workspace’s own uninstall and the org’s team_access_revoked for it, at once: the data goes either way', async () => {
      for (let i = 0; i < 5; i++) {
        await ownUninstallBesideRevoke();
        await Promise.all([ownUninstall(), store.installations.forgetRevokedTeams('E0GRID', ['T0LOCAL'])]);
        expect(await rowsOf('T0LOCAL')).toEqual(every(0));
        await store.installations.remove('E:E0GRID');
      }
    });

    (engine.name === 'postgres' ? test : test.skip)(
      'PostgreSQL: the revoke that saw the own install still there commits before the uninstall’s check (the workspace’s lock)',
      async () => {
        await ownUninstallBesideRevoke();
        // The revoke is made to wait after its snapshot (which sees T:T0LOCAL): another connection holds
        // the row lock of the record it deletes.
        const holder = new Client({ connectionString: url });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query("SELECT 1 FROM team_enterprises WHERE team_id = 'T0LOCAL' FOR UPDATE");
          const waiting = async (what: string) => {
            for (let i = 0; i < 200; i++) {
              const r = await engine.query(
                url,
                `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%${what}%'`,
              );
              if (Number(r[0]?.n) > 0) return;
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
            throw new Error(`not waiting: ${what}`);
          };
          const revoke = store.installations.forgetRevokedTeams('E0GRID', ['T0LOCAL']);
          await waiting('WITH listed AS');
          // Without the lock this decides at once (the record and the org install are still there) and
          // keeps the data; with it, it waits for the revoke.
          const uninstall = ownUninstall();
          await Promise.race([uninstall, new Promise((resolve) => setTimeout(resolve, 300))]);
          await holder.query('COMMIT');
          expect(await revoke).toEqual({ forgotten: [], kept: ['T0LOCAL'] });
          expect(await uninstall).toBeNull();
          expect(await rowsOf('T0LOCAL')).toEqual(every(0));
        } finally {
          await holder.end();
        }
      },
    );

    test('a workspace is recorded under one org at a time, with when; forgetTeam forgets that too', async () => {
      await store.installations.noteTeamEnterprise('T0SALES', 'E0GRID');
      clock.now += MIN;
      // Moved to another org.
      await store.installations.noteTeamEnterprise('T0SALES', 'E0NEW');
      const noted = await engine.query(url, 'SELECT team_id, enterprise_id, seen_at FROM team_enterprises');
      expect(noted.map((r) => ({ ...r, seen_at: Number(r.seen_at) }))).toEqual([
        { team_id: 'T0SALES', enterprise_id: 'E0NEW', seen_at: T0 + MIN },
      ]);
      expect(await store.installations.forgetEnterprise('E0GRID')).toEqual([]);
      await store.installations.forgetTeam('T0SALES');
      expect(await engine.query(url, 'SELECT team_id FROM team_enterprises')).toEqual([]);
      await expect(store.installations.noteTeamEnterprise('T1', 'not an org')).rejects.toThrow(
        StoreInputError,
      );
      await expect(store.installations.noteTeamEnterprise('t1', 'E0GRID')).rejects.toThrow(StoreInputError);
      await expect(store.installations.forgetEnterprise("E0' OR 1=1")).rejects.toThrow(StoreInputError);
    });
  });

  describe('retention', () => {
    test('purge deletes diagnoses and votes past retention and expired claims, nothing else', async () => {
      await store.recordDiagnosis(row(store, { at: T0 - 181 * DAY_MS, cardKey: 'old' }));
      await store.recordDiagnosis(row(store, { at: T0 - 179 * DAY_MS, cardKey: 'kept' }));
      await store.recordDiagnosis(row(store, { at: T0 - 1 * DAY_MS, cardKey: 'new' }));
      clock.now = T0 - 181 * DAY_MS;
      await store.recordVote('old', 'U1', 'fixed');
      clock.now = T0 - DAY_MS;
      await store.recordVote('new', 'U1', 'fixed');
      await store.claim('event:Old', HOUR); // expires at T0 - DAY + HOUR
      clock.now = T0;
      await store.claim('event:Live', HOUR);
      await store.setChannelSettings('T1', 'C1', { listenMode: 'react' }, 'U1');

      expect(await store.purgeExpired(T0)).toEqual({ diagnoses: 1, votes: 1, claims: 1, replyCaps: 0 });
      expect(await store.purgeExpired(T0)).toEqual({ diagnoses: 0, votes: 0, claims: 0, replyCaps: 0 });
      const keys = await engine.query(url, 'SELECT card_key FROM diagnoses ORDER BY created_at');
      expect(keys.map((r) => r.card_key)).toEqual(['kept', 'new']);
      expect(await store.claim('event:Live', HOUR)).toBe(false); // a live claim survives
      expect((await store.getChannelSettings('T1', 'C1')).listenMode).toBe('react');

      expect(await store.purgeExpired(T0, { diagnosesDays: 30 })).toEqual({
        diagnoses: 1,
        votes: 0,
        claims: 0,
        replyCaps: 0,
      });
      expect(await store.purgeExpired(T0 + 2 * HOUR)).toEqual({
        diagnoses: 0,
        votes: 0,
        claims: 1,
        replyCaps: 0,
      });
      expect(await store.claim('event:Live', HOUR)).toBe(true); // purged: free again
    });
  });

  describe('what is never kept', () => {
    test('a planted token and a distinctive phrase are nowhere in the store', async () => {
      const token = 'EAAGm0PX4ZCpsBAKxyz123planted';
      const phrase = 'quokka lighthouse marmalade';
      const text = `Error validating access token: ${token} — our ${phrase} report failed (#190/460)`;
      const hash = store.hashMessage(text);
      await store.recordDiagnosis(
        row(store, { messageHash: hash, errorCode: `190/460 ${token}`, cardKey: 'C1:1712345678.000100' }),
      );
      await store.recordDiagnosis(row(store, { messageHash: hash, errorCode: '190/460' }));
      await store.recordVote('C1:1712345678.000100', 'U1', 'still_broken');
      await store.claim('event:Ev123', HOUR);
      await store.setChannelSettings('T1', 'C1', { listenMode: 'react' }, 'U1');
      await expect(store.recordDiagnosis(row(store, { channel: token }))).rejects.toThrow(StoreInputError);
      await expect(store.claim(`msg:${phrase}`, HOUR)).rejects.toThrow(StoreInputError);

      const needles = [token, token.slice(0, 12), phrase, 'quokka', 'marmalade'];
      const scan = async () => {
        const all = await engine.everything(url);
        // The scan reads what was written: the hash is there.
        expect(all.includes(Buffer.from(hash))).toBe(true);
        for (const n of needles) {
          expect({ needle: n, found: all.includes(Buffer.from(n, 'utf8')) }).toEqual({
            needle: n,
            found: false,
          });
          expect({ needle: n, found: all.includes(Buffer.from(n, 'utf16le')) }).toEqual({
            needle: n,
            found: false,
          });
        }
      };
      await scan(); // with the fresh rows in SQLite's -wal file
      await store.close();
      await scan(); // after the checkpoint on close
    });
  });

  describe('health', () => {
    test('ping is true while the store answers, false once closed', async () => {
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
    });
  });
});

describe('openStore(DATABASE_URL)', () => {
  test('a malformed URL throws one line naming DATABASE_URL', async () => {
    for (const bad of [
      'mysql://x/y',
      'sqlite:',
      'postgres://',
      'postgres://user:pw@[bad/db',
      './data/tokenfix.db',
      '',
    ]) {
      const error = await openStore(bad).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreConfigError);
      const message = (error as Error).message;
      expect(message).toContain('DATABASE_URL');
      expect(message).not.toContain('\n');
      expect(message).not.toContain('pw');
    }
  });

  test('sqlite: paths are relative to the working directory; the folder is created', async () => {
    expect(parseDatabaseUrl('sqlite:./data/tokenfix.db', '/srv/app')).toEqual({
      engine: 'sqlite',
      file: '/srv/app/data/tokenfix.db',
    });
    expect(parseDatabaseUrl('sqlite:/var/lib/t.db')).toEqual({ engine: 'sqlite', file: '/var/lib/t.db' });
    expect(parseDatabaseUrl('sqlite:///var/lib/t.db')).toEqual({ engine: 'sqlite', file: '/var/lib/t.db' });
    expect(parseDatabaseUrl('postgresql://u:p@db.example:5432/tokenfix').engine).toBe('postgres');
    expect(describeDatabaseUrl('postgres://u:secretpw@db.example:5432/tokenfix')).toBe(
      'postgres://db.example:5432/tokenfix',
    );

    const cwd = process.cwd();
    const dir = mkdtempSync(join(tmp, 'cwd-'));
    process.chdir(dir);
    try {
      const s = await openStore('sqlite:./data/tokenfix.db');
      expect(s.engine).toBe('sqlite');
      await s.close();
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(join(dir, 'data', 'tokenfix.db'))).toBe(true);
  });

  test('a store that cannot be opened says so in one line naming DATABASE_URL', async () => {
    const error = await openStore('postgres://u:hunter2@127.0.0.1:1/nothing').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /^tokenfix: could not open the store at DATABASE_URL \(postgres:\/\/127\.0\.0\.1:1\/nothing\): /,
    );
    expect(error?.message).not.toContain('hunter2');
    expect(error?.message).not.toContain('\n');
  });
});

describe('PostgreSQL connections', () => {
  const adminUrl = pgAdmin;
  if (adminUrl === null) return;

  test('connections the server drops never crash the process; the next query reconnects', async () => {
    const url = await createDatabase(adminUrl, 'drop');
    const warnings: string[] = [];
    const store = await openStore(url, { log: { warn: (msg) => warnings.push(msg) } });
    try {
      // Several idle connections in the pool.
      await Promise.all(Array.from({ length: 5 }, () => store.claim(`k${Math.random()}`, HOUR)));
      const db = new URL(url).pathname.slice(1);
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      const killed = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tokenfix'",
        [db],
      );
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(warnings.length).toBeGreaterThan(0);
      expect(await store.ping()).toBe(true);
      expect(await store.claim('after-restart', HOUR)).toBe(true);
    } finally {
      await store.close();
    }
  });

  test('asynchronous commit stays with the claim or record that asked for it', async () => {
    // One connection, so the later SHOW runs where the claim and the record ran.
    const url = await createDatabase(adminUrl, 'async_commit');
    const migrated = await openStore(url);
    await migrated.close();
    const pool = new Pool({ connectionString: url, max: 1 });
    const store = new PostgresStore(pool, Buffer.alloc(32, 1).toString('base64'));
    try {
      // The test server commits asynchronously by default: this session asks for durable commits.
      await pool.query('SET synchronous_commit = on');
      expect(await store.claimInOrder([{ key: 'msg:C1:1', ttlMs: HOUR }])).toBe(1);
      expect(await store.recordDiagnosis(row(store))).toBe(true);
      const after = (
        await pool.query<{ v: string }>('SELECT current_setting($1) AS v', ['synchronous_commit'])
      ).rows[0]?.v;
      expect(after).toBe('on');
    } finally {
      await store.close();
    }
  });

  test('ping is false, quickly, when the server cannot be reached', async () => {
    const pool = new Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 5000,
    });
    pool.on('error', () => {});
    const store = new PostgresStore(pool, Buffer.alloc(32, 1).toString('base64'));
    const started = Date.now();
    expect(await store.ping(500)).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    await store.close();
  });
});

// ---------------------------------------------------------------------------------------------

/** Loads src/store in a child Node process, TypeScript compiled on the fly with @swc/core (as jest does). */
const CHILD_PRELUDE = `const fs = require('node:fs');
const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const { openStore } = require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'store', 'index.ts'))});
`;

/**
 * Opens the store in a separate Node process, waits for `startAt`, then takes `takes` slots of `key`
 * (limit 6 a minute) all at once; resolves with how many it won. Several at once race across processes.
 */
function takeInChildProcess(url: string, key: string, takes: number, startAt: number): Promise<number> {
  const script = join(tmp, 'take-slots.js');
  if (!existsSync(script)) {
    writeFileSync(
      script,
      `${CHILD_PRELUDE}
const [, , url, key, takes, go] = process.argv;
openStore(url).then(
  async (s) => {
    while (Date.now() < Number(go)) {}
    const won = await Promise.all(Array.from({ length: Number(takes) }, () => s.takeCapSlot(key, 6, 60000)));
    await s.close();
    process.stdout.write(String(won.filter(Boolean).length));
  },
  (e) => { process.stderr.write(String(e && e.message)); process.exit(1); },
);
`,
    );
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, url, key, String(takes), String(startAt)],
      { timeout: 50_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child failed: ${stderr || error.message}`));
        else resolve(Number(stdout));
      },
    );
  });
}

/** Applies only these migrations to a new database (a store as an older version left it), then `sql`. */
async function migrateOnly(url: string, migrations: readonly Migration[], sql: string): Promise<void> {
  const p = parseDatabaseUrl(url);
  if (p.engine === 'sqlite') {
    mkdirSync(dirname(p.file), { recursive: true });
    const db = new Database(p.file);
    try {
      db.pragma('busy_timeout = 5000');
      migrateSqlite(db, migrations);
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const pool = new Pool({ connectionString: url });
  try {
    await migratePostgres(pool, migrations);
    await pool.query(sql);
  } finally {
    await pool.end();
  }
}

/**
 * Opens the store in a separate Node process (TypeScript compiled on the fly with @swc/core, like
 * jest does) and resolves with its hashMessage('x'): several at once race on the migrations.
 */
function openInChildProcess(url: string, startAt: number): Promise<string> {
  const script = join(tmp, 'open-store.js');
  if (!existsSync(script)) {
    writeFileSync(
      script,
      `const fs = require('node:fs');
const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const { openStore } = require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'store', 'index.ts'))});
// Start together: wait for the agreed moment, then open.
const go = Number(process.argv[3]);
while (Date.now() < go) {}
openStore(process.argv[2]).then(
  async (s) => { const h = s.hashMessage('x'); await s.close(); process.stdout.write(h); },
  (e) => { process.stderr.write(String(e && e.message)); process.exit(1); },
);
`,
    );
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, url, String(startAt)],
      { timeout: 50_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
  });
}
