/**
 * The engine for several replicas: PostgreSQL through a `pg` Pool.
 *
 * The pool has an `error` listener: an idle connection that the server drops (restart, failover)
 * is logged and replaced, never an unhandled 'error' event that ends the process. Every query has a
 * timeout, so a store outage slows nothing down for long; callers fall back (see Store).
 */
import { Pool, type PoolConfig, types } from 'pg';
import { PostgresInstallations } from './installations-postgres';
import { migratePostgres } from './migrations';
import { inTransaction } from './pg-transaction';
import {
  type AlertChoice,
  type AlertChoiceRow,
  assembleStats,
  type CardVote,
  type ChannelSettings,
  type ChannelSettingsChange,
  type Claim,
  checkedCapLimit,
  checkedChange,
  checkedChannel,
  checkedChannels,
  checkedClaims,
  checkedDays,
  checkedDiagnosis,
  checkedHolder,
  checkedHolders,
  checkedKey,
  checkedKeys,
  checkedReminder,
  checkedReminderId,
  checkedSince,
  checkedTeam,
  checkedTop,
  checkedTtl,
  checkedUser,
  checkedVote,
  checkedWord,
  DAY_MS,
  DEFAULT_CHANNEL_SETTINGS,
  DEFAULT_RETENTION,
  type DiagnosisRecord,
  dayOf,
  type ExportOptions,
  type ExportRow,
  type ListenMode,
  MESSAGE_HASH_KEY,
  messageHasher,
  outbreakKey,
  type PurgeResult,
  type RecentCount,
  type Reminder,
  type Retention,
  type StatsOptions,
  type StatsRows,
  type Store,
  StoreInputError,
  type StoreOptions,
  type StoreStats,
  statsWindow,
  toAlertChoice,
  toExportRows,
  type Vote,
  type VoteResult,
  withTimeout,
} from './store';

const INT8_OID = 20;

/**
 * A CTE that turns on asynchronous commit for the statement's own transaction (`SET LOCAL`, in one
 * round trip). Used only by the writes on the reply path (claims, diagnosis records): their commit then
 * returns without waiting for the WAL flush, so a burst no longer queues behind fsync. The price: a
 * PostgreSQL crash can lose the last fraction of a second of them (wal_writer_delay ×3, never a torn
 * row), i.e. a stats row, or a claim so that a retried event is answered twice. Settings, votes and
 * installations stay fully durable.
 */
const ASYNC_COMMIT = `async_commit AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))`;

/** BIGINT columns (times in ms, counts) as JS numbers: every value we keep is far below 2^53. */
const parsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : types.getTypeParser(oid, format ?? 'text')) as typeof types.getTypeParser,
};

/** Runs `work` again (up to 3 times) when PostgreSQL rolled it back for a deadlock or serialization failure. */
async function retryDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}

/** The pool's limit on each query (client-side `query_timeout`), unless a call sets its own. */
export const QUERY_TIMEOUT_MS = 15_000;

export interface PostgresOptions extends StoreOptions {
  /** Pool size (default 10). */
  max?: number;
  /** The pool's query limit (default QUERY_TIMEOUT_MS; tests make it short). */
  queryTimeoutMs?: number;
}

interface SettingsRow {
  listen_mode: ListenMode;
  read_bots: boolean;
  read_images: boolean;
  updated_by: string;
  updated_at: number;
}

