/**
 * openStore(DATABASE_URL): `sqlite:PATH` (relative to the working directory; the folder is created)
 * or `postgres://` / `postgresql://`. Both run the schema migrations before they return.
 */
import { isAbsolute, resolve } from 'node:path';
import { openPostgresStore, type PostgresOptions } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

export * from './store';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/tokenfix.db';

/** A bad DATABASE_URL, or a store that could not be opened: `message` is one line naming DATABASE_URL. */
export class StoreConfigError extends Error {
  readonly variable = 'DATABASE_URL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreConfigError';
  }
}

const USAGE =
  'tokenfix: DATABASE_URL must be sqlite:PATH (e.g. sqlite:./data/tokenfix.db) or postgres://user:password@host/db';

export type ParsedDatabaseUrl = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

/** Reads DATABASE_URL without opening anything; throws StoreConfigError when it is malformed. */
export function parseDatabaseUrl(databaseUrl: string, cwd = process.cwd()): ParsedDatabaseUrl {
  const raw = databaseUrl.trim();
  if (/^sqlite:/i.test(raw)) {
    let path = raw.slice('sqlite:'.length);
    // sqlite:///abs/file.db and sqlite://./rel.db are read as the path after the two slashes.
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '' || /[\0\n\r]/.test(path))
      throw new StoreConfigError(`${USAGE} (the sqlite: path is empty)`);
    if (path === ':memory:') return { engine: 'sqlite', file: path };
    return { engine: 'sqlite', file: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new StoreConfigError(`${USAGE} (the postgres URL does not parse)`);
    }
    if (url.hostname === '' && !url.searchParams.has('host'))
      throw new StoreConfigError(`${USAGE} (the postgres URL names no host)`);
    return { engine: 'postgres', url: raw };
  }
  throw new StoreConfigError(USAGE);
}

/** Where a store lives, for messages: never the password. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const p = parseDatabaseUrl(databaseUrl);
    if (p.engine === 'sqlite') return `sqlite:${p.file}`;
    const u = new URL(p.url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(malformed)';
  }
}

export type OpenStoreOptions = PostgresOptions;

/** Opens and migrates the store DATABASE_URL names. Rejects with a StoreConfigError (one line) when it can't. */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const parsed = parseDatabaseUrl(databaseUrl);
  try {
    return parsed.engine === 'sqlite'
      ? openSqliteStore(parsed.file, options)
      : await openPostgresStore(parsed.url, options);
  } catch (error) {
    const why = error instanceof Error ? (error.message.split('\n')[0] ?? '').slice(0, 200) : String(error);
    throw new StoreConfigError(
      `tokenfix: could not open the store at DATABASE_URL (${describeDatabaseUrl(databaseUrl)}): ${why}`,
      { cause: error },
    );
  }
}
