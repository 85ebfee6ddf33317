/**
 * Versioned schema migrations, run at start by every replica.
 *
 * Safe when several replicas start at once: PostgreSQL runs them under a session advisory lock (two
 * concurrent `CREATE TABLE IF NOT EXISTS` fail on pg_type's unique index otherwise); SQLite runs them
 * in one `BEGIN IMMEDIATE` transaction, which takes the write lock before reading the version, so a
 * second process waits (busy_timeout) and then finds the work done.
 *
 * Append new migrations; never edit one that has shipped. Each runs in its own transaction with the
 * row that records it.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { type Engine, MESSAGE_HASH_KEY } from './store';

export interface Step {
  sql: string;
  /** Values for the statement's placeholders, computed when it runs. */
  params?: () => unknown[];
}

export interface Migration {
  version: number;
  name: string;
  steps: Record<Engine, Step[]>;
}

const newSecret = (): unknown[] => [randomBytes(32).toString('base64')];

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'diagnoses with daily rollups, votes, channel settings, claims, message hash secret',
    steps: {
      sqlite: [
        { sql: 'CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT' },
        // The secret that keys message hashes, shared by every replica that opens this store.
        {
          sql: 'INSERT INTO store_meta (key, value) VALUES (?, ?)',
          params: () => [MESSAGE_HASH_KEY, ...newSecret()],
        },
        { sql: 'CREATE TABLE claims (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) STRICT' },
        { sql: 'CREATE INDEX claims_expires ON claims (expires_at)' },
        {
          sql: `CREATE TABLE diagnoses (
            id INTEGER PRIMARY KEY,
            created_at INTEGER NOT NULL,
            team_id TEXT NOT NULL,
            channel_id TEXT,
            user_id TEXT,
            entry_point TEXT NOT NULL,
            platform TEXT,
            cause TEXT,
            confidence REAL NOT NULL,
            error_code TEXT,
            is_token_error INTEGER NOT NULL CHECK (is_token_error IN (0, 1)),
            message_hash TEXT NOT NULL,
            card_key TEXT
          ) STRICT`,
        },
        // App Home's partial first and last day: a range scan that never touches the table.
        {
          sql: 'CREATE INDEX diagnoses_home ON diagnoses (team_id, created_at, is_token_error, platform, cause, channel_id)',
        },
        // Outbreaks: one platform+cause of one workspace in the last hour.
        {
          sql: 'CREATE INDEX diagnoses_outbreak ON diagnoses (team_id, platform, cause, created_at, channel_id, user_id)',
        },
        { sql: 'CREATE UNIQUE INDEX diagnoses_card ON diagnoses (card_key) WHERE card_key IS NOT NULL' },
        { sql: 'CREATE INDEX diagnoses_created ON diagnoses (created_at)' },
        // Daily rollups (day = UTC days since the epoch), kept in step by recordDiagnosis and
        // purgeExpired: App Home reads whole days here. '' stands for a null platform or cause.
        {
          sql: `CREATE TABLE daily_causes (
            team_id TEXT NOT NULL,
            day INTEGER NOT NULL,
            is_token_error INTEGER NOT NULL,
            platform TEXT NOT NULL,
            cause TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (team_id, day, is_token_error, platform, cause)
          ) STRICT, WITHOUT ROWID`,
        },
        {
          sql: `CREATE TABLE daily_channels (
            team_id TEXT NOT NULL,
            day INTEGER NOT NULL,
            channel_id TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (team_id, day, channel_id)
          ) STRICT, WITHOUT ROWID`,
        },
        // A vote carries its card's workspace, channel, platform, cause and time (copied from the
        // diagnosis when cast; null if it was never recorded), so App Home reads votes alone.
        {
          sql: `CREATE TABLE votes (
            card_key TEXT NOT NULL,
            user_id TEXT NOT NULL,
            vote TEXT NOT NULL CHECK (vote IN ('fixed', 'still_broken')),
            voted_at INTEGER NOT NULL,
            team_id TEXT,
            channel_id TEXT,
            platform TEXT,
            cause TEXT,
            card_at INTEGER,
            PRIMARY KEY (card_key, user_id)
          ) STRICT, WITHOUT ROWID`,
        },
        { sql: 'CREATE INDEX votes_voted ON votes (voted_at)' },
        {
          sql: 'CREATE INDEX votes_home ON votes (team_id, card_at, vote, voted_at, channel_id, platform, cause)',
        },
        {
          sql: `CREATE TABLE channel_settings (
            team_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            listen_mode TEXT NOT NULL CHECK (listen_mode IN ('reply', 'react', 'off')),
            read_bots INTEGER NOT NULL CHECK (read_bots IN (0, 1)),
            updated_by TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (team_id, channel_id)
          ) STRICT, WITHOUT ROWID`,
        },
      ],
      postgres: [
        { sql: 'CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)' },
        {
          sql: 'INSERT INTO store_meta (key, value) VALUES ($1, $2)',
          params: () => [MESSAGE_HASH_KEY, ...newSecret()],
        },
        { sql: 'CREATE TABLE claims (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)' },
        { sql: 'CREATE INDEX claims_expires ON claims (expires_at)' },
        {
          sql: `CREATE TABLE diagnoses (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            created_at BIGINT NOT NULL,
            team_id TEXT NOT NULL,
            channel_id TEXT,
            user_id TEXT,
            entry_point TEXT NOT NULL,
            platform TEXT,
            cause TEXT,
            confidence DOUBLE PRECISION NOT NULL,
            error_code TEXT,
            is_token_error BOOLEAN NOT NULL,
            message_hash TEXT NOT NULL,
            card_key TEXT
          )`,
        },
        {
          sql: 'CREATE INDEX diagnoses_home ON diagnoses (team_id, created_at) INCLUDE (is_token_error, platform, cause, channel_id)',
        },
        {
          sql: 'CREATE INDEX diagnoses_outbreak ON diagnoses (team_id, platform, cause, created_at) INCLUDE (channel_id, user_id)',
        },
        { sql: 'CREATE UNIQUE INDEX diagnoses_card ON diagnoses (card_key) WHERE card_key IS NOT NULL' },
        { sql: 'CREATE INDEX diagnoses_created ON diagnoses (created_at)' },
        {
          sql: `CREATE TABLE daily_causes (
            team_id TEXT NOT NULL,
            day INTEGER NOT NULL,
            is_token_error BOOLEAN NOT NULL,
            platform TEXT NOT NULL,
            cause TEXT NOT NULL,
            n BIGINT NOT NULL,
            PRIMARY KEY (team_id, day, is_token_error, platform, cause)
          )`,
        },
        {
          sql: `CREATE TABLE daily_channels (
            team_id TEXT NOT NULL,
            day INTEGER NOT NULL,
            channel_id TEXT NOT NULL,
            n BIGINT NOT NULL,
            PRIMARY KEY (team_id, day, channel_id)
          )`,
        },
        {
          sql: `CREATE TABLE votes (
            card_key TEXT NOT NULL,
            user_id TEXT NOT NULL,
            vote TEXT NOT NULL CHECK (vote IN ('fixed', 'still_broken')),
            voted_at BIGINT NOT NULL,
            team_id TEXT,
            channel_id TEXT,
            platform TEXT,
            cause TEXT,
            card_at BIGINT,
            PRIMARY KEY (card_key, user_id)
          )`,
        },
        { sql: 'CREATE INDEX votes_voted ON votes (voted_at)' },
        {
          sql: 'CREATE INDEX votes_home ON votes (team_id, card_at) INCLUDE (vote, voted_at, channel_id, platform, cause)',
        },
        {
          sql: `CREATE TABLE channel_settings (
            team_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            listen_mode TEXT NOT NULL CHECK (listen_mode IN ('reply', 'react', 'off')),
            read_bots BOOLEAN NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (team_id, channel_id)
          )`,
        },
      ],
    },
  },
  {
    version: 2,
    name: 'channel kinds: whether a channel is private, for App Home',
    steps: {
      // Learnt from message events (channel_type); App Home names a channel only when it is known public.
      sqlite: [
        {
          sql: `CREATE TABLE channel_kinds (
            team_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            is_private INTEGER NOT NULL CHECK (is_private IN (0, 1)),
            seen_at INTEGER NOT NULL,
            PRIMARY KEY (team_id, channel_id)
          ) STRICT, WITHOUT ROWID`,
        },
        { sql: 'CREATE INDEX channel_kinds_seen ON channel_kinds (seen_at)' },
      ],
      postgres: [
        {
          sql: `CREATE TABLE channel_kinds (
            team_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            is_private BOOLEAN NOT NULL,
            seen_at BIGINT NOT NULL,
            PRIMARY KEY (team_id, channel_id)
          )`,
        },
        { sql: 'CREATE INDEX channel_kinds_seen ON channel_kinds (seen_at)' },
      ],
    },
  },
  {
    version: 3,
    name: 'installations (OAuth mode): one row per workspace or org install, the installation sealed with TOKEN_ENCRYPTION_KEY',
    steps: {
      // install_key is `T:<team id>` for a workspace install, `E:<enterprise id>` for an org-wide install.
      // `sealed` is AES-256-GCM ciphertext (src/oauth/crypto.ts): no token is ever stored in the clear.
      sqlite: [
        {
          sql: `CREATE TABLE installations (
            install_key TEXT PRIMARY KEY,
            enterprise_id TEXT,
            team_id TEXT,
            is_enterprise_install INTEGER NOT NULL CHECK (is_enterprise_install IN (0, 1)),
            sealed TEXT NOT NULL,
            installed_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          ) STRICT`,
        },
        { sql: 'CREATE INDEX installations_enterprise ON installations (enterprise_id)' },
      ],
      postgres: [
        {
          sql: `CREATE TABLE installations (
            install_key TEXT PRIMARY KEY,
            enterprise_id TEXT,
            team_id TEXT,
            is_enterprise_install BOOLEAN NOT NULL,
            sealed TEXT NOT NULL,
            installed_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
          )`,
        },
        { sql: 'CREATE INDEX installations_enterprise ON installations (enterprise_id)' },
      ],
    },
  },
  {
    version: 4,
    name: 'claims held pending until the reply is posted: state (pending|answered) and the holder of a pending claim',
    steps: {
      // Every existing claim was final when taken: 'answered'. A pending claim's expires_at is its lease;
      // `holder` is a random id per reply, cleared once answered (so the index holds pending claims only).
      sqlite: [
        {
          sql: "ALTER TABLE claims ADD COLUMN state TEXT NOT NULL DEFAULT 'answered' CHECK (state IN ('pending', 'answered'))",
        },
        { sql: 'ALTER TABLE claims ADD COLUMN holder TEXT' },
        { sql: 'CREATE INDEX claims_holder ON claims (holder) WHERE holder IS NOT NULL' },
      ],
      postgres: [
        {
          sql: `ALTER TABLE claims
            ADD COLUMN state TEXT NOT NULL DEFAULT 'answered' CHECK (state IN ('pending', 'answered')),
            ADD COLUMN holder TEXT`,
        },
        { sql: 'CREATE INDEX claims_holder ON claims (holder) WHERE holder IS NOT NULL' },
      ],
    },
  },
  {
    version: 5,
    name: 'workspace settings: the outbreak alert channel each workspace chose (/tokenfix alerts here|off)',
    steps: {
      // No row: nobody chose (ALERT_CHANNEL applies in single-workspace mode); alert_channel null: off.
      sqlite: [
        {
          sql: `CREATE TABLE workspace_settings (
            team_id TEXT PRIMARY KEY,
            alert_channel TEXT,
            updated_by TEXT NOT NULL,
            updated_at INTEGER NOT NULL
          ) STRICT, WITHOUT ROWID`,
        },
      ],
      postgres: [
        {
          sql: `CREATE TABLE workspace_settings (
            team_id TEXT PRIMARY KEY,
            alert_channel TEXT,
            updated_by TEXT NOT NULL,
            updated_at BIGINT NOT NULL
          )`,
        },
      ],
    },
  },
  {
    version: 6,
    name: 'reminders: "Remind me before it expires" messages scheduled in Slack, so App Home can list and cancel them',
    steps: {
      // Slack keeps the scheduled message; this keeps its id, who asked and when it posts. Never text.
      sqlite: [
        {
          sql: `CREATE TABLE reminders (
            team_id TEXT NOT NULL,
            scheduled_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            platform TEXT NOT NULL,
            post_at INTEGER NOT NULL,
            PRIMARY KEY (team_id, scheduled_id)
          ) STRICT, WITHOUT ROWID`,
        },
        { sql: 'CREATE INDEX reminders_user ON reminders (team_id, user_id, post_at)' },
        { sql: 'CREATE INDEX reminders_post_at ON reminders (post_at)' },
      ],
      postgres: [
        {
          sql: `CREATE TABLE reminders (
            team_id TEXT NOT NULL,
            scheduled_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            platform TEXT NOT NULL,
            post_at BIGINT NOT NULL,
            PRIMARY KEY (team_id, scheduled_id)
          )`,
        },
        { sql: 'CREATE INDEX reminders_user ON reminders (team_id, user_id, post_at)' },
        { sql: 'CREATE INDEX reminders_post_at ON reminders (post_at)' },
      ],
    },
  },
  {
    version: 7,
    name: 'channel settings: whether passive listening reads screenshots (on unless turned off)',
    steps: {
      sqlite: [
        {
          sql: 'ALTER TABLE channel_settings ADD COLUMN read_images INTEGER NOT NULL DEFAULT 1 CHECK (read_images IN (0, 1))',
        },
      ],
      postgres: [
        { sql: 'ALTER TABLE channel_settings ADD COLUMN read_images BOOLEAN NOT NULL DEFAULT true' },
      ],
    },
  },
  {
    version: 8,
    name: 'reply caps: the passive reply cap per channel, shared by every replica (slot times, no text)',
    steps: {
      // One row per key (`team:channel`): the times of the slots taken within the window (at most the
      // cap's limit of them) and when the newest leaves it; past that the row is purged. Never text.
      sqlite: [
        {
          sql: `CREATE TABLE reply_caps (
            key TEXT PRIMARY KEY,
            times TEXT NOT NULL,
            expires_at INTEGER NOT NULL
          ) STRICT, WITHOUT ROWID`,
        },
        { sql: 'CREATE INDEX reply_caps_expires ON reply_caps (expires_at)' },
      ],
      postgres: [
        {
          sql: `CREATE TABLE reply_caps (
            key TEXT PRIMARY KEY,
            times BIGINT[] NOT NULL,
            expires_at BIGINT NOT NULL
          )`,
        },
        { sql: 'CREATE INDEX reply_caps_expires ON reply_caps (expires_at)' },
      ],
    },
  },
  {
    version: 9,
    name: 'team enterprises: which org-wide (Enterprise Grid) install each workspace was served through, so an org uninstall forgets its workspaces',
    steps: {
      // One row per workspace, written when a request comes through an org-wide install; seen_at is
      // the last time this was written (at most hourly per process). Deleted with the workspace's rows.
      sqlite: [
        {
          sql: `CREATE TABLE team_enterprises (
            team_id TEXT PRIMARY KEY,
            enterprise_id TEXT NOT NULL,
            seen_at INTEGER NOT NULL
          ) STRICT, WITHOUT ROWID`,
        },
        { sql: 'CREATE INDEX team_enterprises_enterprise ON team_enterprises (enterprise_id)' },
      ],
      postgres: [
        {
          sql: `CREATE TABLE team_enterprises (
            team_id TEXT PRIMARY KEY,
            enterprise_id TEXT NOT NULL,
            seen_at BIGINT NOT NULL
          )`,
        },
        { sql: 'CREATE INDEX team_enterprises_enterprise ON team_enterprises (enterprise_id)' },
      ],
    },
  },
];

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

