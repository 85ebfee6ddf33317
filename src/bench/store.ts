/**
 * npm run bench:store — the store at App Home scale, on both engines.
 *
 * Fills each engine with 100,000 diagnoses (BENCH_ROWS) of ONE workspace spread over the last 30
 * days — the worst case for App Home, whose 30-day view then covers every row — through the store's
 * own recordDiagnosis (one transaction each; PostgreSQL with 8 at a time, as replicas would), plus
 * votes on 10% of the cards. Then times an App Home render: stats for 7 and 30 days, as the home tab
 * asks for them (both at once). Target: ≤ 200 ms a render on both engines.
 *
 * SQLite: a file in a temp folder. PostgreSQL: BENCH_POSTGRES_URL (an empty database you provide), or
 * else a throw-away server from the machine's binaries with durable settings (fsync on).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DAY_MS, type DiagnosisRecord, type EntryPoint, openStore, type Store } from '../store';
import { type PostgresServer, startPostgres } from './postgres-server';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const RENDERS = Number(process.env.BENCH_RENDERS ?? 20);
const TEAM = 'T0BENCH01';

/** A small deterministic PRNG, so both engines get the same rows. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(rand: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  return (items.at(-1) as readonly [T, number])[0];
}

const PLATFORMS = [
  ['meta', 35],
  ['google', 30],
  ['microsoft', 12],
  ['linkedin', 6],
  ['tiktok', 4],
  ['salesforce', 3],
  ['hubspot', 3],
  ['x', 2],
  ['snapchat', 2],
  ['pinterest', 1],
  ['amazon', 1],
  ['shopify', 1],
] as const;
const CAUSES = [
  ['token_max_lifetime', 20],
  ['refresh_token_inactive', 15],
  ['password_changed', 18],
  ['two_factor_enabled', 8],
  ['app_access_removed', 10],
  ['user_removed_by_admin', 5],
  ['security_invalidation', 7],
  ['account_unconfirmed', 3],
  ['unknown', 14],
] as const;
const ENTRY: readonly (readonly [EntryPoint, number])[] = [
  ['passive', 70],
  ['mention', 10],
  ['command', 8],
  ['shortcut', 6],
  ['reaction', 4],
  ['dm', 2],
];

function makeRows(
  store: Store,
  now: number,
): { rows: DiagnosisRecord[]; votes: [string, string, 'fixed' | 'still_broken'][] } {
  const rand = prng(42);
  const rows: DiagnosisRecord[] = [];
  const votes: [string, string, 'fixed' | 'still_broken'][] = [];
  for (let i = 0; i < ROWS; i++) {
    const token = rand() > 0.1;
    const cardKey = `C${String(1 + Math.floor(rand() * 200)).padStart(6, '0')}:${1_700_000_000 + i}.000100`;
    const channel = cardKey.slice(0, 7);
    const user = `U${String(1 + Math.floor(rand() * 500)).padStart(8, '0')}`;
    rows.push({
      at: now - Math.floor(rand() * 30 * DAY_MS),
      team: TEAM,
      channel,
      user,
      entryPoint: weighted(rand, ENTRY),
      platform: token ? weighted(rand, PLATFORMS) : null,
      cause: token ? weighted(rand, CAUSES) : null,
      confidence: Math.round(rand() * 100) / 100,
      errorCode: token ? '190/460' : null,
      isTokenError: token,
      messageHash: store.hashMessage(`message ${i % 20_000}`),
      cardKey: token ? cardKey : null,
    });
    if (token && rand() < 0.1) {
      votes.push([cardKey, user, rand() < 0.7 ? 'fixed' : 'still_broken']);
      if (rand() < 0.3)
        votes.push([cardKey, `U${String(1 + Math.floor(rand() * 500)).padStart(8, '0')}`, 'fixed']);
    }
  }
  return { rows, votes };
}

async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const f1 = (n: number): string => n.toFixed(1);

async function bench(name: string, url: string, width: number): Promise<void> {
  const store = await openStore(url);
  try {
    const now = Date.now();
    const { rows, votes } = makeRows(store, now);

    let start = process.hrtime.bigint();
    await inParallel(rows, width, (r) => store.recordDiagnosis(r));
    const insertMs = ms(start);
    start = process.hrtime.bigint();
    await inParallel(votes, width, ([card, user, vote]) => store.recordVote(card, user, vote));
    const voteMs = ms(start);

    const render = () => Promise.all([store.stats(TEAM, 7), store.stats(TEAM, 30)]);
    const first = process.hrtime.bigint();
    const [s7, s30] = await render();
    const firstMs = ms(first);
    const times: number[] = [];
    for (let i = 0; i < RENDERS; i++) {
      const t = process.hrtime.bigint();
      await render();
      times.push(ms(t));
    }
    times.sort((a, b) => a - b);
    const outbreak: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = process.hrtime.bigint();
      await store.countRecent(TEAM, 'meta', 'password_changed', 60);
      outbreak.push(ms(t));
    }
    outbreak.sort((a, b) => a - b);

    console.log(`${name}:`);
    console.log(
      `  insert  ${ROWS} diagnoses in ${f1(insertMs / 1000)} s = ${Math.round(ROWS / (insertMs / 1000))}/s` +
        ` (one transaction each, ${width} at a time); ${votes.length} votes at ${Math.round(votes.length / (voteMs / 1000))}/s`,
    );
    console.log(
      `  App Home render (stats 7 d + 30 d): median ${f1(quantile(times, 0.5))} ms, p95 ${f1(quantile(times, 0.95))} ms,` +
        ` max ${f1(times.at(-1) ?? 0)} ms, first ${f1(firstMs)} ms over ${RENDERS} renders` +
        ` — target ≤ 200 ms: ${(times.at(-1) ?? Infinity) <= 200 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `  (30 d: ${s30.diagnoses} diagnoses, ${s30.tokenErrors} token errors, ${s30.fixRate.reduce((a, f) => a + f.cards, 0)} voted cards;` +
        ` 7 d: ${s7.diagnoses} diagnoses)`,
    );
    console.log(
      `  outbreak count (1 h window): median ${f1(quantile(outbreak, 0.5))} ms, max ${f1(outbreak.at(-1) ?? 0)} ms`,
    );
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:store — ${ROWS} diagnoses, one workspace, last 30 days; node ${process.version}`);
  const dir = mkdtempSync(join(tmpdir(), 'tokenfix-bench-'));
  try {
    await bench('SQLite (WAL, synchronous=NORMAL)', `sqlite:${join(dir, 'bench.db')}`, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  let server: PostgresServer | null = null;
  let url = process.env.BENCH_POSTGRES_URL ?? '';
  if (!url) {
    try {
      server = await startPostgres({ durable: true });
    } catch (error) {
      console.log(`PostgreSQL: SKIPPED — ${(error as Error).message} (or set BENCH_POSTGRES_URL)`);
      return;
    }
    const admin = new Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    url = server.urlFor('bench');
  }
  try {
    await bench(
      `PostgreSQL (${server ? 'throw-away local server, fsync on' : 'BENCH_POSTGRES_URL'})`,
      url,
      8,
    );
  } finally {
    server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
