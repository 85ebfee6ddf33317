/**
 * The bot's memory: the durable store (src/store) as the listeners use it. Every call is bounded and
 * never throws, so replies keep working while the store is down:
 * - claims ("answer once") go to the store, so every replica agrees; when it can't be reached they fall
 *   back to the in-process MemoryClaims (better a second answer than none). A reply's claims are held
 *   pending under a lease until it is posted, and the lease is renewed while the reply is being made;
 * - the passive reply cap's slots come from the store too (every replica counts against the same ones);
 *   when it can't answer, the caller counts in process (src/slack/reply-cap.ts);
 * - diagnoses, votes and settings are saved when they can be; callers are told when they were not;
 * - after a failure the store is left alone for a few seconds (no timeout paid on every message) and
 *   only /healthz's ping keeps asking.
 * What is written is ids, platform, cause, code, confidence, times and a keyed hash of the redacted
 * text: never the text (see src/store/store.ts).
 */
import { randomBytes } from 'node:crypto';
import type { HomeInsight } from '../cards/home';
import { redactSecrets } from '../diagnosis/redact';
import type { Diagnosis } from '../diagnosis/types';
import { errorFields, type Log } from '../log';
import { REVOKED_TEAMS_PER_CALL } from '../store/installations';
import {
  type AlertChoice,
  type CardVote,
  type ChannelSettings,
  type ChannelSettingsChange,
  type Claim,
  DEFAULT_REPLY_LEASE_MS,
  type EntryPoint,
  type ExportRow,
  MAX_HOLDERS_RENEWED,
  type RecentCount,
  type Reminder,
  type Store,
  StoreInputError,
  type StoreStats,
  type Vote,
  withTimeout,
} from '../store/store';
import { type Claims, type Hold, MemoryClaims, newHolder, settleOnce } from './dedupe';

/** Store calls on the reply path give up after this long. */
export const STORE_CALL_TIMEOUT_MS = 2_000;
/** After a store failure, calls go straight to the fallback for this long. */
export const STORE_BACKOFF_MS = 5_000;
/** Retention purge: this often (and once shortly after start), by one replica per period. */
export const PURGE_EVERY_MS = 60 * 60_000;
/** Passive listening applies a channel's settings as read at most this long ago (by this process). */
export const SETTINGS_MAX_AGE_MS = 10_000;
/**
 * A held claim is renewed for at most this long: a reply still not settled by then has lost its way (a
 * listener that never settles), and its lease is left to lapse.
 */
export const MAX_HOLD_MS = 10 * 60_000;
/** A channel's kind (public/private) is written again at most this often per process. */
const CHANNEL_KIND_REFRESH_MS = 24 * 60 * 60_000;
/**
 * Which org-wide install a workspace is served through is written again at most this often per
 * process: an org forgotten through another replica and installed again is recorded again within it.
 */
export const ENTERPRISE_REFRESH_MS = 60 * 60_000;

export interface MemorySettings {
  /** Knowledge `settings.readBotMessages`: the default for channels nobody has set `/tokenfix bots` in. */
  readBotMessages: boolean;
  outbreak: { minCount: number; minDistinct: number; windowMinutes: number };
  retentionDays: number;
}

/** How long /healthz reports a store call's failure when nothing succeeded since. */
export const FAILURE_MEMORY_MS = 5 * 60_000;

export interface MemoryOptions {
  store: Store | null;
  log: Log;
  settings: MemorySettings;
  timeoutMs?: number;
  backoffMs?: number;
  now?: () => number;
  /** How long a reply's pending claims are held without renewal (default DEFAULT_REPLY_LEASE_MS). */
  replyLeaseMs?: number;
  /** Metrics: every diagnosis made, kept or not. */
  onDiagnosis?: (e: DiagnosisEvent) => void;
}

/** A hold still being worked on: renewed until it is settled. */
interface LiveHold {
  since: number;
  /** The store holds some of its claims (else only the in-process fallback does). */
  durable: boolean;
}

/** A channel's settings as passive listening applies them, and whether they came from the store. */
export interface EffectiveSettings extends ChannelSettings {
  /** False when the store could not be read (the defaults apply). */
  known: boolean;
}