const CREATE_VERSIONS = {
  sqlite:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
  postgres:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
};

export interface MigrationResult {
  /** Versions this call applied (empty when another replica, or an earlier start, had done it). */
  applied: number[];
  version: number;
}

/** Runs the pending migrations on a SQLite connection (busy_timeout must be set). */
export function migrateSqlite(db: Database, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  const applied: number[] = [];
  // IMMEDIATE: take the write lock first, so two processes never both decide a version is missing.
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(CREATE_VERSIONS.sqlite);
    const done = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      db.exec(`SAVEPOINT v${m.version}`);
      for (const step of m.steps.sqlite) db.prepare(step.sql).run(...(step.params?.() ?? []));
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
      db.exec(`RELEASE v${m.version}`);
      applied.push(m.version);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return { applied, version: Math.max(0, ...migrations.map((m) => m.version)) };
}

/**
 * Migrations may wait for another replica's and may build indexes on big tables: they get minutes,
 * not the pool's per-query timeout (pg reads `query_timeout` from the query config too).
 */
const MIGRATION_QUERY_TIMEOUT_MS = 10 * 60_000;
const slow = (text: string, values: unknown[] = []): QueryConfig =>
  ({ text, values, query_timeout: MIGRATION_QUERY_TIMEOUT_MS }) as QueryConfig;

