/**
 * InstallationRows on PostgreSQL (see installations.ts): one statement per call, so each is atomic —
 * but forgetUninstalledTeam and forgetRevokedTeams, which each run in a transaction holding their
 * workspaces' advisory locks (see lockingTeams). The deletes of an uninstall or a revoke (forgetTeam,
 * forgetEnterprise, forgetUninstalledTeam, forgetRevokedTeams) are not cut by the pool's query limit:
 * each of their statements (the lock wait, the deletes) may run for LIFECYCLE_TIMEOUT_MS; at most
 * LIFECYCLE_CONCURRENCY of them run at once, so that waiting ones don't take the replies' connections.
 */
import type { Pool } from 'pg';
import {
  checkedInstallation,
  checkedInstallKey,
  checkedMetaName,
  checkedSealed,
  checkedTeams,
  type InstallationRow,
  type InstallationRows,
  TEAM_TABLES,
} from './installations';
import { inTransaction, LIFECYCLE_CONCURRENCY, LIFECYCLE_TIMEOUT_MS, type TxQuery } from './pg-transaction';
import { checkedEnterprise, checkedTeam } from './store';

/**
 * The class of the per-workspace advisory locks (`pg_advisory_xact_lock(class, hashtext(team))`): "tokf".
 * The two-number form is a key space apart from the migrations' one-number lock (MIGRATION_LOCK_KEY).
 */
export const TEAM_LOCK_CLASS = 0x746f6b66;

interface Row {
  install_key: string;
  enterprise_id: string | null;
  team_id: string | null;
  is_enterprise_install: boolean;
  sealed: string;
}

/** At most `free` (as built) calls run at once; the others wait, first come first served. */
class Slots {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot goes straight to the next in line, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export class PostgresInstallations implements InstallationRows {
  private readonly lifecycleSlots = new Slots(LIFECYCLE_CONCURRENCY);

  constructor(
    private readonly pool: Pool,
    private readonly now: () => number = Date.now,
  ) {}

  async save(row: InstallationRow): Promise<void> {
    const r = checkedInstallation(row);
    await this.pool.query(
      `INSERT INTO installations (install_key, enterprise_id, team_id, is_enterprise_install, sealed, installed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (install_key) DO UPDATE SET
         enterprise_id = EXCLUDED.enterprise_id,
         team_id = EXCLUDED.team_id,
         is_enterprise_install = EXCLUDED.is_enterprise_install,
         sealed = EXCLUDED.sealed,
         updated_at = EXCLUDED.updated_at`,
      [r.key, r.enterpriseId, r.teamId, r.isEnterpriseInstall, r.sealed, this.now()],
    );
  }

  async find(key: string): Promise<InstallationRow | null> {
    const { rows } = await this.pool.query<Row>(
      'SELECT install_key, enterprise_id, team_id, is_enterprise_install, sealed FROM installations WHERE install_key = $1',
      [checkedInstallKey(key)],
    );
    const r = rows[0];
    return r
      ? {
          key: r.install_key,
          enterpriseId: r.enterprise_id,
          teamId: r.team_id,
          isEnterpriseInstall: r.is_enterprise_install,
          sealed: r.sealed,
        }
      : null;
  }

