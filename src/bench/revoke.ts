/**
 * npm run bench:revoke — how long a `team_access_revoked` holds its workspaces' advisory locks on
 * PostgreSQL, and so how long a workspace's own app_uninstalled can wait behind it (lockingTeams in
 * src/store/installations-postgres.ts).
 *
 * Fills BENCH_TEAMS workspaces (default 10,000) recorded under one org, each with BENCH_PER_TEAM
 * diagnoses (default 20) and as many votes, a daily rollup row, a channel setting and a channel kind
 * (bulk SQL, not the store's own writes: only the deletes are measured). Then forgets them all through
 * forgetRevokedTeams, 1,000 workspaces per transaction (as Memory.forgetRevokedTeams sends them), while the last
 * workspace of the first batch uninstalls itself (forgetUninstalledTeam) and waits for its lock.
 * Prints each batch's time, the uninstall's wait, and whether either hit the pool's query limit.
 *
 * PostgreSQL: BENCH_POSTGRES_URL (an empty database you provide), or a throw-away server from the
 * machine's binaries with durable settings (fsync on).
 */
import { Client } from 'pg';
import { openStore } from '../store';
import { REVOKED_TEAMS_PER_CALL } from '../store/installations';
import { type PostgresServer, startPostgres } from './postgres-server';

const TEAMS = Number(process.env.BENCH_TEAMS ?? 10_000);
const PER_TEAM = Number(process.env.BENCH_PER_TEAM ?? 20);
const ORG = 'E0BENCH';

const team = (i: number) => `T0B${String(i).padStart(6, '0')}`;

async function fill(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const now = Date.now();
    await c.query(
      `INSERT INTO diagnoses (created_at, team_id, channel_id, user_id, entry_point, platform, cause, confidence,
                              error_code, is_token_error, message_hash, card_key)
       SELECT $1::bigint - (g % 1000) * 60000, 'T0B' || lpad(t::text, 6, '0'), 'C0' || (g % 7), 'U0' || (g % 13), 'mention',
              'meta', 'password_changed', 0.9, NULL, true, md5(t::text || ':' || g::text) || md5(g::text),
              'C0' || t || ':' || g
         FROM generate_series(0, $2 - 1) t, generate_series(0, $3 - 1) g`,
      [now, TEAMS, PER_TEAM],
    );
    await c.query(
      `INSERT INTO votes (card_key, user_id, vote, voted_at, team_id, channel_id, platform, cause, card_at)
       SELECT card_key, user_id, 'fixed', created_at, team_id, channel_id, platform, cause, created_at FROM diagnoses`,
    );
    await c.query(
      `INSERT INTO daily_causes (team_id, day, is_token_error, platform, cause, n)
       SELECT 'T0B' || lpad(t::text, 6, '0'), 20000, true, 'meta', 'password_changed', $2 FROM generate_series(0, $1 - 1) t`,
      [TEAMS, PER_TEAM],
    );
    await c.query(
      `INSERT INTO channel_settings (team_id, channel_id, listen_mode, read_bots, read_images, updated_by, updated_at)
       SELECT 'T0B' || lpad(t::text, 6, '0'), 'C0HELP', 'react', false, true, 'U0ADMIN', $2::bigint FROM generate_series(0, $1 - 1) t`,
      [TEAMS, now],
    );
    await c.query(
      `INSERT INTO team_enterprises (team_id, enterprise_id, seen_at)
       SELECT 'T0B' || lpad(t::text, 6, '0'), $2, $3::bigint FROM generate_series(0, $1 - 1) t`,
      [TEAMS, ORG, now],
    );
    await c.query('ANALYZE');
    const n = await c.query(
      'SELECT (SELECT count(*) FROM diagnoses) AS d, (SELECT count(*) FROM votes) AS v',
    );
    console.log(`filled: ${TEAMS} workspaces, ${n.rows[0].d} diagnoses, ${n.rows[0].v} votes`);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  let server: PostgresServer | null = null;
  let url = process.env.BENCH_POSTGRES_URL;
  if (!url) {
    server = await startPostgres({ durable: true });
    url = server.urlFor('postgres');
  }
  const store = await openStore(url);
  try {
    await fill(url);
    const teams = Array.from({ length: TEAMS }, (_, i) => team(i));
    const started = performance.now();
    let uninstall: Promise<{ ok: boolean; ms: number; error?: string }> | null = null;
    let forgotten = 0;
    let longest = 0;
    // 1,000 workspaces per transaction, as Memory.forgetRevokedTeams sends them.
    for (let done = 0; done < teams.length; done += REVOKED_TEAMS_PER_CALL) {
      const b0 = performance.now();
      const batch = store.installations.forgetRevokedTeams(
        ORG,
        teams.slice(done, done + REVOKED_TEAMS_PER_CALL),
      );
      if (!uninstall) {
        // The last workspace of the first batch uninstalls itself while the batch holds its lock.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const u0 = performance.now();
        uninstall = store.installations.forgetUninstalledTeam(team(REVOKED_TEAMS_PER_CALL - 1)).then(
          () => ({ ok: true, ms: performance.now() - u0 }),
          (error: Error) => ({ ok: false, ms: performance.now() - u0, error: error.message }),
        );
      }
      try {
        forgotten += (await batch).forgotten.length;
      } catch (error) {
        console.log(
          `batch at ${done}: FAILED (${(error as Error).message}) after ${((performance.now() - b0) / 1000).toFixed(2)} s`,
        );
        break;
      }
      const ms = performance.now() - b0;
      longest = Math.max(longest, ms);
      console.log(`batch at ${done}: ${(ms / 1000).toFixed(2)} s`);
    }
    const total = performance.now() - started;
    console.log(
      `revoke: ${forgotten} of ${TEAMS} forgotten in ${(total / 1000).toFixed(1)} s; longest transaction (lock held) ${(longest / 1000).toFixed(2)} s`,
    );
    const u = await uninstall;
    console.log(
      `own uninstall behind the first batch: ${u?.ok ? 'done' : `FAILED (${u?.error})`} after ${((u?.ms ?? 0) / 1000).toFixed(2)} s`,
    );
  } finally {
    await store.close();
    server?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
