/**
 * A real PostgreSQL server for the tests, started once per jest run (globalSetup below) from the
 * machine's binaries — see src/bench/postgres-server.ts for how it is found and started (initdb into a
 * temp folder, free port, socket in the folder, as the `postgres` user when root).
 *
 * Suites ask `postgresForTests()`. When PostgreSQL can't be started here the PostgreSQL suites are
 * skipped with a loud warning — except when CI is set: there `describePostgres` turns the missing
 * server into a failing test. Set TOKENFIX_TEST_PG_URL to an admin URL to use a server of your own,
 * or TOKENFIX_TEST_PG=skip to run without PostgreSQL (a failure under CI, like a missing server).
 *
 * Each suite takes fresh databases from `createDatabase()`, so suites never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type PostgresServer, PostgresUnavailable, startPostgres } from '../../src/bench/postgres-server';

const URL_VAR = 'TOKENFIX_TEST_PG_URL';
const UNAVAILABLE_VAR = 'TOKENFIX_TEST_PG_UNAVAILABLE';

export type PostgresForTests = { available: true; adminUrl: string } | { available: false; reason: string };

/** What globalSetup found: a server's admin URL, or why there is none. */
export function postgresForTests(): PostgresForTests {
  const adminUrl = process.env[URL_VAR];
  if (adminUrl) return { available: true, adminUrl };
  return {
    available: false,
    reason: process.env[UNAVAILABLE_VAR] ?? 'the jest globalSetup (test/support/global-setup.ts) did not run',
  };
}

export const isCI = (): boolean => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

let warned = false;

/**
 * The admin URL of the test server; or, when there is none, registers what stands for the suite —
 * a failing test under CI, otherwise a loud warning and a skipped describe — and returns null.
 */
export function postgresOrReport(suite: string): string | null {
  const pg = postgresForTests();
  if (pg.available) return pg.adminUrl;
  if (isCI()) {
    describe(suite, () => {
      test('PostgreSQL is available (CI is set, so a missing server is a failure)', () => {
        throw new Error(`PostgreSQL is not available: ${pg.reason}`);
      });
    });
    return null;
  }
  if (!warned) {
    warned = true;
    console.warn(
      `\n${'!'.repeat(78)}\n!! SKIPPING the PostgreSQL suites: ${pg.reason}\n!! (install the \`postgresql\` server package; with CI set this is a failure)\n${'!'.repeat(78)}\n`,
    );
  }
  describe.skip(`${suite} (SKIPPED: no PostgreSQL)`, () => {
    test.skip('needs PostgreSQL', () => {});
  });
  return null;
}

/** describe() for a suite that needs PostgreSQL; see postgresOrReport for when there is none. */
export function describePostgres(name: string, fn: (adminUrl: string) => void): void {
  const adminUrl = postgresOrReport(name);
  if (adminUrl !== null) describe(name, () => fn(adminUrl));
}

/** A new, empty database on the test server; returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 'test'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// jest globalSetup / globalTeardown (registered in jest.config.js through global-setup.ts).

// globalSetup and globalTeardown share only globals (jest's rule).
const holder = globalThis as { __tokenfixPostgres?: PostgresServer | null };

export async function setupPostgres(): Promise<void> {
  if (process.env[URL_VAR]) return; // a server of the developer's own
  if (process.env.TOKENFIX_TEST_PG === 'skip') {
    process.env[UNAVAILABLE_VAR] = 'TOKENFIX_TEST_PG=skip';
    return;
  }
  try {
    const server = await startPostgres();
    holder.__tokenfixPostgres = server;
    // Should jest end without its teardown (an interrupted run), the server still goes.
    process.once('exit', () => {
      try {
        server.stop();
      } catch {}
    });
    process.env[URL_VAR] = server.adminUrl;
    delete process.env[UNAVAILABLE_VAR];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.env[UNAVAILABLE_VAR] = reason;
    const shown = error instanceof PostgresUnavailable ? reason : `unexpected: ${reason}`;
    process.stderr.write(
      `\n!! PostgreSQL for the store tests could not be started: ${shown}\n!! ${isCI() ? 'CI is set: the PostgreSQL suites will FAIL.' : 'The PostgreSQL suites will be SKIPPED.'}\n`,
    );
  }
}

export async function teardownPostgres(): Promise<void> {
  const s = holder.__tokenfixPostgres;
  holder.__tokenfixPostgres = null;
  if (!s) return;
  delete process.env[URL_VAR];
  s.stop();
}