/** A fixed key for pg_advisory_lock: "tokenfix" as a number. */
export const MIGRATION_LOCK_KEY = 0x746f6b656e666978n.toString();

/** Runs the pending migrations on PostgreSQL, one replica at a time (session advisory lock). */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const client: PoolClient = await pool.connect();
  // A checked-out client has no error listener of the pool's; without one a dropped connection would
  // crash the process instead of failing this start.
  const onError = (): void => {};
  client.on('error', onError);
  const applied: number[] = [];
  let broken = false;
  try {
    // Wait for another replica's migrations, but not for ever.
    await client.query("SET lock_timeout = '60s'");
    await client.query(slow('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]));
    try {
      await client.query(CREATE_VERSIONS.postgres);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done = new Set(rows.map((r) => r.version));
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          // A schema change must outlive a crash right after start, even on a server (or a session)
          // that commits asynchronously: the code that runs next relies on it.
          await client.query('SET LOCAL synchronous_commit = on');
          for (const step of m.steps.postgres) await client.query(slow(step.sql, step.params?.() ?? []));
          await client.query(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
            [m.version, m.name, Date.now()],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
        applied.push(m.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => {
        broken = true;
      });
      await client.query('RESET lock_timeout').catch(() => {
        broken = true;
      });
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    if (!broken) client.removeListener('error', onError);
    // A connection in an unknown state (lock held, transaction open) is closed rather than reused.
    client.release(broken);
  }
  return { applied, version: Math.max(0, ...migrations.map((m) => m.version)) };
}