export interface DiagnosisEvent {
  team: string | undefined;
  channel: string | null;
  user: string | null;
  entryPoint: EntryPoint;
  diagnosis: Diagnosis;
  /** What was diagnosed: only its keyed hash (of the redacted text) is kept. */
  text: string;
  cardKey: string | null;
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

/** Card keys: one per diagnosed message, so every card about it (and every vote) meets in one row. */
export const cardKeys = {
  message: (channel: string, ts: string) => `${channel}:${ts}`,
  /** A pasted text (slash command) has no message: a fresh key. */
  pasted: () => `cmd:${randomBytes(9).toString('base64url')}`,
} as const;

export class Memory {
  readonly claims: Claims;
  readonly replyLeaseMs: number;
  private readonly fallback: MemoryClaims;
  private readonly live = new Map<string, LiveHold>();
  private renewTimer: NodeJS.Timeout | undefined;
  private renewing = false;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly now: () => number;
  private downUntil = 0;
  private down = false;
  /** The last store call that failed, until one succeeds: /healthz reports it (a full disk still reads). */
  private lastPingOk = true;
  private lastFailure: { call: string; error: string; at: number; pingFailedToo?: boolean } | null = null;
  private readonly kindsWritten = new Map<string, number>();
  /** Per workspace: the org-wide install it was last recorded under here, and when. */
  private readonly enterprisesNoted = new Map<string, { enterprise: string; at: number }>();
  private readonly settingsRead = new Map<string, { at: number; value: EffectiveSettings }>();
  private readonly alertChoiceRead = new Map<string, { at: number; value: AlertChoice | null }>();
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MemoryOptions) {
    this.timeoutMs = options.timeoutMs ?? STORE_CALL_TIMEOUT_MS;
    this.backoffMs = options.backoffMs ?? STORE_BACKOFF_MS;
    this.now = options.now ?? Date.now;
    this.replyLeaseMs = options.replyLeaseMs ?? DEFAULT_REPLY_LEASE_MS;
    this.fallback = new MemoryClaims(100_000, this.now, this.replyLeaseMs);
    this.claims = {
      claim: async (key, ttlMs) => (await this.claimInOrder([{ key, ttlMs }])) === 1,
      claimInOrder: (claims) => this.claimInOrder(claims),
      hold: (claims) => this.hold(claims),
    };
  }

  /** A store is configured (it may still be unreachable). */
  get durable(): boolean {
    return this.options.store !== null;
  }

  /** For /healthz: the store answers a real query quickly. True when there is no store to ask. */
  /**
   * The last store call's failure, when no call succeeded since and it is under FAILURE_MEMORY_MS old
   * (after that, an idle bot whose store came back would stay unhealthy with nothing to clear it).
   */
  lastStoreFailure(): string | null {
    const f = this.lastFailure;
    if (!f || this.now() - f.at > FAILURE_MEMORY_MS) return null;
    return `${f.call} failed (${f.error})`;
  }

  /** This process's /healthz rows: a new claim per check (a new row needs room, an update may not), expiring at once. */
  private readonly healthKey = `health:${process.pid}:${randomBytes(6).toString('hex')}`;
  private healthChecks = 0;

  /**
   * For /healthz: a real write with a short timeout. Reads and locks can still work on a full disk or a
   * read-only file; a write can't. True when there is no store to write to.
   */
  async writeProbe(timeoutMs = 1_000): Promise<boolean> {
    const store = this.options.store;
    if (!store) return true;
    try {
      await withTimeout(
        store.claim(`${this.healthKey}:${++this.healthChecks}`, 1),
        timeoutMs,
        'health write',
      );
      return true;
    } catch {
      return false;
    }
  }

  async ping(timeoutMs = 1_000): Promise<boolean> {
    const store = this.options.store;
    if (!store) return true;
    const ok = await store.ping(timeoutMs).catch(() => false);
    // A store that answers again is used again at once.
    if (ok) this.downUntil = 0;
    // An outage the ping saw too (unreachable) is over when the ping passes; a failure it can't see (a
    // full disk still reads) lasts until a real call succeeds.
    this.lastPingOk = ok;
    if (!ok && this.lastFailure) this.lastFailure.pingFailedToo = true;
    if (ok && this.lastFailure?.pingFailedToo) this.lastFailure = null;
    return ok;
  }

