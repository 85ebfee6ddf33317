/**
 * A small JSON-lines logger. It takes a message and structured fields: callers pass Slack ids and
 * diagnosis fields only, never text somebody pasted (see `diagnosisFields`).
 */
import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Diagnosis } from './diagnosis/types';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LOG_LEVELS)[number];

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

export interface Log {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger that adds these fields to every line. */
  child(fields: Fields): Log;
  readonly level: Level;
}

export interface LogOptions {
  level?: Level;
  /** Where lines go (default: stdout, every level: stderr is kept for the one-line fatal messages). */
  sink?: (line: string, level: Level) => void;
  clock?: () => Date;
}

/**
 * Lines logged in one event-loop turn leave in one write just after it: a write to a pipe is
 * synchronous on Linux, and one per line cost more than the line itself under a burst. Whatever is
 * still waiting when the process exits is written then.
 */
let pendingLines: string[] = [];
let flushHooked = false;

function flushLines(): void {
  if (pendingLines.length === 0) return;
  const chunk = pendingLines.join('');
  pendingLines = [];
  process.stdout.write(chunk);
}

function defaultSink(line: string): void {
  pendingLines.push(`${line}\n`);
  if (pendingLines.length === 1) setImmediate(flushLines);
  if (!flushHooked) {
    flushHooked = true;
    process.on('exit', flushLines);
  }
}

/** An Error as loggable fields: its name, Slack error code and first message line; no stack, no request body. */
export function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return { error: String(error).slice(0, 200) };
  const e = error as Error & { code?: unknown; data?: { error?: unknown }; statusCode?: unknown };
  return {
    error: e.name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.data?.error === 'string' ? { slackError: e.data.error } : {}),
    ...(typeof e.statusCode === 'number' ? { status: e.statusCode } : {}),
    message: (e.message.split('\n')[0] ?? '').slice(0, 200),
  };
}

/** What may be logged about a diagnosis: its fields, never the text or evidence quoted from it. */
export function diagnosisFields(d: Diagnosis): Fields {
  return {
    isTokenError: d.isTokenError,
    platform: d.platform,
    cause: d.cause,
    confidence: d.confidence,
    errorCode: d.errorCode,
    otherKind: d.otherKind,
    secretsRedacted: d.secretsRedacted,
  };
}

export function createLog(options: LogOptions = {}, base: Fields = {}): Log {
  const level = options.level ?? 'info';
  const sink = options.sink ?? defaultSink;
  const clock = options.clock ?? (() => new Date());
  const write = (at: Level, msg: string, fields?: Fields): void => {
    if (RANK[at] < RANK[level]) return;
    let line: string;
    try {
      line = JSON.stringify({ time: clock().toISOString(), level: at, msg, ...base, ...fields });
    } catch {
      line = JSON.stringify({ time: clock().toISOString(), level: at, msg, note: 'fields not serialisable' });
    }
    sink(line, at);
  };
  return {
    level,
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLog(options, { ...base, ...fields }),
  };
}

/**
 * Bolt, the Web API client and the Socket Mode client log through this adapter. Their debug lines can
 * carry whole request and event bodies (what people pasted), so debug lines from them are dropped
 * whatever LOG_LEVEL says; their info/warn/error lines are kept, cut to one short line.
 */
export function libraryLogger(log: Log, name = 'slack'): BoltLogger {
  let libLevel = 'info' as LogLevel;
  const text = (args: unknown[]): string =>
    args
      .map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : ''))
      .filter(Boolean)
      .join(' ')
      .split('\n')[0]
      ?.slice(0, 300) ?? '';
  return {
    debug: () => {},
    info: (...args: unknown[]) => log.info(text(args), { source: name }),
    warn: (...args: unknown[]) => log.warn(text(args), { source: name }),
    error: (...args: unknown[]) => log.error(text(args), { source: name }),
    setLevel: (l: LogLevel) => {
      libLevel = l;
    },
    getLevel: () => libLevel,
    setName: (n: string) => {
      name = n;
    },
  };
}
