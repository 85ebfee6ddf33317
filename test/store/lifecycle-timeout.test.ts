/**
 * PostgreSQL: the deletes of an uninstall or a team_access_revoked are not cut by the pool's query limit
 * (QUERY_TIMEOUT_MS, 15 s; here 1 s so the test is quick). A workspace's own uninstall waits on the
 * workspace's advisory lock while a team_access_revoked batch naming it holds it (lockingTeams); a
 * batch of 1,000 busy workspaces holds it for seconds (`node dist/bench/revoke.js`: 6.5 s for 1,000
 * workspaces with 1,000 diagnoses and 1,000 votes each). Here another connection holds the lock (or a
 * row the delete needs) for 2 s, twice the query limit: the call waits and its deletes commit. At most
 * two such transactions run at once, so waiting ones leave the replies' queries a connection; and the
 * server's own limit (`SET LOCAL statement_timeout`) ends a lock wait, for that transaction only.
 * A real server (test/support/postgres.ts); no mocks.
 */
import { Client, Pool } from 'pg';
import { openStore, type Store } from '../../src/store';
import { TEAM_LOCK_CLASS } from '../../src/store/installations-postgres';
import { inTransaction } from '../../src/store/pg-transaction';
import { createDatabase, describePostgres } from '../support/postgres';

const QUERY_LIMIT_MS = 1_000;
const HELD_MS = 2_000;