  /**
   * Durable first: a key any replica claimed is refused. The in-process claims are kept too, so keys
   * taken while the store was down still count once it is back.
   */
  private async claimInOrder(claims: readonly Claim[]): Promise<number> {
    const durable = await this.call('claim', (s) => s.claimInOrder(claims));
    return this.fallback.claimInOrder(durable.ok ? claims.slice(0, durable.value) : claims);
  }

  /**
   * A reply's claims, pending until settled: durable first (any replica's fresh or answered claim is
   * refused), then in-process as claimInOrder does. While unsettled, the lease is renewed.
   */
  private async hold(claims: readonly Claim[]): Promise<Hold> {
    const holder = newHolder();
    const lease = this.replyLeaseMs;
    const durable = await this.call('holdInOrder', (s) => s.holdInOrder(claims, holder, lease));
    const stored = durable.ok ? durable.value : 0;
    const won = this.fallback.holdInOrder(durable.ok ? claims.slice(0, stored) : claims, holder, lease);
    const mine = claims.slice(0, won);
    const keys = mine.map((c) => c.key);
    // Refused in-process (taken here while the store was down): what the store gave is given back.
    if (stored > won) {
      const extra = claims.slice(won, stored).map((c) => c.key);
      await this.call('releaseHeld', (s) => s.releaseHeld(holder, extra));
    }
    if (won === 0)
      return settleOnce(
        0,
        async () => {},
        async () => {},
      );
    const inStore = Math.min(stored, won) > 0;
    this.live.set(holder, { since: this.now(), durable: inStore });
    this.scheduleRenewal();
    return settleOnce(
      won,
      async () => {
        this.live.delete(holder);
        this.fallback.confirm(holder, mine);
        // Should this fail, the store's claim stays pending and lapses: a later redelivery to another
        // replica may then answer again (better twice than never); this replica still refuses it.
        if (inStore) await this.call('confirmHeld', (s) => s.confirmHeld(holder, mine));
      },
      async () => {
        this.live.delete(holder);
        this.fallback.release(holder, keys);
        if (inStore) await this.call('releaseHeld', (s) => s.releaseHeld(holder, keys));
      },
    );
  }

