/**
 * The Store: tokenfix's memory, shared by every replica. Two engines implement it (sqlite.ts,
 * postgres.ts); index.ts picks one from DATABASE_URL.
 *
 * What it may hold (../shared/DESIGN.md): Slack ids (team, channel, user), platform, cause, error
 * code, confidence, times, votes, settings, claim keys, reply-cap keys (`team:channel`) with their slot
 * times — and a keyed hash of the message. Never text.
 * Every value is checked at this boundary (see `checked*` below) so that free text cannot slip into a
 * column by mistake: SQLite keeps deleted rows readable in its files, so text must never be written
 * at all, not written and purged later.
 */
import { createHmac } from 'node:crypto';
import type { InstallationRows } from './installations';

export type Engine = 'sqlite' | 'postgres';

/** How a diagnosis was asked for. */
export const ENTRY_POINTS = [
  'passive', // passive listening in a channel
  'mention', // @tokenfix in a message
  'command', // /tokenfix
  'shortcut', // the "diagnose_message" message shortcut
  'reaction', // the :key: emoji
  'dm', // a direct message to the bot
  'workflow', // the custom workflow step
  'home', // App Home
] as const;
export type EntryPoint = (typeof ENTRY_POINTS)[number];

export const VOTES = ['fixed', 'still_broken'] as const;
export type Vote = (typeof VOTES)[number];

export const LISTEN_MODES = ['reply', 'react', 'off'] as const;
export type ListenMode = (typeof LISTEN_MODES)[number];

/** One diagnosis as the store keeps it. No text: `messageHash` comes from `store.hashMessage(text)`. */
export interface DiagnosisRecord {
  /** When it was diagnosed, ms since the epoch (default: the store's clock). */
  at?: number;
  team: string;
  channel: string | null;
  user: string | null;
  entryPoint: EntryPoint;
  platform: string | null;
  cause: string | null;
  confidence: number;
  /** The platform's own code ("190/460", "AADSTS700082"); anything that does not look like a code is stored as null. */
  errorCode: string | null;
  isTokenError: boolean;
  /** `store.hashMessage(text)`: 64 lower-case hex digits. */
  messageHash: string;
  /** The id the card's feedback buttons carry, unique per card; votes are joined to the diagnosis by it. */
  cardKey?: string | null;
}

export interface VoteResult {
  /** The person's vote on this card before this click, null for their first. */
  previous: Vote | null;
  vote: Vote;
}

export interface CardVote {
  user: string;
  vote: Vote;
  at: number;
}

export interface ChannelSettings {
  listenMode: ListenMode;
  readBots: boolean;
  /** Passive listening reads screenshots (shared images) with OCR too. */
  readImages: boolean;
  /** Who last changed them (Slack user id) and when; null while the defaults apply. */
  updatedBy: string | null;
  updatedAt: number | null;
}

export interface ChannelSettingsChange {
  listenMode?: ListenMode;
  readBots?: boolean;
  readImages?: boolean;
}

/** A channel the bot was invited to answers in full; other apps' messages are not read until `/tokenfix bots on`. */
export const DEFAULT_CHANNEL_SETTINGS: Readonly<ChannelSettings> = Object.freeze({
  listenMode: 'reply',
  readBots: false,
  readImages: true,
  updatedBy: null,
  updatedAt: null,
});

/** A workspace's choice of where outbreak alerts go (`/tokenfix alerts here|off`). */
export interface AlertChoice {
  /** The channel alerts are posted in; null: alerts off, whatever ALERT_CHANNEL says. */
  channel: string | null;
  updatedBy: string;
  updatedAt: number;
}

export interface CauseFixRate {
  cause: string;
  /** Cards of this cause with at least one vote. */
  cards: number;
  /** …of which at least one person said "Fixed". */
  fixed: number;
  /** …of which people only said "Still broken". */
  stillBroken: number;
  /** fixed / cards (0 when no cards). */
  rate: number;
}