describePostgres('PostgreSQL: lifecycle deletes outlast the pool query limit', (adminUrl) => {
  let url: string;
  let store: Store;
  let holder: Client;

  beforeEach(async () => {
    url = await createDatabase(adminUrl, 'lifecycle');
    store = await openStore(url, { queryTimeoutMs: QUERY_LIMIT_MS });
    holder = new Client({ connectionString: url });
    await holder.connect();
  });
  afterEach(async () => {
    await holder.end();
    await store.close();
  });

  const count = async (team: string) => {
    const r = await holder.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM channel_settings WHERE team_id = $1)
            + (SELECT count(*) FROM team_enterprises WHERE team_id = $1) AS n`,
      [team],
    );
    return Number(r.rows[0]?.n);
  };
  const fill = async (team: string, enterprise: string) => {
    await store.setChannelSettings(team, 'C0HELP', { listenMode: 'react' }, 'U0ADMIN');
    await store.installations.noteTeamEnterprise(team, enterprise);
  };
  /** Holds what `sql` locks, in a transaction of the holder's, for HELD_MS once the call is waiting. */
  const heldWhile = async <T>(sql: string, params: unknown[], call: () => Promise<T>): Promise<T> => {
    await holder.query('BEGIN');
    await holder.query(sql, params);
    const started = Date.now();
    const running = call();
    // Settled early (cut by the limit) or not: the holder lets go after HELD_MS either way.
    await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, HELD_MS))]);
    await new Promise((r) => setTimeout(r, Math.max(0, HELD_MS - (Date.now() - started))));
    await holder.query('COMMIT');
    return running;
  };

  test('a workspace’s own uninstall waiting on its lock behind a long team_access_revoked: done once the lock is free', async () => {
    await fill('T0LOCAL', 'E0GRID');
    const org = await heldWhile(
      'SELECT pg_advisory_xact_lock($1::int, hashtext($2))',
      [TEAM_LOCK_CLASS, 'T0LOCAL'],
      () => store.installations.forgetUninstalledTeam('T0LOCAL'),
    );
    expect(org).toBeNull();
    expect(await count('T0LOCAL')).toBe(0);
  });

  test('a team_access_revoked batch whose delete waits longer than the query limit: done', async () => {
    await fill('T0GONE', 'E0GRID');
    const result = await heldWhile(
      "SELECT 1 FROM channel_settings WHERE team_id = 'T0GONE' FOR UPDATE",
      [],
      () => store.installations.forgetRevokedTeams('E0GRID', ['T0GONE']),
    );
    expect(result).toEqual({ forgotten: ['T0GONE'], kept: [] });
    expect(await count('T0GONE')).toBe(0);
  });

  test('forgetTeam and forgetEnterprise (single bot token) whose delete waits longer than the query limit: done', async () => {
    await fill('T0ONE', 'E0OTHER');
    await fill('T0ORG', 'E0GRID');
    await heldWhile("SELECT 1 FROM channel_settings WHERE team_id = 'T0ONE' FOR UPDATE", [], () =>
      store.installations.forgetTeam('T0ONE'),
    );
    expect(await count('T0ONE')).toBe(0);
    const forgotten = await heldWhile(
      "SELECT 1 FROM channel_settings WHERE team_id = 'T0ORG' FOR UPDATE",
      [],
      () => store.installations.forgetEnterprise('E0GRID'),
    );
    expect(forgotten).toEqual(['T0ORG']);
    expect(await count('T0ORG')).toBe(0);
  });

  test('at most 2 lifecycle transactions at once: a third waits for a slot, holding no connection, and replies still get one', async () => {
    // A pool of 3: without the limit, three waiting uninstalls would hold every connection.
    const small = await openStore(url, { queryTimeoutMs: QUERY_LIMIT_MS, max: 3 });
    const watcher = new Client({ connectionString: url });
    await watcher.connect();
    const teams = ['T0A', 'T0B', 'T0C'];
    try {
      for (const team of teams) await fill(team, 'E0GRID');
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::int, hashtext(t)) FROM unnest($2::text[]) AS t', [
        TEAM_LOCK_CLASS,
        teams,
      ]);
      const calls = teams.map((team) => small.installations.forgetUninstalledTeam(team));
      // Another connection: the holder's transaction would see one snapshot of pg_stat_activity.
      const waitingOnLock = async () => {
        const r = await watcher.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'tokenfix' AND wait_event_type = 'Lock'`,
        );
        return Number(r.rows[0]?.n);
      };
      for (let i = 0; i < 50 && (await waitingOnLock()) < 2; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      expect(await waitingOnLock()).toBe(2);
      // A reply's query gets the third connection at once (within its 1 s limit), and twice over.
      const started = Date.now();
      expect((await small.getChannelSettings('T0A', 'C0HELP')).listenMode).toBe('react');
      expect(
        await small.setChannelSettings('T0OTHER', 'C0HELP', { listenMode: 'off' }, 'U0ADMIN'),
      ).toMatchObject({
        listenMode: 'off',
      });
      expect(Date.now() - started).toBeLessThan(QUERY_LIMIT_MS);
      await holder.query('COMMIT');
      expect(await Promise.all(calls)).toEqual([null, null, null]);
      for (const team of teams) expect(await count(team)).toBe(0);
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await watcher.end();
      await small.close();
    }
  });

  test('the server’s SET LOCAL statement_timeout cuts a lock wait (57014); the connection is back at the default after', async () => {
    const pool = new Pool({ connectionString: url, max: 1, query_timeout: 10_000 });
    try {
      const setting = async () =>
        (
          await pool.query<{ pid: number; t: string }>(
            'SELECT pg_backend_pid() AS pid, current_setting($1) AS t',
            ['statement_timeout'],
          )
        ).rows[0];
      const before = await setting();
      // Done within the limit: the same connection is reused, and the limit ended with the transaction.
      await inTransaction(pool, (query) => query('SELECT 1'), { timeoutMs: 200 });
      expect(await setting()).toEqual(before);

      await holder.query('SELECT pg_advisory_lock(4242)');
      const started = Date.now();
      const cut = inTransaction(pool, (query) => query('SELECT pg_advisory_xact_lock(4242)'), {
        timeoutMs: 200,
      });
      await expect(cut).rejects.toMatchObject({ code: '57014' });
      // Cut by the server (the client would wait 5 s longer and fail without a code).
      expect(Date.now() - started).toBeLessThan(3_000);
      await holder.query('SELECT pg_advisory_unlock(4242)');
      // inTransaction drops a connection that failed (released as broken): the pool's next one is at the default.
      expect((await setting())?.t).toBe(before?.t);
    } finally {
      await pool.end();
    }
  });

  test('other calls keep the query limit', async () => {
    await fill('T0BUSY', 'E0GRID');
    await expect(
      heldWhile("SELECT 1 FROM channel_settings WHERE team_id = 'T0BUSY' FOR UPDATE", [], () =>
        store.setChannelSettings('T0BUSY', 'C0HELP', { listenMode: 'off' }, 'U0ADMIN'),
      ),
    ).rejects.toThrow('Query read timeout');
  });
});