  /** Renews every live hold's lease every third of it, in one store call, while there are any. */
  private scheduleRenewal(): void {
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.replyLeaseMs / 3)));
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    if (this.renewing) return;
    if (this.live.size === 0) {
      clearInterval(this.renewTimer);
      this.renewTimer = undefined;
      return;
    }
    this.renewing = true;
    try {
      const now = this.now();
      const holders = new Set<string>();
      const durable: string[] = [];
      for (const [holder, h] of this.live) {
        if (now - h.since > MAX_HOLD_MS) {
          this.live.delete(holder);
          this.options.log.warn('a reply held its claims too long; letting their lease lapse', {
            heldMs: now - h.since,
          });
          continue;
        }
        holders.add(holder);
        if (h.durable) durable.push(holder);
      }
      this.fallback.renew(holders, this.replyLeaseMs);
      for (let i = 0; i < durable.length; i += MAX_HOLDERS_RENEWED) {
        const batch = durable.slice(i, i + MAX_HOLDERS_RENEWED);
        await this.call('renewHeld', (s) => s.renewHeld(batch, this.replyLeaseMs));
      }
    } finally {
      this.renewing = false;
    }
  }

  /** Replies still holding claims (tests, shutdown). */
  get heldReplies(): number {
    return this.live.size;
  }

  /**
   * A slot of the passive reply cap from the store (shared by every replica): true when taken, false
   * when the cap is reached; null when there is no store or it failed, so that the caller counts in
   * process instead (src/slack/reply-cap.ts). Bounded and backed off like every store call.
   */
  async takeCapSlot(key: string, limit: number, windowMs: number): Promise<boolean | null> {
    if (!this.options.store) return null;
    const r = await this.call('takeCapSlot', (s) => s.takeCapSlot(key, limit, windowMs));
    return r.ok ? r.value : null;
  }

  /** Keeps the diagnosis (never its text). False when it was not kept (already recorded, or no store). */
  async record(e: DiagnosisEvent): Promise<boolean> {
    this.options.onDiagnosis?.(e);
    if (!this.options.store || !e.team) return false;
    const d = e.diagnosis;
    const r = await this.call('recordDiagnosis', (s) =>
      s.recordDiagnosis({
        team: e.team as string,
        channel: e.channel,
        user: e.user,
        entryPoint: e.entryPoint,
        platform: d.platform,
        cause: d.cause,
        confidence: d.confidence,
        errorCode: d.errorCode,
        isTokenError: d.isTokenError,
        // Of the redacted text, trimmed: the same error pasted or posted again hashes the same.
        messageHash: s.hashMessage(redactSecrets(e.text).text.trim()),
        cardKey: e.cardKey,
      }),
    );
    return r.ok && r.value;
  }

  /** One vote per person per card; returns every vote on the card, or saved: false. */
  async vote(cardKey: string, user: string, vote: Vote): Promise<{ saved: boolean; votes: CardVote[] }> {
    const saved = await this.call('recordVote', (s) => s.recordVote(cardKey, user, vote));
    if (!saved.ok) return { saved: false, votes: [] };
    const votes = await this.call('cardVotes', (s) => s.cardVotes(cardKey));
    return { saved: true, votes: votes.ok ? votes.value : [] };
  }

  /**
   * The channel's settings; the defaults (listen `reply`, other apps per knowledge) when unset or
   * unreadable. `maxAgeMs` > 0 lets a value read (or saved) by this process within that
   * long stand in for a store round trip: passive listening reads them for every token error, and
   * a change made through another replica reaches this one within that bound.
   */
  async channelSettings(team: string | undefined, channel: string, maxAgeMs = 0): Promise<EffectiveSettings> {
    const cacheKey = `${team}:${channel}`;
    if (maxAgeMs > 0) {
      const hit = this.settingsRead.get(cacheKey);
      if (hit && this.now() - hit.at < maxAgeMs) return hit.value;
    }
    const value = await this.readChannelSettings(team, channel);
    if (value.known) this.rememberSettings(cacheKey, value);
    return value;
  }

  private rememberSettings(cacheKey: string, value: EffectiveSettings): void {
    if (this.settingsRead.size >= 10_000) this.settingsRead.clear();
    this.settingsRead.set(cacheKey, { at: this.now(), value });
  }

  private async readChannelSettings(team: string | undefined, channel: string): Promise<EffectiveSettings> {
    const defaults: EffectiveSettings = {
      listenMode: 'reply',
      readBots: this.options.settings.readBotMessages,
      readImages: true,
      updatedBy: null,
      updatedAt: null,
      known: false,
    };
    if (!team || !this.options.store) return defaults;
    const r = await this.call('getChannelSettings', (s) => s.getChannelSettings(team, channel));
    if (!r.ok) return defaults;
    // Never changed here: the knowledge default for other apps' messages applies.
    if (r.value.updatedBy === null) return { ...defaults, known: true };
    return { ...r.value, known: true };
  }

  /** Changes the channel's settings; null when they could not be saved. */
  async setChannelSettings(
    team: string,
    channel: string,
    change: ChannelSettingsChange,
    by: string,
  ): Promise<ChannelSettings | null> {
    const current = await this.channelSettings(team, channel);
    if (!current.known) return null;
    // A channel's first change keeps the knowledge default for the setting it does not name.
    const full: ChannelSettingsChange =
      current.updatedBy === null
        ? {
            listenMode: current.listenMode,
            readBots: current.readBots,
            readImages: current.readImages,
            ...change,
          }
        : change;
    const r = await this.call('setChannelSettings', (s) => s.setChannelSettings(team, channel, full, by));
    if (!r.ok) return null;
    this.rememberSettings(`${team}:${channel}`, { ...r.value, known: true });
    return r.value;
  }

  /**
   * Where the workspace's outbreak alerts go: its `/tokenfix alerts here|off` choice, else `fallback`
   * (ALERT_CHANNEL in single-workspace mode, null in OAuth mode); null: no alerts. While the store
   * can't be read, the last choice this process saw stands, else the fallback. `maxAgeMs` as for
   * channelSettings: every token error asks, so a recent read stands in for a round trip.
   */
  async alertChannel(
    team: string | undefined,
    fallback: string | null,
    maxAgeMs = 0,
  ): Promise<string | null> {
    const { choice } = await this.alertChoice(team, maxAgeMs);
    return choice ? choice.channel : fallback;
  }

  /** The workspace's own alert channel choice (null: none); `known` false when the store could not be read. */
  async alertChoice(
    team: string | undefined,
    maxAgeMs = 0,
  ): Promise<{ choice: AlertChoice | null; known: boolean }> {
    if (!team || !this.options.store) return { choice: null, known: false };
    const hit = this.alertChoiceRead.get(team);
    if (hit && maxAgeMs > 0 && this.now() - hit.at < maxAgeMs) return { choice: hit.value, known: true };
    const r = await this.call('getAlertChoice', (s) => s.getAlertChoice(team));
    if (!r.ok) return { choice: hit?.value ?? null, known: false };
    this.rememberAlertChoice(team, r.value);
    return { choice: r.value, known: true };
  }

  /** Saves the workspace's alert channel (null: off); null when it could not be saved. */
  async setAlertChannel(team: string, channel: string | null, by: string): Promise<AlertChoice | null> {
    const r = await this.call('setAlertChoice', (s) => s.setAlertChoice(team, channel, by));
    if (!r.ok) return null;
    this.rememberAlertChoice(team, r.value);
    return r.value;
  }

  private rememberAlertChoice(team: string, value: AlertChoice | null): void {
    if (this.alertChoiceRead.size >= 10_000) this.alertChoiceRead.clear();
    this.alertChoiceRead.set(team, { at: this.now(), value });
  }

  /** Remembers whether a channel is private (App Home names only public ones), once a day per channel. */
  async noteChannelKind(team: string | undefined, channel: string, isPrivate: boolean): Promise<void> {
    if (!team || !this.options.store) return;
    const id = `${team}:${channel}:${isPrivate ? 1 : 0}`;
    const last = this.kindsWritten.get(id);
    const now = this.now();
    if (last !== undefined && now - last < CHANNEL_KIND_REFRESH_MS) return;
    const r = await this.call('noteChannelKind', (s) => s.noteChannelKind(team, channel, isPrivate));
    if (!r.ok) return;
    if (this.kindsWritten.size >= 10_000) this.kindsWritten.clear();
    this.kindsWritten.set(id, now);
  }

  /**
   * Records that the workspace is served through the org-wide install of `enterprise`, so that the
   * org's uninstall forgets its rows too; at most once per ENTERPRISE_REFRESH_MS per workspace here.
   */
  async noteEnterprise(team: string | undefined, enterprise: string | undefined): Promise<void> {
    if (!team || !enterprise || !this.options.store) return;
    const last = this.enterprisesNoted.get(team);
    const now = this.now();
    if (last?.enterprise === enterprise && now - last.at < ENTERPRISE_REFRESH_MS) return;
    const r = await this.call('noteTeamEnterprise', (s) =>
      s.installations.noteTeamEnterprise(team, enterprise),
    );
    if (!r.ok) return;
    if (this.enterprisesNoted.size >= 10_000) this.enterprisesNoted.clear();
    this.enterprisesNoted.set(team, { enterprise, at: now });
  }

  /** App Home figures for 7 and 30 days; null when the store can't be read. */
  async homeInsight(team: string | undefined): Promise<HomeInsight | null> {
    if (!team || !this.options.store) return null;
    const r = await this.call('stats', async (s) => {
      const [week, month] = await Promise.all([s.stats(team, 7), s.stats(team, 30)]);
      const named = new Set<string>();
      for (const st of [week, month]) {
        for (const c of st.topChannels) named.add(c.channel);
        for (const u of st.unresolved) if (u.channel) named.add(u.channel);
      }
      const channelKinds = await s.channelKinds(team, [...named].slice(0, 100));
      return { week, month, channelKinds };
    });
    return r.ok ? r.value : null;
  }

  /** Keeps a scheduled reminder's id; false when it could not be kept (Slack still posts it). */
  async addReminder(reminder: Reminder): Promise<boolean> {
    return (await this.call('addReminder', (s) => s.addReminder(reminder))).ok;
  }

  /** The person's reminders to come; null when the store can't be read. */
  async pendingReminders(team: string | undefined, user: string): Promise<Reminder[] | null> {
    if (!team) return null;
    const r = await this.call('pendingReminders', (s) => s.pendingReminders(team, user, this.now()));
    return r.ok ? r.value : null;
  }

  /** Forgets one of the person's reminders: the reminder, null when it wasn't theirs, undefined when the store failed. */
  async removeReminder(
    team: string | undefined,
    user: string,
    id: string,
  ): Promise<Reminder | null | undefined> {
    if (!team) return undefined;
    const r = await this.call('removeReminder', (s) => s.removeReminder(team, user, id));
    return r.ok ? r.value : undefined;
  }

  /**
   * Deletes what the store keeps about one workspace (its app was uninstalled): diagnoses and rollups,
   * votes, channel and workspace settings, reminders. True when done (or there is no store). Unbounded,
   * as forgetRevokedTeams: a slow delete is waited for, and it is tried even during the back-off.
   */
  async forgetTeam(team: string | undefined): Promise<boolean> {
    if (!this.options.store) return true;
    if (!team) return false;
    const r = await this.call('forgetTeam', (s) => s.installations.forgetTeam(team), { unbounded: true });
    if (r.ok) this.dropTeamCaches([team]);
    return r.ok;
  }

  /**
   * forgetTeam for every workspace recorded under an org-wide install that was uninstalled (except one
   * with an install of its own), and the org's records. True when done (or there is no store).
   * Unbounded, as forgetTeam.
   */
  async forgetEnterprise(enterprise: string | undefined): Promise<boolean> {
    if (!this.options.store) return true;
    if (!enterprise) return false;
    const r = await this.call('forgetEnterprise', (s) => s.installations.forgetEnterprise(enterprise), {
      unbounded: true,
    });
    if (!r.ok) return false;
    this.settingsRead.clear();
    for (const team of r.value) this.alertChoiceRead.delete(team);
    this.dropEnterpriseNotes(enterprise);
    return true;
  }

  /**
   * `team_access_revoked`: forgets the workspaces the org-wide install of `enterprise` can no longer
   * reach, but one that another install still serves (its own, or another org's); their records under
   * the org go either way. What was forgotten and kept (nothing without a store); null when the store failed.
   * As app_uninstalled in OAuth mode, not bounded by the store-call timeout nor skipped during the
   * back-off: a slow delete (thousands of workspaces) must not be reported failed while it commits. The
   * workspaces go REVOKED_TEAMS_PER_CALL at a time, each call its own transaction (progress logged); on a
   * failure the calls done stay done and the rest are not tried.
   */
  async forgetRevokedTeams(
    enterprise: string | undefined,
    teams: readonly string[],
  ): Promise<{ forgotten: string[]; kept: string[] } | null> {
    if (!this.options.store) return { forgotten: [], kept: [] };
    const listed = [...new Set(teams)];
    const forgotten: string[] = [];
    const kept: string[] = [];
    for (let done = 0; done < listed.length; done += REVOKED_TEAMS_PER_CALL) {
      const chunk = listed.slice(done, done + REVOKED_TEAMS_PER_CALL);
      const r = await this.call(
        'forgetRevokedTeams',
        (s) => s.installations.forgetRevokedTeams(enterprise ?? null, chunk),
        { unbounded: true },
      );
      if (!r.ok) {
        if (done > 0)
          this.options.log.error('team_access_revoked: stopped part way', {
            done,
            of: listed.length,
          });
        return null;
      }
      // This replica's caches only: another replica may still skip recording a workspace under the
      // org for up to an hour (noteEnterprise's hourly cache) if the org is given access again.
      this.dropTeamCaches(chunk);
      forgotten.push(...r.value.forgotten);
      kept.push(...r.value.kept);
      if (listed.length > REVOKED_TEAMS_PER_CALL)
        this.options.log.info('team_access_revoked: workspaces done', {
          done: done + chunk.length,
          of: listed.length,
        });
    }
    return { forgotten, kept };
  }

  /**
   * Drops what this process cached about these workspaces (settings read, alert choice, the org it
   * recorded them under), after the store forgot them elsewhere (the installation store, OAuth mode).
   */
  dropTeamCaches(teams: readonly string[]): void {
    if (teams.length === 0) return;
    this.settingsRead.clear();
    for (const team of teams) {
      this.alertChoiceRead.delete(team);
      this.enterprisesNoted.delete(team);
    }
  }

  /**
   * Forgets that this process recorded the org's workspaces (noteEnterprise's hourly cache), so that after
   * the org is uninstalled (here or, in OAuth mode, by the installation store) and installed again they
   * are recorded at once, not up to an hour later.
   */
  dropEnterpriseNotes(enterprise: string | undefined): void {
    for (const [team, noted] of this.enterprisesNoted)
      if (noted.enterprise === enterprise) this.enterprisesNoted.delete(team);
  }

  /** Diagnoses per day × channel × platform × cause with votes, for the workspace's CSV; null when unreadable. */
  async exportRows(team: string | undefined, sinceDays: number): Promise<ExportRow[] | null> {
    if (!team) return null;
    const r = await this.call('exportRows', (s) =>
      s.exportRows(this.now() - sinceDays * 86_400_000, { team }),
    );
    return r.ok ? r.value : null;
  }

  /** Which of these channels are known to be public (true = private); null when the store can't be read. */
  async channelKinds(
    team: string | undefined,
    channels: readonly string[],
  ): Promise<Map<string, boolean> | null> {
    if (!team) return null;
    const r = await this.call('channelKinds', async (s) => {
      const kinds = new Map<string, boolean>();
      // The store reads at most 100 at a time.
      for (let i = 0; i < channels.length; i += 100) {
        for (const [c, k] of await s.channelKinds(team, channels.slice(i, i + 100))) kinds.set(c, k);
      }
      return kinds;
    });
    return r.ok ? r.value : null;
  }

  /** One channel's figures for 7 and 30 days (`/tokenfix stats`); null when the store can't be read. */
  async channelInsight(
    team: string,
    channel: string,
  ): Promise<{ week: StoreStats; month: StoreStats } | null> {
    if (!this.options.store) return null;
    const r = await this.call('stats', async (s) => {
      const [week, month] = await Promise.all([
        s.stats(team, 7, { channel, top: 5 }),
        s.stats(team, 30, { channel, top: 5 }),
      ]);
      return { week, month };
    });
    return r.ok ? r.value : null;
  }

  /**
   * After a token error was recorded: when its platform+cause crossed the outbreak thresholds and this
   * call won the once-per-window claim (across replicas), the counts to announce; else null.
   */
  async outbreakToAnnounce(
    team: string | undefined,
    platform: string | null,
    cause: string | null,
  ): Promise<RecentCount | null> {
    if (!team || !platform || !cause || !this.options.store) return null;
    const o = this.options.settings.outbreak;
    const recent = await this.call('countRecent', (s) =>
      s.countRecent(team, platform, cause, o.windowMinutes),
    );
    if (!recent.ok) return null;
    const { count, channels, users } = recent.value;
    if (count < o.minCount || Math.max(channels, users) < o.minDistinct) return null;
    const won = await this.call('claimOutbreakAlert', (s) =>
      s.claimOutbreakAlert(team, platform, cause, o.windowMinutes),
    );
    return won.ok && won.value ? recent.value : null;
  }

  /** Whether an outbreak alert for platform+cause is open (false when unknown). */
  async outbreakOpen(
    team: string | undefined,
    platform: string | null,
    cause: string | null,
  ): Promise<boolean> {
    if (!team || !platform || !cause || !this.options.store) return false;
    const r = await this.call('outbreakOpen', (s) => s.outbreakOpen(team, platform, cause));
    return r.ok && r.value;
  }

  /** Purges rows past retention now and then every PURGE_EVERY_MS (one replica per period). */
  startMaintenance(firstDelayMs = 30_000): void {
    if (!this.options.store || this.purgeTimer) return;
    const run = () => {
      this.purge().catch(() => undefined);
      this.purgeTimer = setTimeout(run, PURGE_EVERY_MS);
      this.purgeTimer.unref();
    };
    this.purgeTimer = setTimeout(run, firstDelayMs);
    this.purgeTimer.unref();
  }

  stopMaintenance(): void {
    clearTimeout(this.purgeTimer);
    this.purgeTimer = undefined;
  }

  /**
   * Stops renewing the leases of replies still unsettled (they lapse, and a redelivery answers them).
   * For the end of shutdown, once replies in flight were waited for.
   */
  stopRenewing(): void {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    this.live.clear();
  }

  /** One purge, if this replica wins this period's claim. */
  async purge(): Promise<boolean> {
    const period = Math.floor(this.now() / PURGE_EVERY_MS);
    const won = await this.call('claim', (s) => s.claim(`purge:${period}`, PURGE_EVERY_MS));
    if (!won.ok || !won.value) return false;
    const store = this.options.store as Store;
    try {
      const purged = await store.purgeExpired(this.now(), {
        diagnosesDays: this.options.settings.retentionDays,
      });
      this.options.log.info('store purged', {
        ...purged,
        retentionDays: this.options.settings.retentionDays,
      });
      return true;
    } catch (error) {
      this.options.log.warn('store purge failed', errorFields(error));
      return false;
    }
  }

  /**
   * Runs one store call within the timeout; a failure is logged and backs the store off briefly.
   * `unbounded`: no timeout and no back-off (tried even right after a failure): for a rare call that
   * must not be dropped nor reported failed while it still runs — the deletes of app_uninstalled with a
   * single bot token (forgetTeam, forgetEnterprise) and of team_access_revoked (forgetRevokedTeams).
   * Its every failure is logged as an error (the call and the error's code or name). It leaves the
   * back-off state alone: a slow or failed uninstall does not back off the replies nor make /healthz
   * unhealthy, and its success does not end a back-off other calls started.
   */
  private async call<T>(
    what: string,
    work: (store: Store) => Promise<T>,
    options: { unbounded?: boolean } = {},
  ): Promise<Outcome<T>> {
    const store = this.options.store;
    if (!store) return { ok: false };
    if (!options.unbounded && this.now() < this.downUntil) return { ok: false };
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = options.unbounded
        ? await work(store)
        : await Promise.race([
            work(store),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`store: ${what} timed out`)), this.timeoutMs);
            }),
          ]);
      if (options.unbounded) return { ok: true, value };
      if (this.down) {
        this.down = false;
        this.options.log.info('store available again');
      }
      this.lastFailure = null;
      return { ok: true, value };
    } catch (error) {
      if (error instanceof StoreInputError) {
        // A value the store refuses (never text): this call only; the store itself is fine.
        this.options.log.warn('store refused a value', { call: what, ...errorFields(error) });
        return { ok: false };
      }
      // The error's code or name only: a message could quote a value.
      const e = error as { code?: unknown; name?: unknown };
      const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'error';
      // A call that must not be dropped: every failure is logged, with the error's code or name only.
      if (options.unbounded) {
        this.options.log.error('store call failed', { call: what, error: code.slice(0, 40) });
        return { ok: false };
      }
      this.downUntil = this.now() + this.backoffMs;
      this.lastFailure = {
        call: what,
        error: code.slice(0, 40),
        at: this.now(),
        pingFailedToo: !this.lastPingOk,
      };
      if (!this.down) {
        this.down = true;
        this.options.log.warn('store unavailable; falling back', {
          call: what,
          backoffMs: this.backoffMs,
          ...errorFields(error),
        });
      }
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  }
}