  async reseal(key: string, from: string, to: string): Promise<boolean> {
    const r = await this.pool.query(
      'UPDATE installations SET sealed = $1, updated_at = $2 WHERE install_key = $3 AND sealed = $4',
      [checkedSealed(to), this.now(), checkedInstallKey(key), from],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async metaReplace(name: string, from: string, to: string): Promise<boolean> {
    const r = await this.pool.query('UPDATE store_meta SET value = $1 WHERE key = $2 AND value = $3', [
      to,
      checkedMetaName(name),
      from,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async remove(key: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM installations WHERE install_key = $1', [
      checkedInstallKey(key),
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async forgetTeam(team: string): Promise<void> {
    const t = checkedTeam(team);
    // One statement: every table or none.
    const deletes = TEAM_TABLES.map((table, i) => `d${i} AS (DELETE FROM ${table} WHERE team_id = $1)`);
    await this.lifecycle((query) => query(`WITH ${deletes.join(', ')} SELECT 1`, [t]));
  }

  async noteTeamEnterprise(team: string, enterprise: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO team_enterprises (team_id, enterprise_id, seen_at) VALUES ($1, $2, $3)
       ON CONFLICT (team_id) DO UPDATE SET enterprise_id = EXCLUDED.enterprise_id, seen_at = EXCLUDED.seen_at`,
      [checkedTeam(team), checkedEnterprise(enterprise), this.now()],
    );
  }

  async forgetEnterprise(enterprise: string): Promise<string[]> {
    const e = checkedEnterprise(enterprise);
    // One statement, as forgetTeam: every workspace's rows in every table, or none. A forgotten
    // workspace's team_enterprises row goes with its rows (one of TEAM_TABLES); a kept one's (it has an
    // install of its own) goes apart: PostgreSQL does not support two CTEs deleting the same row.
    const deletes = TEAM_TABLES.map(
      (table, i) => `d${i} AS (DELETE FROM ${table} WHERE team_id IN (SELECT team_id FROM teams))`,
    );
    const { rows } = await this.lifecycle((query) =>
      query<{ team_id: string }>(
        `WITH teams AS (
         SELECT team_id FROM team_enterprises e WHERE enterprise_id = $1
           AND NOT EXISTS (SELECT 1 FROM installations WHERE install_key = 'T:' || e.team_id)
       ),
       ${deletes.join(',\n       ')},
       own_installs AS (DELETE FROM team_enterprises WHERE enterprise_id = $1 AND team_id NOT IN (SELECT team_id FROM teams))
       SELECT team_id FROM teams`,
        [e],
      ),
    );
    return rows.map((r) => r.team_id);
  }

  /**
   * Runs `work` in one transaction that first takes the advisory lock of each workspace (in key order,
   * so two callers never wait on each other in a circle), held until the commit. forgetUninstalledTeam
   * and forgetRevokedTeams each decide from one statement's snapshot whether another install still
   * serves a workspace; run side by side (a workspace's own app_uninstalled and the org's
   * team_access_revoked for it arriving together), each could see the other's install or record still
   * there and both keep the data, which nothing would delete later. Under the lock the second one's
   * statement starts after the first one committed (READ COMMITTED: each statement takes a new snapshot,
   * so the lock is taken by a statement of its own, before it) and sees what the first one deleted.
   * SQLite needs none of this: its write transactions run one at a time.
   */
  private async lockingTeams<T>(teams: readonly string[], work: (query: TxQuery) => Promise<T>): Promise<T> {
    return this.lifecycle(async (query) => {
      // PostgreSQL evaluates a volatile function in the select list after ORDER BY (since 9.6).
      await query(
        `SELECT pg_advisory_xact_lock($1::int, k) FROM (
           SELECT DISTINCT hashtext(t) AS k FROM unnest($2::text[]) AS t
         ) s ORDER BY k`,
        [TEAM_LOCK_CLASS, teams],
      );
      return work(query);
    });
  }

  /**
   * A transaction for an uninstall's or a revoke's deletes: each statement of `work` may run
   * LIFECYCLE_TIMEOUT_MS; at most LIFECYCLE_CONCURRENCY at once (the others wait for a slot, not holding
   * a connection).
   */
  private lifecycle<T>(work: (query: TxQuery) => Promise<T>): Promise<T> {
    return this.lifecycleSlots.run(() => inTransaction(this.pool, work, { timeoutMs: LIFECYCLE_TIMEOUT_MS }));
  }

  async forgetUninstalledTeam(team: string): Promise<string | null> {
    const t = checkedTeam(team);
    // One statement, as forgetTeam: the check and every delete see one snapshot; under the workspace's
    // lock (lockingTeams), after any team_access_revoked naming it committed.
    const deletes = TEAM_TABLES.map(
      (table, i) => `d${i} AS (DELETE FROM ${table} WHERE team_id = $1 AND NOT EXISTS (SELECT 1 FROM org))`,
    );
    const { rows } = await this.lockingTeams([t], (query) =>
      query<{ enterprise_id: string }>(
        `WITH org AS (
           SELECT enterprise_id FROM team_enterprises e WHERE team_id = $1
             AND EXISTS (SELECT 1 FROM installations WHERE install_key = 'E:' || e.enterprise_id)
         ),
         ${deletes.join(',\n         ')}
         SELECT enterprise_id FROM org`,
        [t],
      ),
    );
    return rows[0]?.enterprise_id ?? null;
  }

  async forgetRevokedTeams(
    enterprise: string | null,
    teams: readonly string[],
  ): Promise<{ forgotten: string[]; kept: string[] }> {
    const e = enterprise === null ? null : checkedEnterprise(enterprise);
    const listed = checkedTeams(teams);
    if (listed.length === 0) return { forgotten: [], kept: [] };
    // One statement, as forgetEnterprise: a forgotten workspace's team_enterprises row goes with its
    // rows (one of TEAM_TABLES), a kept one's record under this org apart (disjoint rows). Under the
    // workspaces' locks (lockingTeams), after any forgetUninstalledTeam of one of them committed.
    const deletes = TEAM_TABLES.map(
      (table, i) => `d${i} AS (DELETE FROM ${table} WHERE team_id IN (SELECT team_id FROM gone))`,
    );
    const { rows } = await this.lockingTeams(listed, (query) =>
      query<{ team_id: string; kept: boolean }>(
        `WITH listed AS (SELECT DISTINCT unnest($2::text[]) AS team_id),
         kept AS (
           SELECT team_id FROM listed l
            WHERE EXISTS (SELECT 1 FROM installations WHERE install_key = 'T:' || l.team_id)
               OR EXISTS (SELECT 1 FROM team_enterprises e WHERE e.team_id = l.team_id
                            AND e.enterprise_id IS DISTINCT FROM $1::text
                            AND EXISTS (SELECT 1 FROM installations WHERE install_key = 'E:' || e.enterprise_id))
         ),
         gone AS (SELECT team_id FROM listed WHERE team_id NOT IN (SELECT team_id FROM kept)),
         ${deletes.join(',\n         ')},
         kept_notes AS (DELETE FROM team_enterprises WHERE enterprise_id = $1::text AND team_id IN (SELECT team_id FROM kept))
         SELECT team_id, team_id IN (SELECT team_id FROM kept) AS kept FROM listed`,
        [e, listed],
      ),
    );
    const order = new Map(listed.map((t, i) => [t, i]));
    rows.sort((a, b) => (order.get(a.team_id) ?? 0) - (order.get(b.team_id) ?? 0));
    return {
      forgotten: rows.filter((r) => !r.kept).map((r) => r.team_id),
      kept: rows.filter((r) => r.kept).map((r) => r.team_id),
    };
  }

  async metaOnce(name: string, value: string): Promise<string> {
    const n = checkedMetaName(name);
    const { rows } = await this.pool.query<{ value: string }>(
      `WITH ins AS (
         INSERT INTO store_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value
       )
       SELECT value FROM ins UNION ALL SELECT value FROM store_meta WHERE key = $1 LIMIT 1`,
      [n, value],
    );
    const stored = rows[0]?.value;
    if (stored !== undefined) return stored;
    // Another replica inserted it after this statement's snapshot was taken: read it now.
    const again = await this.pool.query<{ value: string }>('SELECT value FROM store_meta WHERE key = $1', [
      n,
    ]);
    const value2 = again.rows[0]?.value;
    if (value2 === undefined) throw new Error('store: meta value was not saved');
    return value2;
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM installations');
    return rows[0]?.n ?? 0;
  }
}
