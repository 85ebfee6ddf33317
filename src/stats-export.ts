/**
 * `tokenfix stats --since 30d --format csv|json [--team T]`: the store's diagnoses per UTC day ×
 * workspace × channel × platform × cause, with fix votes, for a support lead's own charts. Ids and
 * counts only; the store never held text. Reads DATABASE_URL (and .env, as the bot does).
 */
import { existsSync } from 'node:fs';
import { type ExportRow, openStore, parseDatabaseUrl, StoreConfigError } from './store';

export const STATS_USAGE = `usage: tokenfix stats [--since 30d | --since YYYY-MM-DD] [--format csv | json] [--team T]

Prints the diagnoses in the store at DATABASE_URL (default sqlite:./data/tokenfix.db) per day ×
workspace × channel × platform × cause, with the "Fixed it" / "Still broken" votes on their cards.
Ids and counts only. --since defaults to 30d; rows are kept for the store's retention period.`;

export class StatsUsageError extends Error {}

export interface StatsArgs {
  since: number;
  format: 'csv' | 'json';
  team?: string;
}

const DAY_MS = 86_400_000;

export function parseStatsArgs(args: string[], now = Date.now()): StatsArgs {
  let since = now - 30 * DAY_MS;
  let format: StatsArgs['format'] = 'csv';
  let team: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new StatsUsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--since') {
      const v = value();
      const days = /^(\d{1,4})d$/.exec(v);
      if (days) since = now - Number(days[1]) * DAY_MS;
      else if (/^\d{4}-\d{2}-\d{2}$/.test(v) && Number.isFinite(Date.parse(`${v}T00:00:00Z`)))
        since = Date.parse(`${v}T00:00:00Z`);
      else
        throw new StatsUsageError(`--since takes a number of days (30d) or a date (2026-11-01), not "${v}"`);
    } else if (arg === '--format') {
      const v = value();
      if (v !== 'csv' && v !== 'json') throw new StatsUsageError(`--format is csv or json, not "${v}"`);
      format = v;
    } else if (arg === '--team') {
      team = value();
      if (!/^[TE][A-Z0-9]{2,30}$/.test(team))
        throw new StatsUsageError(`--team takes a Slack team id (T…), not "${team}"`);
    } else throw new StatsUsageError(`unknown option ${arg}`);
  }
  return { since: Math.max(0, since), format, ...(team ? { team } : {}) };
}

const COLUMNS = [
  ['day', 'day'],
  ['team', 'team'],
  ['channel', 'channel'],
  ['platform', 'platform'],
  ['cause', 'cause'],
  ['token_error', 'tokenError'],
  ['diagnoses', 'diagnoses'],
  ['fixed_votes', 'fixedVotes'],
  ['still_broken_votes', 'stillBrokenVotes'],
] as const satisfies readonly (readonly [string, keyof ExportRow])[];

/** The label a private channel (or one not known to be public) gets in App Home's export. */
export const PRIVATE_CHANNELS = 'private';

/**
 * App Home's export goes to anyone in the workspace: like App Home itself, it names a channel only once
 * it is known to be public; private channels (and those not known to be public) are summed per day,
 * platform and cause under PRIVATE_CHANNELS. `publicity`: channel → is private.
 */
export function hidePrivateChannels(
  rows: readonly ExportRow[],
  publicity: ReadonlyMap<string, boolean>,
): ExportRow[] {
  const out = new Map<string, ExportRow>();
  for (const row of rows) {
    const channel =
      row.channel === null || publicity.get(row.channel) === false ? row.channel : PRIVATE_CHANNELS;
    const key = JSON.stringify([row.day, row.team, channel, row.platform, row.cause, row.tokenError]);
    const seen = out.get(key);
    if (seen) {
      seen.diagnoses += row.diagnoses;
      seen.fixedVotes += row.fixedVotes;
      seen.stillBrokenVotes += row.stillBrokenVotes;
    } else out.set(key, { ...row, channel });
  }
  return [...out.values()];
}

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly ExportRow[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([, key]) => csvCell(row[key])).join(','));
  return `${lines.join('\n')}\n`;
}

export function toJson(rows: readonly ExportRow[]): string {
  return `${JSON.stringify(rows)}\n`;
}

/** Runs `tokenfix stats`: 0 printed, 2 usage, 1 when the store can't be read. */
export async function runStats(
  args: string[],
  io: { out: (s: string) => void; err: (s: string) => void },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let parsed: StatsArgs;
  try {
    parsed = parseStatsArgs(args);
  } catch (e) {
    if (!(e instanceof StatsUsageError)) throw e;
    io.err(`tokenfix: ${e.message}`);
    io.err(STATS_USAGE);
    return 2;
  }
  const databaseUrl = env.DATABASE_URL || 'sqlite:./data/tokenfix.db';
  try {
    const where = parseDatabaseUrl(databaseUrl);
    // Opening a SQLite path that isn't there would create an empty store and print nothing useful.
    if (where.engine === 'sqlite' && where.file !== ':memory:' && !existsSync(where.file)) {
      io.err(`tokenfix: there is no store at DATABASE_URL (sqlite:${where.file})`);
      return 1;
    }
    const store = await openStore(databaseUrl);
    try {
      const rows = await store.exportRows(parsed.since, parsed.team ? { team: parsed.team } : {});
      io.out(parsed.format === 'csv' ? toCsv(rows).trimEnd() : toJson(rows).trimEnd());
      return 0;
    } finally {
      await store.close();
    }
  } catch (e) {
    if (!(e instanceof StoreConfigError)) throw e;
    io.err(e.message.startsWith('tokenfix:') ? e.message : `tokenfix: ${e.message}`);
    return 1;
  }
}
