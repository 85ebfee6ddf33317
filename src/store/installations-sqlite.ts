/** InstallationRows on SQLite (see installations.ts). better-sqlite3 is synchronous: each call is atomic. */
import type Database from 'better-sqlite3';
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
import { checkedEnterprise, checkedTeam } from './store';

interface Row {
  install_key: string;
  enterprise_id: string | null;
  team_id: string | null;
  is_enterprise_install: number;
  sealed: string;
}

export class SqliteInstallations implements InstallationRows {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.q = {
      save: db.prepare(
        `INSERT INTO installations (install_key, enterprise_id, team_id, is_enterprise_install, sealed, installed_at, updated_at)
         VALUES (@key, @enterpriseId, @teamId, @isEnterpriseInstall, @sealed, @at, @at)
         ON CONFLICT (install_key) DO UPDATE SET
           enterprise_id = excluded.enterprise_id,
           team_id = excluded.team_id,
           is_enterprise_install = excluded.is_enterprise_install,
           sealed = excluded.sealed,
           updated_at = excluded.updated_at`,
      ),
      find: db.prepare(
        'SELECT install_key, enterprise_id, team_id, is_enterprise_install, sealed FROM installations WHERE install_key = ?',
      ),
      reseal: db.prepare(
        'UPDATE installations SET sealed = ?, updated_at = ? WHERE install_key = ? AND sealed = ?',
      ),
      metaReplace: db.prepare('UPDATE store_meta SET value = ? WHERE key = ? AND value = ?'),
      remove: db.prepare('DELETE FROM installations WHERE install_key = ?'),
      forget: TEAM_TABLES.map((t) => db.prepare(`DELETE FROM ${t} WHERE team_id = ?`)),
      noteEnterprise: db.prepare(
        `INSERT INTO team_enterprises (team_id, enterprise_id, seen_at) VALUES (?, ?, ?)
         ON CONFLICT (team_id) DO UPDATE SET enterprise_id = excluded.enterprise_id, seen_at = excluded.seen_at`,
      ),
      enterpriseTeams: db
        .prepare(
          `SELECT team_id FROM team_enterprises e WHERE enterprise_id = ?
             AND NOT EXISTS (SELECT 1 FROM installations WHERE install_key = 'T:' || e.team_id)`,
        )
        .pluck(),
      forgetEnterprise: db.prepare('DELETE FROM team_enterprises WHERE enterprise_id = ?'),
      // The org whose install still serves the workspace (recorded under it, and installed).
      servedByOrg: db
        .prepare(
          `SELECT enterprise_id FROM team_enterprises e WHERE team_id = ?
             AND EXISTS (SELECT 1 FROM installations WHERE install_key = 'E:' || e.enterprise_id)`,
        )
        .pluck(),
      // Another install still serves the workspace: its own, or another org's it is recorded under.
      servedElsewhere: db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM installations WHERE install_key = 'T:' || @team)
               OR EXISTS (SELECT 1 FROM team_enterprises e WHERE team_id = @team AND enterprise_id IS NOT @enterprise
                            AND EXISTS (SELECT 1 FROM installations WHERE install_key = 'E:' || e.enterprise_id))`,
        )
        .pluck(),
      dropTeamNote: db.prepare('DELETE FROM team_enterprises WHERE team_id = ? AND enterprise_id = ?'),
      metaInsert: db.prepare(
        'INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
      ),
      metaGet: db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck(),
      count: db.prepare('SELECT count(*) FROM installations').pluck(),
    };
  }

  async save(row: InstallationRow): Promise<void> {
    const r = checkedInstallation(row);
    this.q.save.run({ ...r, isEnterpriseInstall: r.isEnterpriseInstall ? 1 : 0, at: this.now() });
  }

  async find(key: string): Promise<InstallationRow | null> {
    const r = this.q.find.get(checkedInstallKey(key)) as Row | undefined;
    return r
      ? {
          key: r.install_key,
          enterpriseId: r.enterprise_id,
          teamId: r.team_id,
          isEnterpriseInstall: r.is_enterprise_install === 1,
          sealed: r.sealed,
        }
      : null;
  }

  async reseal(key: string, from: string, to: string): Promise<boolean> {
    const k = checkedInstallKey(key);
    return this.q.reseal.run(checkedSealed(to), this.now(), k, from).changes > 0;
  }

  async metaReplace(name: string, from: string, to: string): Promise<boolean> {
    return this.q.metaReplace.run(to, checkedMetaName(name), from).changes > 0;
  }

  async remove(key: string): Promise<boolean> {
    return this.q.remove.run(checkedInstallKey(key)).changes > 0;
  }

  async forgetTeam(team: string): Promise<void> {
    const t = checkedTeam(team);
    this.db.transaction(() => {
      for (const s of this.q.forget) s.run(t);
    })();
  }

  async noteTeamEnterprise(team: string, enterprise: string): Promise<void> {
    this.q.noteEnterprise.run(checkedTeam(team), checkedEnterprise(enterprise), this.now());
  }

  async forgetEnterprise(enterprise: string): Promise<string[]> {
    const e = checkedEnterprise(enterprise);
    return this.db.transaction(() => {
      const teams = this.q.enterpriseTeams.all(e) as string[];
      for (const team of teams) for (const s of this.q.forget) s.run(team);
      this.q.forgetEnterprise.run(e);
      return teams;
    })();
  }

  async forgetUninstalledTeam(team: string): Promise<string | null> {
    const t = checkedTeam(team);
    return this.db.transaction(() => {
      const org = this.q.servedByOrg.get(t) as string | undefined;
      if (org !== undefined) return org;
      for (const s of this.q.forget) s.run(t);
      return null;
    })();
  }

  async forgetRevokedTeams(
    enterprise: string | null,
    teams: readonly string[],
  ): Promise<{ forgotten: string[]; kept: string[] }> {
    const e = enterprise === null ? null : checkedEnterprise(enterprise);
    const listed = checkedTeams(teams);
    return this.db.transaction(() => {
      const forgotten: string[] = [];
      const kept: string[] = [];
      for (const team of listed) {
        if (this.q.servedElsewhere.get({ team, enterprise: e }) === 1) {
          if (e !== null) this.q.dropTeamNote.run(team, e);
          kept.push(team);
        } else {
          for (const s of this.q.forget) s.run(team);
          forgotten.push(team);
        }
      }
      return { forgotten, kept };
    })();
  }

  async metaOnce(name: string, value: string): Promise<string> {
    const n = checkedMetaName(name);
    this.q.metaInsert.run(n, value);
    return this.q.metaGet.get(n) as string;
  }

  async count(): Promise<number> {
    return this.q.count.get() as number;
  }
}