export interface UnresolvedCard {
  cardKey: string;
  channel: string | null;
  platform: string | null;
  cause: string | null;
  /** When the diagnosis was made. */
  at: number;
  /** The latest "Still broken" click. */
  lastVoteAt: number;
  /** How many people said "Still broken". */
  votes: number;
}

/** The App Home figures for one workspace over the last `sinceDays` days. */
export interface StoreStats {
  sinceDays: number;
  /** Start of the window, ms since the epoch. */
  since: number;
  /** Every recorded diagnosis, token error or not. */
  diagnoses: number;
  tokenErrors: number;
  /** Token errors by platform, most first (platform null = could not be told). */
  byPlatform: { platform: string | null; count: number }[];
  /** Token errors by cause, most first, top `top` (default 10). */
  byCause: { cause: string; count: number }[];
  /** Feedback per cause, most voted first. A card counts as fixed when anyone said so. */
  fixRate: CauseFixRate[];
  /** Channels with the most token errors, most first, top `top`. */
  topChannels: { channel: string; count: number }[];
  /** Cards marked "Still broken" and by nobody "Fixed", latest first, at most `top` * 2. */
  unresolved: UnresolvedCard[];
}

export interface StatsOptions {
  /** Length of the top lists (default 10). */
  top?: number;
  /** Only this channel's diagnoses and votes (`/tokenfix stats`); read from the rows, not the rollups. */
  channel?: string;
}

/** "Remind me before it expires": a message Slack holds until `postAt`. Ids and a time, never text. */
export interface Reminder {
  /** Slack's scheduled_message_id. */
  id: string;
  team: string;
  user: string;
  /** Where Slack will post it (the card's channel, or the person's DM). */
  channel: string;
  platform: string;
  /** When Slack posts it, ms since the epoch. */
  postAt: number;
}

/** Slack's scheduled message ids ("Q1298393284"). */
export function checkedReminderId(id: string): string {
  return check(/^[A-Za-z0-9]{4,64}$/, id, 'reminder id');
}

export function checkedReminder(r: Reminder): Reminder {
  return {
    id: checkedReminderId(r.id),
    team: checkedTeam(r.team),
    user: checkedUser(r.user),
    channel: checkedChannel(r.channel),
    platform: checkedWord(r.platform, 'platform'),
    postAt: checkedSince(r.postAt),
  };
}

export interface ExportOptions {
  /** Only this workspace (App Home's export); all of them when absent (the CLI). */
  team?: string;
}

/** One line of `tokenfix stats --format csv|json`. */
export interface ExportRow {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  team: string;
  channel: string | null;
  platform: string | null;
  cause: string | null;
  tokenError: boolean;
  diagnoses: number;
  /** "Fixed it" and "Still broken" clicks on these diagnoses' cards. */
  fixedVotes: number;
  stillBrokenVotes: number;
}

