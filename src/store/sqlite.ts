/**
 * The embedded engine: one SQLite file through better-sqlite3, in WAL mode. Several processes may
 * open the same file (each waits up to busy_timeout for the write lock); better-sqlite3 is
 * synchronous, so within one process every call is atomic by construction.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteInstallations } from './installations-sqlite';
import { migrateSqlite } from './migrations';
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
} from './store';

interface SettingsRow {
  listen_mode: ListenMode;
  read_bots: number;
  read_images: number;
  updated_by: string;
  updated_at: number;
}

const toSettings = (r: SettingsRow): ChannelSettings => ({
  listenMode: r.listen_mode,
  readBots: r.read_bots === 1,
  readImages: r.read_images === 1,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

function statements(db: Database.Database) {
  return {
    claim: db.prepare(
      `INSERT INTO claims (key, expires_at) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, state = 'answered', holder = NULL
       WHERE claims.expires_at <= ?`,
    ),
    // A pending claim's expires_at is its lease: lapsed, it is free again like any expired claim.
    hold: db.prepare(
      `INSERT INTO claims (key, expires_at, state, holder) VALUES (?, ?, 'pending', ?)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, state = 'pending', holder = excluded.holder
       WHERE claims.expires_at <= ?`,
    ),
    confirm: db.prepare(
      `UPDATE claims SET state = 'answered', holder = NULL, expires_at = ?
       WHERE key = ? AND holder = ? AND state = 'pending'`,
    ),
    release: db.prepare("DELETE FROM claims WHERE key = ? AND holder = ? AND state = 'pending'"),
    renew: db.prepare(
      `UPDATE claims SET expires_at = ?
       WHERE holder IN (SELECT value FROM json_each(?)) AND state = 'pending'`,
    ),
    claimed: db.prepare('SELECT 1 FROM claims WHERE key = ? AND expires_at > ?').pluck(),
    diagnosis: db.prepare(
      `INSERT INTO diagnoses (created_at, team_id, channel_id, user_id, entry_point, platform, cause, confidence,
         error_code, is_token_error, message_hash, card_key)
       VALUES (@at, @team, @channel, @user, @entryPoint, @platform, @cause, @confidence, @errorCode, @isTokenError,
         @messageHash, @cardKey)
       ON CONFLICT DO NOTHING`,
    ),
    rollCause: db.prepare(
      `INSERT INTO daily_causes (team_id, day, is_token_error, platform, cause, n)
       VALUES (@team, @day, @isTokenError, coalesce(@platform, ''), coalesce(@cause, ''), 1)
       ON CONFLICT (team_id, day, is_token_error, platform, cause) DO UPDATE SET n = n + 1`,
    ),
    rollChannel: db.prepare(
      `INSERT INTO daily_channels (team_id, day, channel_id, n) VALUES (@team, @day, @channel, 1)
       ON CONFLICT (team_id, day, channel_id) DO UPDATE SET n = n + 1`,
    ),
    previousVote: db.prepare('SELECT vote FROM votes WHERE card_key = ? AND user_id = ?').pluck(),
    vote: db.prepare(
      `INSERT INTO votes (card_key, user_id, vote, voted_at, team_id, channel_id, platform, cause, card_at)
       SELECT @card, @user, @vote, @at, d.team_id, d.channel_id, d.platform, d.cause, d.created_at
       FROM (SELECT 1) LEFT JOIN diagnoses d ON d.card_key = @card
       WHERE true
       ON CONFLICT (card_key, user_id) DO UPDATE SET
         vote = excluded.vote,
         voted_at = excluded.voted_at,
         team_id = coalesce(excluded.team_id, team_id),
         channel_id = coalesce(excluded.channel_id, channel_id),
         platform = coalesce(excluded.platform, platform),
         cause = coalesce(excluded.cause, cause),
         card_at = coalesce(excluded.card_at, card_at)`,
    ),
    cardVotes: db.prepare(
      'SELECT user_id, vote, voted_at FROM votes WHERE card_key = ? ORDER BY voted_at, user_id',
    ),
    getSettings: db.prepare(
      'SELECT listen_mode, read_bots, read_images, updated_by, updated_at FROM channel_settings WHERE team_id = ? AND channel_id = ?',
    ),
    setSettings: db.prepare(
      `INSERT INTO channel_settings (team_id, channel_id, listen_mode, read_bots, read_images, updated_by, updated_at)
       VALUES (@team, @channel, coalesce(@listenMode, 'reply'), coalesce(@readBots, 0), coalesce(@readImages, 1), @by, @at)
       ON CONFLICT (team_id, channel_id) DO UPDATE SET
         listen_mode = coalesce(@listenMode, listen_mode),
         read_bots = coalesce(@readBots, read_bots),
         read_images = coalesce(@readImages, read_images),
         updated_by = @by,
         updated_at = @at
       RETURNING listen_mode, read_bots, read_images, updated_by, updated_at`,
    ),
    getAlertChoice: db.prepare(
      'SELECT alert_channel, updated_by, updated_at FROM workspace_settings WHERE team_id = ?',
    ),
    setAlertChoice: db.prepare(
      `INSERT INTO workspace_settings (team_id, alert_channel, updated_by, updated_at) VALUES (@team, @channel, @by, @at)
       ON CONFLICT (team_id) DO UPDATE SET
         alert_channel = excluded.alert_channel,
         updated_by = excluded.updated_by,
         updated_at = excluded.updated_at
       RETURNING alert_channel, updated_by, updated_at`,
    ),
    // Whole days from the rollups, the partial first day and today from the rows (see statsWindow).
    statsGroups: db.prepare(
      `SELECT t, platform, cause, sum(n) AS n FROM (
         SELECT is_token_error AS t, nullif(platform, '') AS platform, nullif(cause, '') AS cause, n
         FROM daily_causes WHERE team_id = @team AND day >= @fromDay AND day < @toDay
         UNION ALL
         SELECT is_token_error, platform, cause, 1 FROM diagnoses
         WHERE team_id = @team AND created_at >= @since AND created_at < @edgeEnd
         UNION ALL
         SELECT is_token_error, platform, cause, 1 FROM diagnoses
         WHERE team_id = @team AND created_at >= @edgeStart
       ) GROUP BY t, platform, cause`,
    ),
    statsChannels: db.prepare(
      `SELECT channel, sum(n) AS count FROM (
         SELECT channel_id AS channel, n FROM daily_channels WHERE team_id = @team AND day >= @fromDay AND day < @toDay
         UNION ALL
         SELECT channel_id, 1 FROM diagnoses
         WHERE team_id = @team AND created_at >= @since AND created_at < @edgeEnd AND is_token_error = 1
           AND channel_id IS NOT NULL
         UNION ALL
         SELECT channel_id, 1 FROM diagnoses
         WHERE team_id = @team AND created_at >= @edgeStart AND is_token_error = 1 AND channel_id IS NOT NULL
       ) GROUP BY channel ORDER BY count DESC, channel LIMIT @top`,
    ),
    statsCards: db.prepare(
      `SELECT card_key AS cardKey, channel_id AS channel, platform, cause, card_at AS at,
         sum(vote = 'fixed') AS fixed, sum(vote = 'still_broken') AS stillBroken,
         max(CASE WHEN vote = 'still_broken' THEN voted_at END) AS lastStillBrokenAt
       FROM votes WHERE team_id = @team AND card_at >= @since
       GROUP BY card_key`,
    ),
    // One channel (`/tokenfix stats`): its rows only.
    channelGroups: db.prepare(
      `SELECT is_token_error AS t, platform, cause, count(*) AS n FROM diagnoses
       WHERE team_id = @team AND created_at >= @since AND channel_id = @channel
       GROUP BY t, platform, cause`,
    ),
    channelCount: db.prepare(
      `SELECT channel_id AS channel, count(*) AS count FROM diagnoses
       WHERE team_id = @team AND created_at >= @since AND channel_id = @channel AND is_token_error = 1
       GROUP BY channel_id`,
    ),
    addReminder: db.prepare(
      `INSERT INTO reminders (team_id, scheduled_id, user_id, channel_id, platform, post_at)
       VALUES (@team, @id, @user, @channel, @platform, @postAt)
       ON CONFLICT (team_id, scheduled_id) DO UPDATE SET post_at = excluded.post_at`,
    ),
    pendingReminders: db.prepare(
      `SELECT scheduled_id AS id, team_id AS team, user_id AS user, channel_id AS channel, platform, post_at AS postAt
       FROM reminders WHERE team_id = ? AND user_id = ? AND post_at > ? ORDER BY post_at, scheduled_id LIMIT 20`,
    ),
    removeReminder: db.prepare(
      `DELETE FROM reminders WHERE team_id = ? AND user_id = ? AND scheduled_id = ?
       RETURNING scheduled_id AS id, team_id AS team, user_id AS user, channel_id AS channel, platform, post_at AS postAt`,
    ),
    // Sent a day ago or more: Slack has posted them, nothing is left to cancel.
    purgeReminders: db.prepare('DELETE FROM reminders WHERE post_at < ?'),
    exportRows: db.prepare(
      `SELECT d.created_at / 86400000 AS day, d.team_id AS team, d.channel_id AS channel, d.platform, d.cause,
         d.is_token_error AS t, count(*) AS n, coalesce(sum(v.fixed), 0) AS fixed, coalesce(sum(v.still), 0) AS still
       FROM diagnoses d
       LEFT JOIN (SELECT card_key, sum(vote = 'fixed') AS fixed, sum(vote = 'still_broken') AS still
                  FROM votes GROUP BY card_key) v ON v.card_key = d.card_key
       WHERE d.created_at >= @since AND (@team IS NULL OR d.team_id = @team)
       GROUP BY 1, 2, 3, 4, 5, 6`,
    ),
    channelCards: db.prepare(
      `SELECT card_key AS cardKey, channel_id AS channel, platform, cause, card_at AS at,
         sum(vote = 'fixed') AS fixed, sum(vote = 'still_broken') AS stillBroken,
         max(CASE WHEN vote = 'still_broken' THEN voted_at END) AS lastStillBrokenAt
       FROM votes WHERE team_id = @team AND card_at >= @since AND channel_id = @channel
       GROUP BY card_key`,
    ),
    noteChannel: db.prepare(
      `INSERT INTO channel_kinds (team_id, channel_id, is_private, seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (team_id, channel_id) DO UPDATE SET is_private = excluded.is_private, seen_at = excluded.seen_at`,
    ),
    channelKinds: db.prepare(
      `SELECT channel_id, is_private FROM channel_kinds
       WHERE team_id = ? AND channel_id IN (SELECT value FROM json_each(?))`,
    ),
    purgeChannelKinds: db.prepare('DELETE FROM channel_kinds WHERE seen_at < ?'),
    recent: db.prepare(
      `SELECT count(*) AS count, count(DISTINCT channel_id) AS channels, count(DISTINCT user_id) AS users
       FROM diagnoses
       WHERE team_id = ? AND platform = ? AND cause = ? AND created_at >= ? AND is_token_error = 1`,
    ),
    purgeDiagnoses: db.prepare('DELETE FROM diagnoses WHERE created_at < ?'),
    // Rollups: days before the cutoff go; the cutoff's own day is counted again from what is left.
    purgeCauses: db.prepare('DELETE FROM daily_causes WHERE day <= ?'),
    purgeChannels: db.prepare('DELETE FROM daily_channels WHERE day <= ?'),
    recountCauses: db.prepare(
      `INSERT INTO daily_causes (team_id, day, is_token_error, platform, cause, n)
       SELECT team_id, @day, is_token_error, coalesce(platform, ''), coalesce(cause, ''), count(*) FROM diagnoses
       WHERE created_at >= @from AND created_at < @to
       GROUP BY team_id, is_token_error, coalesce(platform, ''), coalesce(cause, '')`,
    ),
    recountChannels: db.prepare(
      `INSERT INTO daily_channels (team_id, day, channel_id, n)
       SELECT team_id, @day, channel_id, count(*) FROM diagnoses
       WHERE created_at >= @from AND created_at < @to AND is_token_error = 1 AND channel_id IS NOT NULL
       GROUP BY team_id, channel_id`,
    ),
    purgeVotes: db.prepare('DELETE FROM votes WHERE voted_at < ?'),
    purgeClaims: db.prepare('DELETE FROM claims WHERE expires_at <= ?'),
    capGet: db.prepare('SELECT times FROM reply_caps WHERE key = ?').pluck(),
    capSet: db.prepare(
      `INSERT INTO reply_caps (key, times, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET times = excluded.times,
         expires_at = max(reply_caps.expires_at, excluded.expires_at)`,
    ),
    purgeCaps: db.prepare('DELETE FROM reply_caps WHERE expires_at <= ?'),
    ping: db.prepare('SELECT count(*) FROM schema_migrations').pluck(),
  };
}

const isBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown }).code === 'string' &&
  /^SQLITE_(BUSY|LOCKED)/.test((error as { code: string }).code);

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Once open: how long a statement waits for a lock held by another process (see openSqliteStore). */
export const RUNTIME_BUSY_TIMEOUT_MS = 100;

