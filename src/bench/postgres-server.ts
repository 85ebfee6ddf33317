/**
 * A throw-away PostgreSQL server from the machine's own binaries, for the store tests
 * (test/support/postgres.ts) and `npm run bench:store`: initdb into a temp folder, a free port on
 * 127.0.0.1, the unix socket in the same folder, stopped and deleted after.
 *
 * Binaries: $PG_BIN, else `initdb` on PATH, else the newest /usr/lib/postgresql/N/bin (where Debian's
 * `postgresql` package puts them, off PATH; `.ci/run` installs it when neither is there).
 * PostgreSQL refuses to run as root: as root the folder is given to the `postgres` user and the
 * binaries run through `runuser -u postgres --` (or `su postgres`).
 */
import { execFileSync, type SpawnSyncReturns } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface PostgresServer {
  /** URL of the `postgres` database as the `postgres` superuser (trust auth), over TCP. */
  adminUrl: string;
  port: number;
  dir: string;
  /** `postgres://postgres@127.0.0.1:PORT/<database>` */
  urlFor(database: string): string;
  stop(): void;
  /** Fault tests: the server dies at once (pg_ctl stop -m immediate), keeping its data… */
  kill(): void;
  /** …and comes back on the same port with the same data. */
  restart(): void;
}

export interface StartOptions {
  /** Durable settings (fsync on): for benchmarks. Default false: fsync off, as tests want. */
  durable?: boolean;
}

/** A reason PostgreSQL can't be started here (missing binaries…); other failures throw ordinary errors. */
export class PostgresUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresUnavailable';
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folder holding initdb, pg_ctl and postgres, or null. */
export function findPostgresBin(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(dir);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(join(debian, v, 'bin'));
  }
  for (const dir of candidates) {
    const initdb = join(dir, 'initdb');
    if (!executable(initdb)) continue;
    // /usr/local/bin/initdb may be a link into the real bin folder, where pg_ctl and postgres live.
    const real = dirname(realpathSync(initdb));
    if (executable(join(real, 'pg_ctl')) && executable(join(real, 'postgres'))) return real;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface Runner {
  run(command: string, args: string[], cwd: string): string;
  owner: { uid: number; gid: number } | null;
}

function userIds(name: string): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function runner(): Runner {
  const exec = (file: string, args: string[], cwd: string): string =>
    execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { run: (command, args, cwd) => exec(command, args, cwd), owner: null };
  }
  const owner = userIds('postgres');
  if (!owner)
    throw new PostgresUnavailable('running as root and there is no `postgres` user to run PostgreSQL as');
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find(executable);
  if (runuser)
    return {
      run: (command, args, cwd) => exec(runuser, ['-u', 'postgres', '--', command, ...args], cwd),
      owner,
    };
  return {
    run: (command, args, cwd) =>
      exec('su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map(quote).join(' ')], cwd),
    owner,
  };
}

/** The last lines of what a failed command wrote: its errors (stderr), else its output, else the message. */
function why(error: unknown): string {
  const e = error as Partial<SpawnSyncReturns<string>> & Error;
  const lastLines = (text: string | undefined) => (text ?? '').trim().split('\n').slice(-5).join(' | ');
  return lastLines(e.stderr) || lastLines(e.stdout) || e.message;
}

export async function startPostgres(options: StartOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin)
    throw new PostgresUnavailable(
      'no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH, in $PG_BIN or under /usr/lib/postgresql/*/bin — install the `postgresql` package',
    );
  const run = runner();
  const dir = mkdtempSync(join(tmpdir(), 'tokenfix-pg-'));
  const data = join(dir, 'data');
  if (run.owner) chownSync(dir, run.owner.uid, run.owner.gid);
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    run.run(
      join(bin, 'initdb'),
      [
        '-D',
        data,
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
        '--no-instructions',
      ],
      dir,
    );
  } catch (error) {
    cleanup();
    throw new PostgresUnavailable(`initdb failed: ${why(error)}`);
  }
  const settings = [
    '-c listen_addresses=127.0.0.1',
    `-k ${dir}`,
    '-c max_connections=200',
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ];
  let lastError = '';
  const pgStart = (port: number): void => {
    run.run(
      join(bin, 'pg_ctl'),
      [
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-w',
        '-t',
        '30',
        '-o',
        [`-p ${port}`, ...settings].join(' '),
        'start',
      ],
      dir,
    );
  };
  const pgStopNow = (): void => {
    run.run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], dir);
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      pgStart(port);
    } catch (error) {
      lastError = why(error);
      continue; // most likely the port was taken in between: another one
    }
    const urlFor = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
    let stopped = false;
    let running = true;
    return {
      adminUrl: urlFor('postgres'),
      port,
      dir,
      urlFor,
      stop: () => {
        if (stopped) return;
        stopped = true;
        try {
          if (running) pgStopNow();
        } finally {
          cleanup();
        }
      },
      kill: () => {
        if (stopped || !running) return;
        pgStopNow();
        running = false;
      },
      restart: () => {
        if (stopped || running) return;
        pgStart(port);
        running = true;
      },
    };
  }
  cleanup();
  throw new PostgresUnavailable(`pg_ctl could not start PostgreSQL: ${lastError}`);
}