/** The engines' grouped rows (day as UTC days since the epoch) → export rows. */
export function toExportRows(
  rows: readonly {
    day: number;
    team: string;
    channel: string | null;
    platform: string | null;
    cause: string | null;
    t: number | boolean;
    n: number;
    fixed: number;
    still: number;
  }[],
): ExportRow[] {
  const key = (r: ExportRow) =>
    [r.day, r.team, r.channel ?? '', r.platform ?? '', r.cause ?? '', r.tokenError ? '1' : '0'].join(
      '\u0000',
    );
  // Sorted here: the engines order NULLs differently.
  return rows
    .map((r) => ({
      day: new Date(Number(r.day) * 86_400_000).toISOString().slice(0, 10),
      team: r.team,
      channel: r.channel,
      platform: r.platform,
      cause: r.cause,
      tokenError: r.t === true || r.t === 1,
      diagnoses: Number(r.n),
      fixedVotes: Number(r.fixed),
      stillBrokenVotes: Number(r.still),
    }))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export interface RecentCount {
  count: number;
  channels: number;
  users: number;
}

export interface Retention {
  /** Diagnoses and votes older than this are deleted (default 180). */
  diagnosesDays: number;
}

export const DEFAULT_RETENTION: Readonly<Retention> = Object.freeze({ diagnosesDays: 180 });

/** Claim TTL for Slack event ids: the issue keeps them an hour (Slack retries within ~5 minutes). */
export const EVENT_ID_TTL_MS = 60 * 60_000;

export interface PurgeResult {
  diagnoses: number;
  votes: number;
  claims: number;
  /** Reply-cap rows whose every slot left its window (see takeCapSlot). */
  replyCaps: number;
}

/** The most slots a reply cap may allow per window (knowledge allows up to 600 a minute). */
export const MAX_CAP_SLOTS = 1_000;

/** One "answer once" claim: a key, and how long it stays taken (once answered). */
export interface Claim {
  key: string;
  ttlMs: number;
}

/**
 * A reply's claims are held, not final, until the reply is posted: a crash between the claim and the
 * post leaves them pending, and once the lease lapses a redelivery of the event is answered (issue
 * 11.4). Slack retries after ~0 s, 1 min and 5 min; 45 s lets the 1-minute retry after a crash be
 * answered, while the immediate retry finds the claim fresh and is refused. A holder that is still
 * working renews its lease (every third of it), so a reply slowed down by Slack (its retries take up to
 * ~2 minutes) keeps its claim.
 */
export const DEFAULT_REPLY_LEASE_MS = 45_000;

export interface Store {
  readonly engine: Engine;

  /** OAuth installations (sealed; see installations.ts). */
  readonly installations: InstallationRows;

  /**
   * Exactly once across replicas: true only for the call whose atomic insert created (or revived an
   * expired) `key`; every other claim of it until `ttlMs` has passed gets false.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;

  /**
   * Several claims in order, atomically and in one round trip: each is attempted only when every
   * earlier one was won. Returns how many were won (0 to claims.length).
   */
  claimInOrder(claims: readonly Claim[]): Promise<number>;

  /**
   * claimInOrder for a reply (see DEFAULT_REPLY_LEASE_MS): each claim is won like claimInOrder's but
   * taken *pending* by `holder` for `leaseMs`, not yet for its TTL. Refused while another holder's
   * lease is fresh or once the key is answered; won again when the key is free, expired, or pending
   * with a lapsed lease (its holder died). One statement.
   */
  holdInOrder(claims: readonly Claim[], holder: string, leaseMs: number): Promise<number>;

  /**
   * The reply went out: `holder`'s pending claims on these keys become final (answered), each for its
   * own ttlMs from now. Keys another holder took over meanwhile are left alone. Returns how many.
   */
  confirmHeld(holder: string, claims: readonly Claim[]): Promise<number>;

  /** The reply did not go out: `holder`'s pending claims on these keys are let go at once. Returns how many. */
  releaseHeld(holder: string, keys: readonly string[]): Promise<number>;

  /** The holders are still working: their pending claims' leases run `leaseMs` from now. Returns how many. */
  renewHeld(holders: readonly string[], leaseMs: number): Promise<number>;

  /**
   * The passive reply cap, shared by every replica: true, and a slot taken, when fewer than `limit`
   * slots of `key` (a channel, `team:channel`) were taken in the last `windowMs`; false otherwise (and
   * nothing taken). Atomic across replicas: of any number of concurrent takes, exactly as many win as
   * there were free slots. Keeps the key and the slots' times only (one row per key, at most `limit`
   * times in it); a row whose slots have all left the window is deleted by purgeExpired.
   */
  takeCapSlot(key: string, limit: number, windowMs: number): Promise<boolean>;

  /** HMAC-SHA256 of the text under the store's own secret (shared by every replica), hex. Pure, in memory. */
  hashMessage(text: string): string;

  /** Keeps one diagnosis. False when a diagnosis with the same `cardKey` was already recorded. */
  recordDiagnosis(row: DiagnosisRecord): Promise<boolean>;

  /** One vote per person per card; a second click replaces the first. */
  recordVote(cardKey: string, user: string, vote: Vote): Promise<VoteResult>;

  /** The votes on one card, earliest first (to redraw it: "✅ Fixed — confirmed by @someone"). */
  cardVotes(cardKey: string): Promise<CardVote[]>;

  /** The channel's settings, or DEFAULT_CHANNEL_SETTINGS when nobody has changed them. */
  getChannelSettings(team: string, channel: string): Promise<ChannelSettings>;
  /** Changes only the given settings and returns them all. */
  setChannelSettings(
    team: string,
    channel: string,
    change: ChannelSettingsChange,
    by: string,
  ): Promise<ChannelSettings>;

  /** The workspace's alert channel choice; null when nobody in it has chosen (ALERT_CHANNEL applies). */
  getAlertChoice(team: string): Promise<AlertChoice | null>;
  /** Saves the workspace's choice: a channel, or null for no alerts. */
  setAlertChoice(team: string, channel: string | null, by: string): Promise<AlertChoice>;

  /** App Home figures for the last `sinceDays` days (of one channel with `options.channel`). */
  stats(team: string, sinceDays: number, options?: StatsOptions): Promise<StoreStats>;

  /**
   * `tokenfix stats`: diagnoses since `since` (ms since the epoch) per UTC day × workspace × channel ×
   * platform × cause, with the votes cast on their cards. Ids and counts only. Read from the rows (kept
   * for the retention period), since the daily rollups don't keep channels.
   */
  exportRows(since: number, options?: ExportOptions): Promise<ExportRow[]>;

  /** A reminder scheduled in Slack (chat.scheduleMessage): its id, so App Home can list and cancel it. */
  addReminder(reminder: Reminder): Promise<void>;
  /** A person's reminders still to come (post time after `now`), soonest first, at most 20. */
  pendingReminders(team: string, user: string, now: number): Promise<Reminder[]>;
  /** Forgets one of the person's reminders; returns it, or null when it was not theirs or not there. */
  removeReminder(team: string, user: string, id: string): Promise<Reminder | null>;

  /** Remembers whether a channel is private (from a message event's channel_type), with when it was seen. */
  noteChannelKind(team: string, channel: string, isPrivate: boolean): Promise<void>;
  /** What is known of these channels (at most 100): true private, false public; unknown ones are absent. */
  channelKinds(team: string, channels: readonly string[]): Promise<Map<string, boolean>>;

  /** Token-error diagnoses of platform+cause in the workspace over the last `windowMinutes`. */
  countRecent(team: string, platform: string, cause: string, windowMinutes: number): Promise<RecentCount>;
  /** True once per platform+cause per window, across every replica (a claim with the window as TTL). */
  claimOutbreakAlert(team: string, platform: string, cause: string, windowMinutes: number): Promise<boolean>;
  /** Whether an outbreak alert for platform+cause was claimed and its window has not passed. */
  outbreakOpen(team: string, platform: string, cause: string): Promise<boolean>;

  /**
   * Deletes diagnoses and votes past retention (the daily rollups follow), channel kinds not seen within
   * it, claims past their expiry, and reply-cap rows whose slots have all left their window.
   */
  purgeExpired(now: number, retention?: Retention): Promise<PurgeResult>;

  /** For /healthz: a real query, false when it fails or takes longer than `timeoutMs` (default 1000). */
  ping(timeoutMs?: number): Promise<boolean>;

  close(): Promise<void>;
}

export interface StoreOptions {
  /** Where the store reports trouble it survives (a dropped PostgreSQL connection). */
  log?: { warn(msg: string, fields?: Record<string, unknown>): void };
  /** Clock, ms since the epoch (tests). */
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------
// Checks at the boundary: only ids, codes and numbers get in.

const SLACK_ID = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;
const WORD = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/**
 * Error codes as platforms write them: numbers ("190", "190/460"), a letter prefix and a number
 * ("AADSTS700082"), or words without digits ("invalid_grant", "EXPIRED_ACCESS_TOKEN", "accessDenied",
 * "oauth-token-invalid"). Letters and digits mixed any other way look like a token and are not kept.
 */
const ERROR_CODES = [
  /^\d{1,10}(\/\d{1,10})?$/,
  /^[A-Z]{1,12}\d{1,12}$/,
  /^[A-Za-z]{1,48}([_-][A-Za-z]{1,48}){0,8}$/,
];
const isErrorCode = (v: string): boolean => v.length <= 64 && ERROR_CODES.some((p) => p.test(v));
const HASH = /^[0-9a-f]{64}$/;
/** Claim keys and card keys are built from ids and timestamps: printable ASCII without spaces. */
const KEY = /^[\x21-\x7e]{1,200}$/;

export class StoreInputError extends TypeError {
  constructor(field: string) {
    super(`store: ${field} is not a valid value`);
    this.name = 'StoreInputError';
  }
}

function check(pattern: RegExp, value: string, field: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new StoreInputError(field);
  return value;
}

export const checkedTeam = (v: string): string => check(SLACK_ID, v, 'team');
export const checkedEnterprise = (v: string): string => check(SLACK_ID, v, 'enterprise');
export const checkedChannel = (v: string): string => check(SLACK_ID, v, 'channel');
export const checkedUser = (v: string): string => check(SLACK_ID, v, 'user');
export const checkedKey = (v: string, field = 'key'): string => check(KEY, v, field);
export const checkedWord = (v: string, field: string): string => check(WORD, v, field);

export function checkedTtl(ms: number, field = 'ttlMs'): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new StoreInputError(field);
  return Math.ceil(ms);
}

/** At most this many keys per claimInOrder call (one statement). */
export const MAX_CLAIMS_IN_ORDER = 8;

/** A claimInOrder list: 1–8 distinct valid keys, each with a valid TTL. */
export function checkedClaims(claims: readonly Claim[]): Claim[] {
  if (!Array.isArray(claims) || claims.length === 0 || claims.length > MAX_CLAIMS_IN_ORDER)
    throw new StoreInputError('claims');
  const out = claims.map((c) => ({ key: checkedKey(c.key), ttlMs: checkedTtl(c.ttlMs) }));
  if (new Set(out.map((c) => c.key)).size !== out.length) throw new StoreInputError('claims');
  return out;
}

/** A reply cap's limit: a whole number of slots, 1 to MAX_CAP_SLOTS. */
export function checkedCapLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CAP_SLOTS) throw new StoreInputError('limit');
  return limit;
}