/** Opens (creating the folder and file when missing) and migrates a SQLite store. `file` may be ':memory:'. */
export function openSqliteStore(file: string, options: StoreOptions = {}): SqliteStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  // Processes starting at once on a new file wait for each other through busy_timeout; the few paths
  // where SQLite answers "busy" without waiting (switching to WAL, WAL recovery) are tried again.
  for (let attempt = 1; ; attempt++) {
    const db = new Database(file, { timeout: 10_000 });
    try {
      db.pragma('busy_timeout = 10000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Purged rows are overwritten, not left readable in free pages.
      db.pragma('secure_delete = ON');
      migrateSqlite(db);
      // Running: better-sqlite3 is synchronous, so waiting for a lock another process holds (a backup,
      // a CLI) freezes the whole bot — acks included. Wait briefly, then fail: the bot falls back to
      // in-process claims and /healthz says 503 until the lock is gone.
      db.pragma(`busy_timeout = ${RUNTIME_BUSY_TIMEOUT_MS}`);
      return new SqliteStore(db, options);
    } catch (error) {
      db.close();
      if (!isBusy(error) || attempt >= 20) throw error;
      sleep(25 * attempt);
    }
  }
}

function identityOf(file: string): string | null {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly installations: SqliteInstallations;
  readonly hashMessage: (text: string) => string;
  private readonly now: () => number;
  private readonly q: ReturnType<typeof statements>;
  private pendingRecords: Array<{
    values: Record<string, unknown>;
    rollChannel: boolean;
    resolve: (inserted: boolean) => void;
    reject: (error: unknown) => void;
  }> = [];

  constructor(
    private readonly db: Database.Database,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const secret = db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(MESSAGE_HASH_KEY);
    this.hashMessage = messageHasher(typeof secret === 'string' ? secret : '');
    this.q = statements(db);
    this.installations = new SqliteInstallations(db, this.now);
    this.fileIdentity = db.memory ? null : identityOf(db.name);
  }

  /** The db file's device and inode when opened: a file deleted or replaced under us is not our store. */
  private readonly fileIdentity: string | null;

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.claimInOrder([{ key, ttlMs }])) === 1;
  }

  async claimInOrder(claims: readonly Claim[]): Promise<number> {
    const checked = checkedClaims(claims);
    const now = this.now();
    return this.db.transaction(() => {
      let won = 0;
      for (const c of checked) {
        if (this.q.claim.run(c.key, now + c.ttlMs, now).changes !== 1) break;
        won++;
      }
      return won;
    })();
  }

  async holdInOrder(claims: readonly Claim[], holder: string, leaseMs: number): Promise<number> {
    const checked = checkedClaims(claims);
    const who = checkedHolder(holder);
    const now = this.now();
    const until = now + checkedTtl(leaseMs, 'leaseMs');
    return this.db.transaction(() => {
      let won = 0;
      for (const c of checked) {
        if (this.q.hold.run(c.key, until, who, now).changes !== 1) break;
        won++;
      }
      return won;
    })();
  }

  async confirmHeld(holder: string, claims: readonly Claim[]): Promise<number> {
    const checked = checkedClaims(claims);
    const who = checkedHolder(holder);
    const now = this.now();
    return this.db.transaction(() =>
      checked.reduce((n, c) => n + this.q.confirm.run(now + c.ttlMs, c.key, who).changes, 0),
    )();
  }

  async releaseHeld(holder: string, keys: readonly string[]): Promise<number> {
    const checked = checkedKeys(keys);
    const who = checkedHolder(holder);
    return this.db.transaction(() =>
      checked.reduce((n, key) => n + this.q.release.run(key, who).changes, 0),
    )();
  }

  async renewHeld(holders: readonly string[], leaseMs: number): Promise<number> {
    const list = checkedHolders(holders);
    const until = this.now() + checkedTtl(leaseMs, 'leaseMs');
    if (list.length === 0) return 0;
    return this.q.renew.run(until, JSON.stringify(list)).changes;
  }

  /**
   * Read, decide and write in one IMMEDIATE transaction: it takes the write lock before reading, so
   * another process on the same file waits (busy_timeout) instead of deciding on the same count.
   */
  async takeCapSlot(key: string, limit: number, windowMs: number): Promise<boolean> {
    const k = checkedKey(key);
    const n = checkedCapLimit(limit);
    const w = checkedTtl(windowMs, 'windowMs');
    const now = this.now();
    return this.db
      .transaction(() => {
        const stored = this.q.capGet.get(k) as string | undefined;
        const times = stored === undefined ? [] : (JSON.parse(stored) as unknown[]);
        const recent = times.filter((t): t is number => typeof t === 'number' && t > now - w);
        if (recent.length >= n) return false;
        recent.push(now);
        this.q.capSet.run(k, JSON.stringify(recent), now + w);
        return true;
      })
      .immediate();
  }

  /**
   * Group commit: the diagnoses recorded in one event-loop turn share one transaction, written just
   * after the turn (setImmediate). A commit costs far more than a row (every touched page goes to the
   * WAL), and better-sqlite3 runs it on the event loop, so under a burst one commit per turn instead
   * of one per row is what keeps acks quick. Each caller still learns when its row is committed.
   */
  async recordDiagnosis(row: DiagnosisRecord): Promise<boolean> {
    const c = checkedDiagnosis(row, this.now());
    const values = { ...c, isTokenError: c.isTokenError ? 1 : 0, day: dayOf(c.at) };
    return new Promise<boolean>((resolve, reject) => {
      this.pendingRecords.push({
        values,
        rollChannel: c.isTokenError && c.channel !== null,
        resolve,
        reject,
      });
      if (this.pendingRecords.length === 1) setImmediate(() => this.flushRecords());
    });
  }

  private flushRecords(): void {
    const batch = this.pendingRecords;
    if (batch.length === 0) return;
    this.pendingRecords = [];
    let results: boolean[];
    try {
      results = this.db.transaction(() =>
        batch.map((r) => {
          if (this.q.diagnosis.run(r.values).changes !== 1) return false;
          this.q.rollCause.run(r.values);
          if (r.rollChannel) this.q.rollChannel.run(r.values);
          return true;
        }),
      )();
    } catch (error) {
      for (const r of batch) r.reject(error);
      return;
    }
    batch.forEach((r, i) => {
      r.resolve(results[i] === true);
    });
  }

  async recordVote(cardKey: string, user: string, vote: Vote): Promise<VoteResult> {
    const key = checkedKey(cardKey, 'cardKey');
    const who = checkedUser(user);
    const v = checkedVote(vote);
    const at = this.now();
    const previous = this.db.transaction(() => {
      const before = this.q.previousVote.get(key, who) as Vote | undefined;
      this.q.vote.run({ card: key, user: who, vote: v, at });
      return before ?? null;
    })();
    return { previous, vote: v };
  }

  async cardVotes(cardKey: string): Promise<CardVote[]> {
    const rows = this.q.cardVotes.all(checkedKey(cardKey, 'cardKey')) as {
      user_id: string;
      vote: Vote;
      voted_at: number;
    }[];
    return rows.map((r) => ({ user: r.user_id, vote: r.vote, at: r.voted_at }));
  }

  async getChannelSettings(team: string, channel: string): Promise<ChannelSettings> {
    const row = this.q.getSettings.get(checkedTeam(team), checkedChannel(channel)) as SettingsRow | undefined;
    return row ? toSettings(row) : { ...DEFAULT_CHANNEL_SETTINGS };
  }

  async setChannelSettings(
    team: string,
    channel: string,
    change: ChannelSettingsChange,
    by: string,
  ): Promise<ChannelSettings> {
    const c = checkedChange(change);
    const row = this.q.setSettings.get({
      team: checkedTeam(team),
      channel: checkedChannel(channel),
      listenMode: c.listenMode ?? null,
      readBots: c.readBots === undefined ? null : c.readBots ? 1 : 0,
      readImages: c.readImages === undefined ? null : c.readImages ? 1 : 0,
      by: checkedUser(by),
      at: this.now(),
    }) as SettingsRow;
    return toSettings(row);
  }

  async getAlertChoice(team: string): Promise<AlertChoice | null> {
    const row = this.q.getAlertChoice.get(checkedTeam(team)) as AlertChoiceRow | undefined;
    return row ? toAlertChoice(row) : null;
  }

  async setAlertChoice(team: string, channel: string | null, by: string): Promise<AlertChoice> {
    const row = this.q.setAlertChoice.get({
      team: checkedTeam(team),
      channel: channel === null ? null : checkedChannel(channel),
      by: checkedUser(by),
      at: this.now(),
    }) as AlertChoiceRow;
    return toAlertChoice(row);
  }

  async stats(team: string, sinceDays: number, options: StatsOptions = {}): Promise<StoreStats> {
    const top = checkedTop(options.top);
    const w = statsWindow(this.now(), sinceDays);
    if (options.channel !== undefined) {
      const p = { team: checkedTeam(team), channel: checkedChannel(options.channel), since: w.since };
      const one = this.db.transaction(() => ({
        groups: (
          this.q.channelGroups.all(p) as {
            t: number;
            platform: string | null;
            cause: string | null;
            n: number;
          }[]
        ).map((g) => ({ tokenError: g.t === 1, platform: g.platform, cause: g.cause, count: g.n })),
        channels: this.q.channelCount.all(p) as StatsRows['channels'],
        cards: this.q.channelCards.all(p) as StatsRows['cards'],
      }));
      return assembleStats(one(), sinceDays, w.since, top);
    }
    const params = { team: checkedTeam(team), ...w };
    const read = this.db.transaction(() => ({
      groups: (
        this.q.statsGroups.all(params) as {
          t: number;
          platform: string | null;
          cause: string | null;
          n: number;
        }[]
      ).map((g) => ({ tokenError: g.t === 1, platform: g.platform, cause: g.cause, count: g.n })),
      channels: this.q.statsChannels.all({ ...params, top }) as StatsRows['channels'],
      cards: this.q.statsCards.all({ team: params.team, since: w.since }) as StatsRows['cards'],
    }));
    return assembleStats(read(), sinceDays, w.since, top);
  }

  async addReminder(reminder: Reminder): Promise<void> {
    this.q.addReminder.run(checkedReminder(reminder));
  }

  async pendingReminders(team: string, user: string, now: number): Promise<Reminder[]> {
    return this.q.pendingReminders.all(checkedTeam(team), checkedUser(user), checkedSince(now)) as Reminder[];
  }

  async removeReminder(team: string, user: string, id: string): Promise<Reminder | null> {
    const row = this.q.removeReminder.get(checkedTeam(team), checkedUser(user), checkedReminderId(id));
    return (row as Reminder | undefined) ?? null;
  }

  async exportRows(since: number, options: ExportOptions = {}): Promise<ExportRow[]> {
    const team = options.team === undefined ? null : checkedTeam(options.team);
    return toExportRows(
      this.q.exportRows.all({ since: checkedSince(since), team }) as Parameters<typeof toExportRows>[0],
    );
  }

  async noteChannelKind(team: string, channel: string, isPrivate: boolean): Promise<void> {
    if (typeof isPrivate !== 'boolean') throw new StoreInputError('isPrivate');
    this.q.noteChannel.run(checkedTeam(team), checkedChannel(channel), isPrivate ? 1 : 0, this.now());
  }

  async channelKinds(team: string, channels: readonly string[]): Promise<Map<string, boolean>> {
    const list = checkedChannels(channels);
    const kinds = new Map<string, boolean>();
    if (list.length === 0) return kinds;
    const rows = this.q.channelKinds.all(checkedTeam(team), JSON.stringify(list)) as {
      channel_id: string;
      is_private: number;
    }[];
    for (const r of rows) kinds.set(r.channel_id, r.is_private === 1);
    return kinds;
  }

  async countRecent(
    team: string,
    platform: string,
    cause: string,
    windowMinutes: number,
  ): Promise<RecentCount> {
    const since = this.now() - checkedTtl(windowMinutes * 60_000, 'windowMinutes');
    return this.q.recent.get(
      checkedTeam(team),
      checkedWord(platform, 'platform'),
      checkedWord(cause, 'cause'),
      since,
    ) as RecentCount;
  }

  claimOutbreakAlert(team: string, platform: string, cause: string, windowMinutes: number): Promise<boolean> {
    return this.claim(
      outbreakKey(team, platform, cause),
      checkedTtl(windowMinutes * 60_000, 'windowMinutes'),
    );
  }

  async outbreakOpen(team: string, platform: string, cause: string): Promise<boolean> {
    return this.q.claimed.get(outbreakKey(team, platform, cause), this.now()) !== undefined;
  }

  async purgeExpired(now: number, retention: Retention = DEFAULT_RETENTION): Promise<PurgeResult> {
    const cutoff = now - checkedDays(retention.diagnosesDays) * DAY_MS;
    const day = dayOf(cutoff);
    const recount = { day, from: day * DAY_MS, to: (day + 1) * DAY_MS };
    return this.db.transaction(() => {
      const diagnoses = this.q.purgeDiagnoses.run(cutoff).changes;
      this.q.purgeCauses.run(day);
      this.q.purgeChannels.run(day);
      this.q.recountCauses.run(recount);
      this.q.recountChannels.run(recount);
      this.q.purgeChannelKinds.run(cutoff);
      this.q.purgeReminders.run(now - DAY_MS);
      return {
        diagnoses,
        votes: this.q.purgeVotes.run(cutoff).changes,
        claims: this.q.purgeClaims.run(now).changes,
        replyCaps: this.q.purgeCaps.run(now).changes,
      };
    })();
  }

  /** Readable, and writable: the write lock is taken for an instant (without waiting) and let go. */
  async ping(): Promise<boolean> {
    try {
      // An open connection keeps reading and writing a deleted file: everything written is then lost.
      if (this.fileIdentity !== null && identityOf(this.db.name) !== this.fileIdentity) return false;
      this.q.ping.get();
      if (this.db.inTransaction) return true;
      this.db.pragma('busy_timeout = 0');
      try {
        this.db.exec('BEGIN IMMEDIATE');
        this.db.exec('ROLLBACK');
      } finally {
        this.db.pragma(`busy_timeout = ${RUNTIME_BUSY_TIMEOUT_MS}`);
      }
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // Rows still waiting for their turn's transaction are written first.
    if (this.db.open) this.flushRecords();
    if (this.db.open) this.db.close();
  }
}