const toSettings = (r: SettingsRow): ChannelSettings => ({
  listenMode: r.listen_mode,
  readBots: r.read_bots,
  readImages: r.read_images,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

/** Connects, migrates (under pg_advisory_lock) and returns a PostgreSQL store. */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
  const config: PoolConfig = {
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: options.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
    application_name: 'tokenfix',
    types: parsers,
  };
  const pool = new Pool(config);
  pool.on('error', (error) => {
    options.log?.warn('store: a PostgreSQL connection was lost; it will be replaced', {
      error: error.name,
      message: error.message.split('\n')[0]?.slice(0, 200),
    });
  });
  try {
    await migratePostgres(pool);
    const { rows } = await pool.query<{ value: string }>('SELECT value FROM store_meta WHERE key = $1', [
      MESSAGE_HASH_KEY,
    ]);
    return new PostgresStore(pool, rows[0]?.value ?? '', options);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  readonly installations: PostgresInstallations;
  readonly hashMessage: (text: string) => string;
  private readonly now: () => number;
  private ended = false;

  constructor(
    private readonly pool: Pool,
    secret: string,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.hashMessage = messageHasher(secret);
    this.installations = new PostgresInstallations(pool, this.now);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.claimInOrder([{ key, ttlMs }])) === 1;
  }

  async claimInOrder(claims: readonly Claim[]): Promise<number> {
    const checked = checkedClaims(claims);
    const now = this.now();
    return this.insertClaims(
      checked.map((c) => ({ key: c.key, expiresAt: now + c.ttlMs })),
      now,
      null,
    );
  }

  async holdInOrder(claims: readonly Claim[], holder: string, leaseMs: number): Promise<number> {
    const checked = checkedClaims(claims);
    const who = checkedHolder(holder);
    const now = this.now();
    const until = now + checkedTtl(leaseMs, 'leaseMs');
    return this.insertClaims(
      checked.map((c) => ({ key: c.key, expiresAt: until })),
      now,
      who,
    );
  }

  /**
   * One statement: each insert reads the row returned by the one before it, so a claim is only
   * attempted when every earlier one was won. Keys are distinct (checked), so no row is hit twice. A row
   * is taken over only when it has expired (for a pending claim: its lease lapsed). With a holder the
   * claims are pending, without one final.
   */
  private async insertClaims(
    rows: Array<{ key: string; expiresAt: number }>,
    now: number,
    holder: string | null,
  ): Promise<number> {
    const values: Array<string | number | null> = [now, holder];
    const steps = rows.map((c, i) => {
      values.push(c.key, c.expiresAt);
      const from = i === 0 ? 'async_commit' : `c${i - 1}`;
      return `c${i} AS (
         INSERT INTO claims (key, expires_at, state, holder)
         SELECT $${2 * i + 3}::text, $${2 * i + 4}::bigint, ${holder === null ? "'answered'" : "'pending'"}, $2::text
         FROM ${from}
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at, state = EXCLUDED.state, holder = EXCLUDED.holder
         WHERE claims.expires_at <= $1
         RETURNING 1 AS won)`;
    });
    const total = rows.map((_, i) => `(SELECT count(*) FROM c${i})`).join(' + ');
    const r = await this.pool.query<{ won: number }>(
      `WITH ${ASYNC_COMMIT}, ${steps.join(', ')} SELECT (${total})::int AS won`,
      values,
    );
    return r.rows[0]?.won ?? 0;
  }

  async confirmHeld(holder: string, claims: readonly Claim[]): Promise<number> {
    const checked = checkedClaims(claims);
    const now = this.now();
    const r = await this.pool.query(
      `WITH ${ASYNC_COMMIT}
       UPDATE claims SET state = 'answered', holder = NULL, expires_at = v.expires_at
       FROM async_commit, unnest($2::text[], $3::bigint[]) AS v(key, expires_at)
       WHERE claims.key = v.key AND claims.holder = $1 AND claims.state = 'pending'`,
      [checkedHolder(holder), checked.map((c) => c.key), checked.map((c) => now + c.ttlMs)],
    );
    return r.rowCount ?? 0;
  }

  async releaseHeld(holder: string, keys: readonly string[]): Promise<number> {
    const r = await this.pool.query(
      `WITH ${ASYNC_COMMIT}
       DELETE FROM claims USING async_commit
       WHERE claims.key = ANY($2::text[]) AND claims.holder = $1 AND claims.state = 'pending'`,
      [checkedHolder(holder), checkedKeys(keys)],
    );
    return r.rowCount ?? 0;
  }

  async renewHeld(holders: readonly string[], leaseMs: number): Promise<number> {
    const list = checkedHolders(holders);
    const until = this.now() + checkedTtl(leaseMs, 'leaseMs');
    if (list.length === 0) return 0;
    const r = await this.pool.query(
      `WITH ${ASYNC_COMMIT}
       UPDATE claims SET expires_at = $2 FROM async_commit
       WHERE claims.holder = ANY($1::text[]) AND claims.state = 'pending'`,
      [list, until],
    );
    return r.rowCount ?? 0;
  }

  /**
   * One statement, atomic across replicas: the key's row is inserted, or (ON CONFLICT) locked and
   * updated only while fewer than `limit` of its times are within the window. A concurrent take of the
   * same key waits for that row lock and then reads the row as the other one left it (READ COMMITTED
   * re-checks the updated row), so two replicas never both take the last slot. The times outside the
   * window are dropped as the new one is added. Asynchronous commit, like the claims: a PostgreSQL crash
   * may forget the last fraction of a second of slots (a reply or two more that minute).
   */
  async takeCapSlot(key: string, limit: number, windowMs: number): Promise<boolean> {
    const k = checkedKey(key);
    const n = checkedCapLimit(limit);
    const w = checkedTtl(windowMs, 'windowMs');
    const now = this.now();
    const r = await this.pool.query(
      `WITH ${ASYNC_COMMIT}
       INSERT INTO reply_caps AS r (key, times, expires_at)
       SELECT $1::text, ARRAY[$2::bigint], $2::bigint + $4::bigint FROM async_commit
       ON CONFLICT (key) DO UPDATE SET
         times = array(SELECT t FROM unnest(r.times) AS t WHERE t > $2::bigint - $4::bigint ORDER BY t)
           || $2::bigint,
         expires_at = GREATEST(r.expires_at, EXCLUDED.expires_at)
       WHERE (SELECT count(*) FROM unnest(r.times) AS t WHERE t > $2::bigint - $4::bigint) < $3::int
       RETURNING 1`,
      [k, now, n, w],
    );
    return r.rowCount === 1;
  }

  async recordDiagnosis(row: DiagnosisRecord): Promise<boolean> {
    const c = checkedDiagnosis(row, this.now());
    // One statement, so one round trip and atomic: the row and its two daily rollups. Two of these
    // bumping the same rollup rows can, rarely, deadlock; PostgreSQL then rolls one back whole, and
    // it is simply run again.
    const r = await retryDeadlock(() =>
      this.pool.query<{ inserted: number }>(
        `WITH ${ASYNC_COMMIT}, ins AS (
         INSERT INTO diagnoses (created_at, team_id, channel_id, user_id, entry_point, platform, cause, confidence,
           error_code, is_token_error, message_hash, card_key)
         SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::double precision, $9::text,
           $10::boolean, $11::text, $12::text
         FROM async_commit
         ON CONFLICT DO NOTHING
         RETURNING team_id, is_token_error, platform, cause, channel_id
       ), causes AS (
         INSERT INTO daily_causes (team_id, day, is_token_error, platform, cause, n)
         SELECT team_id, $13::int, is_token_error, coalesce(platform, ''), coalesce(cause, ''), 1 FROM ins
         ON CONFLICT (team_id, day, is_token_error, platform, cause) DO UPDATE SET n = daily_causes.n + 1
       ), channels AS (
         INSERT INTO daily_channels (team_id, day, channel_id, n)
         SELECT team_id, $13::int, channel_id, 1 FROM ins WHERE is_token_error AND channel_id IS NOT NULL
         ON CONFLICT (team_id, day, channel_id) DO UPDATE SET n = daily_channels.n + 1
       )
       SELECT count(*)::int AS inserted FROM ins`,
        [
          c.at,
          c.team,
          c.channel,
          c.user,
          c.entryPoint,
          c.platform,
          c.cause,
          c.confidence,
          c.errorCode,
          c.isTokenError,
          c.messageHash,
          c.cardKey,
          dayOf(c.at),
        ],
      ),
    );
    return r.rows[0]?.inserted === 1;
  }

  async recordVote(cardKey: string, user: string, vote: Vote): Promise<VoteResult> {
    const v = checkedVote(vote);
    const r = await this.pool.query<{ previous: Vote | null }>(
      `WITH prev AS (SELECT vote FROM votes WHERE card_key = $1 AND user_id = $2)
       INSERT INTO votes (card_key, user_id, vote, voted_at, team_id, channel_id, platform, cause, card_at)
       SELECT $1, $2, $3::text, $4::bigint, d.team_id, d.channel_id, d.platform, d.cause, d.created_at
       FROM (SELECT 1) AS one LEFT JOIN diagnoses d ON d.card_key = $1
       ON CONFLICT (card_key, user_id) DO UPDATE SET
         vote = EXCLUDED.vote,
         voted_at = EXCLUDED.voted_at,
         team_id = coalesce(EXCLUDED.team_id, votes.team_id),
         channel_id = coalesce(EXCLUDED.channel_id, votes.channel_id),
         platform = coalesce(EXCLUDED.platform, votes.platform),
         cause = coalesce(EXCLUDED.cause, votes.cause),
         card_at = coalesce(EXCLUDED.card_at, votes.card_at)
       RETURNING (SELECT vote FROM prev) AS previous`,
      [checkedKey(cardKey, 'cardKey'), checkedUser(user), v, this.now()],
    );
    return { previous: r.rows[0]?.previous ?? null, vote: v };
  }

  async cardVotes(cardKey: string): Promise<CardVote[]> {
    const r = await this.pool.query<CardVote>(
      'SELECT user_id AS "user", vote, voted_at AS "at" FROM votes WHERE card_key = $1 ORDER BY voted_at, user_id',
      [checkedKey(cardKey, 'cardKey')],
    );
    return r.rows;
  }

  async getChannelSettings(team: string, channel: string): Promise<ChannelSettings> {
    const r = await this.pool.query<SettingsRow>(
      'SELECT listen_mode, read_bots, read_images, updated_by, updated_at FROM channel_settings WHERE team_id = $1 AND channel_id = $2',
      [checkedTeam(team), checkedChannel(channel)],
    );
    const row = r.rows[0];
    return row ? toSettings(row) : { ...DEFAULT_CHANNEL_SETTINGS };
  }

  async getAlertChoice(team: string): Promise<AlertChoice | null> {
    const r = await this.pool.query<AlertChoiceRow>(
      'SELECT alert_channel, updated_by, updated_at FROM workspace_settings WHERE team_id = $1',
      [checkedTeam(team)],
    );
    const row = r.rows[0];
    return row ? toAlertChoice(row) : null;
  }

  async setAlertChoice(team: string, channel: string | null, by: string): Promise<AlertChoice> {
    const r = await this.pool.query<AlertChoiceRow>(
      `INSERT INTO workspace_settings (team_id, alert_channel, updated_by, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team_id) DO UPDATE SET
         alert_channel = EXCLUDED.alert_channel,
         updated_by = EXCLUDED.updated_by,
         updated_at = EXCLUDED.updated_at
       RETURNING alert_channel, updated_by, updated_at`,
      [checkedTeam(team), channel === null ? null : checkedChannel(channel), checkedUser(by), this.now()],
    );
    const row = r.rows[0];
    if (!row) throw new Error('store: the alert channel was not saved');
    return toAlertChoice(row);
  }

  async setChannelSettings(
    team: string,
    channel: string,
    change: ChannelSettingsChange,
    by: string,
  ): Promise<ChannelSettings> {
    const c = checkedChange(change);
    const r = await this.pool.query<SettingsRow>(
      `INSERT INTO channel_settings (team_id, channel_id, listen_mode, read_bots, read_images, updated_by, updated_at)
       VALUES ($1, $2, coalesce($3::text, 'reply'), coalesce($4::boolean, false), coalesce($7::boolean, true), $5, $6)
       ON CONFLICT (team_id, channel_id) DO UPDATE SET
         listen_mode = coalesce($3::text, channel_settings.listen_mode),
         read_bots = coalesce($4::boolean, channel_settings.read_bots),
         read_images = coalesce($7::boolean, channel_settings.read_images),
         updated_by = EXCLUDED.updated_by,
         updated_at = EXCLUDED.updated_at
       RETURNING listen_mode, read_bots, read_images, updated_by, updated_at`,
      [
        checkedTeam(team),
        checkedChannel(channel),
        c.listenMode ?? null,
        c.readBots ?? null,
        checkedUser(by),
        this.now(),
        c.readImages ?? null,
      ],
    );
    const row = r.rows[0];
    if (!row) throw new Error('store: channel settings were not saved');
    return toSettings(row);
  }

  async addReminder(reminder: Reminder): Promise<void> {
    const r = checkedReminder(reminder);
    await this.pool.query(
      `INSERT INTO reminders (team_id, scheduled_id, user_id, channel_id, platform, post_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (team_id, scheduled_id) DO UPDATE SET post_at = excluded.post_at`,
      [r.team, r.id, r.user, r.channel, r.platform, r.postAt],
    );
  }

  async pendingReminders(team: string, user: string, now: number): Promise<Reminder[]> {
    const r = await this.pool.query<Reminder>(
      `SELECT scheduled_id AS id, team_id AS team, user_id AS "user", channel_id AS channel, platform,
         post_at::float8 AS "postAt"
       FROM reminders WHERE team_id = $1 AND user_id = $2 AND post_at > $3 ORDER BY post_at, scheduled_id LIMIT 20`,
      [checkedTeam(team), checkedUser(user), checkedSince(now)],
    );
    return r.rows;
  }

  async removeReminder(team: string, user: string, id: string): Promise<Reminder | null> {
    const r = await this.pool.query<Reminder>(
      `DELETE FROM reminders WHERE team_id = $1 AND user_id = $2 AND scheduled_id = $3
       RETURNING scheduled_id AS id, team_id AS team, user_id AS "user", channel_id AS channel, platform,
         post_at::float8 AS "postAt"`,
      [checkedTeam(team), checkedUser(user), checkedReminderId(id)],
    );
    return r.rows[0] ?? null;
  }

  async exportRows(since: number, options: ExportOptions = {}): Promise<ExportRow[]> {
    const team = options.team === undefined ? null : checkedTeam(options.team);
    const r = await this.pool.query<Parameters<typeof toExportRows>[0][number]>(
      `SELECT (d.created_at / 86400000)::int AS day, d.team_id AS team, d.channel_id AS channel, d.platform, d.cause,
         d.is_token_error AS t, count(*)::int AS n,
         coalesce(sum(v.fixed), 0)::int AS fixed, coalesce(sum(v.still), 0)::int AS still
       FROM diagnoses d
       LEFT JOIN (SELECT card_key, count(*) FILTER (WHERE vote = 'fixed') AS fixed,
                    count(*) FILTER (WHERE vote = 'still_broken') AS still
                  FROM votes GROUP BY card_key) v ON v.card_key = d.card_key
       WHERE d.created_at >= $1 AND ($2::text IS NULL OR d.team_id = $2)
       GROUP BY 1, 2, 3, 4, 5, 6`,
      [checkedSince(since), team],
    );
    return toExportRows(r.rows);
  }

  async stats(team: string, sinceDays: number, options: StatsOptions = {}): Promise<StoreStats> {
    const t = checkedTeam(team);
    const top = checkedTop(options.top);
    const w = statsWindow(this.now(), sinceDays);
    if (options.channel !== undefined)
      return this.channelStats(t, checkedChannel(options.channel), w.since, sinceDays, top);
    // Whole days from the rollups, the partial first day and today from the rows (see statsWindow);
    // three independent reads on three connections at once.
    const [groups, channels, cards] = await Promise.all([
      this.pool.query<{ t: boolean; platform: string | null; cause: string | null; n: number }>(
        `SELECT t, platform, cause, sum(n)::int AS n FROM (
           SELECT is_token_error AS t, nullif(platform, '') AS platform, nullif(cause, '') AS cause, n
           FROM daily_causes WHERE team_id = $1 AND day >= $3 AND day < $4
           UNION ALL
           SELECT is_token_error, platform, cause, 1 FROM diagnoses
           WHERE team_id = $1 AND created_at >= $2 AND created_at < $5
           UNION ALL
           SELECT is_token_error, platform, cause, 1 FROM diagnoses
           WHERE team_id = $1 AND created_at >= $6
         ) AS x GROUP BY t, platform, cause`,
        [t, w.since, w.fromDay, w.toDay, w.edgeEnd, w.edgeStart],
      ),
      this.pool.query<StatsRows['channels'][number]>(
        `SELECT channel, sum(n)::int AS count FROM (
           SELECT channel_id AS channel, n FROM daily_channels WHERE team_id = $1 AND day >= $3 AND day < $4
           UNION ALL
           SELECT channel_id, 1 FROM diagnoses
           WHERE team_id = $1 AND created_at >= $2 AND created_at < $5 AND is_token_error AND channel_id IS NOT NULL
           UNION ALL
           SELECT channel_id, 1 FROM diagnoses
           WHERE team_id = $1 AND created_at >= $6 AND is_token_error AND channel_id IS NOT NULL
         ) AS x GROUP BY channel ORDER BY count DESC, channel LIMIT $7`,
        [t, w.since, w.fromDay, w.toDay, w.edgeEnd, w.edgeStart, top],
      ),
      this.pool.query<StatsRows['cards'][number]>(
        `SELECT card_key AS "cardKey", min(channel_id) AS channel, min(platform) AS platform, min(cause) AS cause,
           min(card_at) AS at,
           count(*) FILTER (WHERE vote = 'fixed')::int AS fixed,
           count(*) FILTER (WHERE vote = 'still_broken')::int AS "stillBroken",
           max(voted_at) FILTER (WHERE vote = 'still_broken') AS "lastStillBrokenAt"
         FROM votes WHERE team_id = $1 AND card_at >= $2
         GROUP BY card_key`,
        [t, w.since],
      ),
    ]);
    return assembleStats(
      {
        groups: groups.rows.map((g) => ({
          tokenError: g.t,
          platform: g.platform,
          cause: g.cause,
          count: g.n,
        })),
        channels: channels.rows,
        cards: cards.rows,
      },
      sinceDays,
      w.since,
      top,
    );
  }

  /** One channel's figures (`/tokenfix stats`), from its rows. */
  private async channelStats(
    team: string,
    channel: string,
    since: number,
    sinceDays: number,
    top: number,
  ): Promise<StoreStats> {
    const [groups, cards] = await Promise.all([
      this.pool.query<{ t: boolean; platform: string | null; cause: string | null; n: number }>(
        `SELECT is_token_error AS t, platform, cause, count(*)::int AS n FROM diagnoses
         WHERE team_id = $1 AND created_at >= $2 AND channel_id = $3
         GROUP BY is_token_error, platform, cause`,
        [team, since, channel],
      ),
      this.pool.query<StatsRows['cards'][number]>(
        `SELECT card_key AS "cardKey", min(channel_id) AS channel, min(platform) AS platform, min(cause) AS cause,
           min(card_at) AS at,
           count(*) FILTER (WHERE vote = 'fixed')::int AS fixed,
           count(*) FILTER (WHERE vote = 'still_broken')::int AS "stillBroken",
           max(voted_at) FILTER (WHERE vote = 'still_broken') AS "lastStillBrokenAt"
         FROM votes WHERE team_id = $1 AND card_at >= $2 AND channel_id = $3
         GROUP BY card_key`,
        [team, since, channel],
      ),
    ]);
    const rows = groups.rows.map((g) => ({
      tokenError: g.t,
      platform: g.platform,
      cause: g.cause,
      count: g.n,
    }));
    const tokenErrors = rows.reduce((n, g) => n + (g.tokenError ? g.count : 0), 0);
    return assembleStats(
      { groups: rows, channels: tokenErrors > 0 ? [{ channel, count: tokenErrors }] : [], cards: cards.rows },
      sinceDays,
      since,
      top,
    );
  }

  async noteChannelKind(team: string, channel: string, isPrivate: boolean): Promise<void> {
    if (typeof isPrivate !== 'boolean') throw new StoreInputError('isPrivate');
    await this.pool.query(
      `INSERT INTO channel_kinds (team_id, channel_id, is_private, seen_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team_id, channel_id) DO UPDATE SET is_private = EXCLUDED.is_private, seen_at = EXCLUDED.seen_at`,
      [checkedTeam(team), checkedChannel(channel), isPrivate, this.now()],
    );
  }

  async channelKinds(team: string, channels: readonly string[]): Promise<Map<string, boolean>> {
    const list = checkedChannels(channels);
    const kinds = new Map<string, boolean>();
    if (list.length === 0) return kinds;
    const r = await this.pool.query<{ channel_id: string; is_private: boolean }>(
      'SELECT channel_id, is_private FROM channel_kinds WHERE team_id = $1 AND channel_id = ANY($2::text[])',
      [checkedTeam(team), list],
    );
    for (const row of r.rows) kinds.set(row.channel_id, row.is_private);
    return kinds;
  }

  async countRecent(
    team: string,
    platform: string,
    cause: string,
    windowMinutes: number,
  ): Promise<RecentCount> {
    const since = this.now() - checkedTtl(windowMinutes * 60_000, 'windowMinutes');
    const r = await this.pool.query<RecentCount>(
      `SELECT count(*) AS count, count(DISTINCT channel_id) AS channels, count(DISTINCT user_id) AS users
       FROM diagnoses
       WHERE team_id = $1 AND platform = $2 AND cause = $3 AND created_at >= $4 AND is_token_error`,
      [checkedTeam(team), checkedWord(platform, 'platform'), checkedWord(cause, 'cause'), since],
    );
    return r.rows[0] ?? { count: 0, channels: 0, users: 0 };
  }

  claimOutbreakAlert(team: string, platform: string, cause: string, windowMinutes: number): Promise<boolean> {
    return this.claim(
      outbreakKey(team, platform, cause),
      checkedTtl(windowMinutes * 60_000, 'windowMinutes'),
    );
  }

  async outbreakOpen(team: string, platform: string, cause: string): Promise<boolean> {
    const r = await this.pool.query('SELECT 1 FROM claims WHERE key = $1 AND expires_at > $2', [
      outbreakKey(team, platform, cause),
      this.now(),
    ]);
    return r.rowCount === 1;
  }

  async purgeExpired(now: number, retention: Retention = DEFAULT_RETENTION): Promise<PurgeResult> {
    const cutoff = now - checkedDays(retention.diagnosesDays) * DAY_MS;
    const day = dayOf(cutoff);
    return inTransaction(this.pool, async (query) => {
      const d = await query('DELETE FROM diagnoses WHERE created_at < $1', [cutoff]);
      // Rollups: days before the cutoff go; the cutoff's own day is counted again from what is left.
      await query('DELETE FROM daily_causes WHERE day <= $1', [day]);
      await query('DELETE FROM daily_channels WHERE day <= $1', [day]);
      await query(
        `INSERT INTO daily_causes (team_id, day, is_token_error, platform, cause, n)
         SELECT team_id, $1::int, is_token_error, coalesce(platform, ''), coalesce(cause, ''), count(*) FROM diagnoses
         WHERE created_at >= $2 AND created_at < $3
         GROUP BY team_id, is_token_error, coalesce(platform, ''), coalesce(cause, '')`,
        [day, day * DAY_MS, (day + 1) * DAY_MS],
      );
      await query(
        `INSERT INTO daily_channels (team_id, day, channel_id, n)
         SELECT team_id, $1::int, channel_id, count(*) FROM diagnoses
         WHERE created_at >= $2 AND created_at < $3 AND is_token_error AND channel_id IS NOT NULL
         GROUP BY team_id, channel_id`,
        [day, day * DAY_MS, (day + 1) * DAY_MS],
      );
      const v = await query('DELETE FROM votes WHERE voted_at < $1', [cutoff]);
      const c = await query('DELETE FROM claims WHERE expires_at <= $1', [now]);
      const caps = await query('DELETE FROM reply_caps WHERE expires_at <= $1', [now]);
      await query('DELETE FROM channel_kinds WHERE seen_at < $1', [cutoff]);
      // Sent a day ago or more: Slack has posted them, nothing is left to cancel.
      await query('DELETE FROM reminders WHERE post_at < $1', [now - DAY_MS]);
      return {
        diagnoses: d.rowCount ?? 0,
        votes: v.rowCount ?? 0,
        claims: c.rowCount ?? 0,
        replyCaps: caps.rowCount ?? 0,
      };
    });
  }

  async ping(timeoutMs = 1_000): Promise<boolean> {
    if (this.ended) return false;
    try {
      await withTimeout(this.pool.query('SELECT count(*) FROM schema_migrations'), timeoutMs, 'ping');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}