/** At most this many holders per renewHeld call. */
export const MAX_HOLDERS_RENEWED = 1_000;

export const checkedHolder = (v: string): string => checkedKey(v, 'holder');

export function checkedHolders(holders: readonly string[]): string[] {
  if (!Array.isArray(holders) || holders.length > MAX_HOLDERS_RENEWED) throw new StoreInputError('holders');
  return holders.map(checkedHolder);
}

/** A releaseHeld list: 1–8 distinct valid keys. */
export function checkedKeys(keys: readonly string[]): string[] {
  return checkedClaims(keys.map((key) => ({ key, ttlMs: 1 }))).map((c) => c.key);
}

export function checkedVote(v: Vote): Vote {
  if (!(VOTES as readonly string[]).includes(v)) throw new StoreInputError('vote');
  return v;
}

export function checkedChange(change: ChannelSettingsChange): ChannelSettingsChange {
  if (change.listenMode !== undefined && !(LISTEN_MODES as readonly string[]).includes(change.listenMode))
    throw new StoreInputError('listenMode');
  if (change.readBots !== undefined && typeof change.readBots !== 'boolean')
    throw new StoreInputError('readBots');
  if (change.readImages !== undefined && typeof change.readImages !== 'boolean')
    throw new StoreInputError('readImages');
  return change;
}

/** A diagnosis as column values, checked. */
export interface DiagnosisColumns {
  at: number;
  team: string;
  channel: string | null;
  user: string | null;
  entryPoint: EntryPoint;
  platform: string | null;
  cause: string | null;
  confidence: number;
  errorCode: string | null;
  isTokenError: boolean;
  messageHash: string;
  cardKey: string | null;
}

export function checkedDiagnosis(row: DiagnosisRecord, now: number): DiagnosisColumns {
  if (!(ENTRY_POINTS as readonly string[]).includes(row.entryPoint)) throw new StoreInputError('entryPoint');
  const at = row.at ?? now;
  if (!Number.isSafeInteger(Math.round(at)) || at < 0) throw new StoreInputError('at');
  if (typeof row.confidence !== 'number' || !Number.isFinite(row.confidence))
    throw new StoreInputError('confidence');
  return {
    at: Math.round(at),
    team: checkedTeam(row.team),
    channel: row.channel == null ? null : checkedChannel(row.channel),
    user: row.user == null ? null : checkedUser(row.user),
    entryPoint: row.entryPoint,
    platform: row.platform == null ? null : checkedWord(row.platform, 'platform'),
    cause: row.cause == null ? null : checkedWord(row.cause, 'cause'),
    confidence: Math.min(1, Math.max(0, row.confidence)),
    // A code is a short token-free word; anything else is dropped rather than kept.
    errorCode: typeof row.errorCode === 'string' && isErrorCode(row.errorCode) ? row.errorCode : null,
    isTokenError: row.isTokenError === true,
    messageHash: check(HASH, row.messageHash, 'messageHash'),
    cardKey: row.cardKey == null ? null : checkedKey(row.cardKey, 'cardKey'),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared pieces of the engines.

export const MESSAGE_HASH_KEY = 'message_hash_key';

export function messageHasher(secret: string): (text: string) => string {
  const key = Buffer.from(secret, 'base64');
  if (key.length < 32) throw new Error('store: the message hash secret in the store is missing or too short');
  return (text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** A workspace_settings row as both engines return it. */
export interface AlertChoiceRow {
  alert_channel: string | null;
  updated_by: string;
  updated_at: number | string;
}

export const toAlertChoice = (r: AlertChoiceRow): AlertChoice => ({
  channel: r.alert_channel,
  updatedBy: r.updated_by,
  updatedAt: Number(r.updated_at),
});

export const outbreakKey = (team: string, platform: string, cause: string): string =>
  `outbreak:${checkedTeam(team)}:${checkedWord(platform, 'platform')}:${checkedWord(cause, 'cause')}`;

export const DAY_MS = 86_400_000;

/** The UTC day (days since the epoch) of a time: the key of the daily rollups. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * A stats window [since, ∞) split for the daily rollups: whole days [fromDay, toDay) come from the
 * rollups, the partial first day [since, edgeEnd) and today [edgeStart, ∞) from the rows themselves.
 */
export interface StatsWindow {
  since: number;
  fromDay: number;
  toDay: number;
  edgeEnd: number;
  edgeStart: number;
}

export function statsWindow(now: number, sinceDays: number): StatsWindow {
  const since = Math.floor(now - checkedDays(sinceDays) * DAY_MS);
  const fromDay = Math.ceil(since / DAY_MS);
  const toDay = dayOf(now);
  if (fromDay < toDay) return { since, fromDay, toDay, edgeEnd: fromDay * DAY_MS, edgeStart: toDay * DAY_MS };
  // Less than one whole day: rows only.
  return {
    since,
    fromDay: 0,
    toDay: 0,
    edgeEnd: Number.MAX_SAFE_INTEGER,
    edgeStart: Number.MAX_SAFE_INTEGER,
  };
}

/** A point in time, ms since the epoch. */
export function checkedSince(since: number): number {
  if (!Number.isSafeInteger(since) || since < 0) throw new StoreInputError('since');
  return since;
}

export function checkedDays(days: number): number {
  if (!Number.isFinite(days) || days <= 0) throw new StoreInputError('sinceDays');
  return days;
}

export function checkedChannels(channels: readonly string[]): string[] {
  if (!Array.isArray(channels) || channels.length > 100) throw new StoreInputError('channels');
  return channels.map(checkedChannel);
}

export function checkedTop(top: number | undefined): number {
  const n = top ?? 10;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new StoreInputError('top');
  return n;
}

/** Raw aggregate rows, as both engines return them. */
export interface StatsRows {
  /** Grouped by is_token_error, platform, cause. */
  groups: { tokenError: boolean; platform: string | null; cause: string | null; count: number }[];
  channels: { channel: string; count: number }[];
  /** One row per voted card in the window. */
  cards: {
    cardKey: string;
    channel: string | null;
    platform: string | null;
    cause: string | null;
    at: number;
    fixed: number;
    stillBroken: number;
    lastStillBrokenAt: number | null;
  }[];
}

const byCountThenKey =
  <T extends { count: number }>(key: (t: T) => string) =>
  (a: T, b: T) =>
    b.count - a.count || key(a).localeCompare(key(b));

export function assembleStats(rows: StatsRows, sinceDays: number, since: number, top: number): StoreStats {
  let diagnoses = 0;
  let tokenErrors = 0;
  const platforms = new Map<string | null, number>();
  const causes = new Map<string, number>();
  for (const g of rows.groups) {
    diagnoses += g.count;
    if (!g.tokenError) continue;
    tokenErrors += g.count;
    platforms.set(g.platform, (platforms.get(g.platform) ?? 0) + g.count);
    if (g.cause !== null) causes.set(g.cause, (causes.get(g.cause) ?? 0) + g.count);
  }
  const fix = new Map<string, CauseFixRate>();
  const unresolved: UnresolvedCard[] = [];
  for (const c of rows.cards) {
    const cause = c.cause ?? 'unknown';
    const f = fix.get(cause) ?? { cause, cards: 0, fixed: 0, stillBroken: 0, rate: 0 };
    f.cards++;
    if (c.fixed > 0) f.fixed++;
    else if (c.stillBroken > 0) {
      f.stillBroken++;
      unresolved.push({
        cardKey: c.cardKey,
        channel: c.channel,
        platform: c.platform,
        cause: c.cause,
        at: c.at,
        lastVoteAt: c.lastStillBrokenAt ?? c.at,
        votes: c.stillBroken,
      });
    }
    fix.set(cause, f);
  }
  for (const f of fix.values()) f.rate = f.cards === 0 ? 0 : f.fixed / f.cards;
  return {
    sinceDays,
    since,
    diagnoses,
    tokenErrors,
    byPlatform: [...platforms]
      .map(([platform, count]) => ({ platform, count }))
      .sort(byCountThenKey((r) => r.platform ?? '\uffff')), // unknown platform last among equals
    byCause: [...causes]
      .map(([cause, count]) => ({ cause, count }))
      .sort(byCountThenKey((r) => r.cause))
      .slice(0, top),
    fixRate: [...fix.values()].sort((a, b) => b.cards - a.cards || a.cause.localeCompare(b.cause)),
    topChannels: [...rows.channels].sort(byCountThenKey((r) => r.channel)).slice(0, top),
    unresolved: unresolved.sort((a, b) => b.lastVoteAt - a.lastVoteAt).slice(0, top * 2),
  };
}

/** Rejects after `ms` unless `work` settles first. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`store: ${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
