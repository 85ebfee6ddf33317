/**
 * npm run bench — tokenfix end to end, against the floor: a bare Bolt app of the same Bolt version
 * (src/bench/bare-bolt.ts) that acks and answers with one fixed block.
 *
 * Each server runs as its own child process (tokenfix is the real `node dist/index.js` in HTTP mode,
 * once per store engine), each with its own fake Slack Web API (src/testing/fake-slack.ts, the one the
 * tests use) in this process. Every server gets the same signed traffic at the same concurrency:
 *   1. slash commands (/tokenfix with real corpus texts; the answer goes to the response_url),
 *   2. channel messages, 10% of them token errors (corpus positives, answered in their thread) and 90%
 *      ordinary chat and other connector problems (corpus negatives, not answered).
 * Traffic goes in rounds (100 requests by default), one server at a time, the order rotating every
 * round, so the shared machine's noise falls on every server alike; a round ends when every expected
 * reply has reached its fake Slack. A warm-up (--warmup, 500 requests per phase) is not counted.
 *
 * Measured: ack latency (request sent → HTTP response complete, here), reply latency (request sent →
 * the reply reaches the fake Slack, stamped by the same clock), throughput (requests / time with the
 * round in progress), peak RSS (VmHWM of the server process, from /proc). Then the ratios against bare
 * Bolt. Targets: ack p99 ≤ 1.1×, reply p99 ≤ 1.25×, peak RSS ≤ 1.5×. The whole run repeats (--runs,
 * default 3) with fresh processes and stores; the summary shows min / median / max over the runs.
 *
 * The bare app answers exactly the messages tokenfix answers (their texts are handed to it), so both
 * post the same replies; `--bare-replies all` makes it answer every message instead.
 *
 * Options: --runs N (3) --commands N (2000) --messages N (2000) --concurrency N (16) --round N (100)
 *   --warmup N (500)
 *   --engines sqlite,postgres (both) --cpu-prof DIR (profile every server) --json FILE (all figures)
 *   --bare-replies same|all (same). BENCH_TOKENFIX_NODE_OPTIONS: NODE_OPTIONS for the tokenfix servers
 *   only (diagnostics, e.g. `--require ./trace.js`). PostgreSQL: BENCH_POSTGRES_URL (an admin URL; a database per run is
 *   created) or a throw-away server from the machine's binaries, durable (fsync on).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { parse } from 'yaml';
import { diagnose } from '../diagnosis/diagnose';
import { loadKnowledge } from '../diagnosis/knowledge';
import { BOT_TOKEN, FakeSlack } from '../testing/fake-slack';
import { eventCallback, messageEvent, nextId, nextTs, slashCommand } from '../testing/payloads';
import { type BodyKind, encodeBody, signedHeaders } from '../testing/sign';
import { type PostgresServer, startPostgres } from './postgres-server';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');
const SECRET = 'bench-signing-secret-0c6f1d2e';
const TARGETS = { ackP99: 1.1, replyP99: 1.25, rss: 1.5 } as const;

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  runs: number;
  commands: number;
  messages: number;
  concurrency: number;
  round: number;
  warmup: number;
  engines: Array<'sqlite' | 'postgres'>;
  cpuProf: string | null;
  json: string | null;
  bareReplies: 'same' | 'all';
}

function options(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, fallback: number): number => {
    const v = get(name);
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  const engines = (get('engines') ?? 'sqlite,postgres').split(',').filter(Boolean);
  for (const e of engines)
    if (e !== 'sqlite' && e !== 'postgres') throw new Error('--engines takes sqlite and/or postgres');
  const bareReplies = get('bare-replies') ?? 'same';
  if (bareReplies !== 'same' && bareReplies !== 'all') throw new Error('--bare-replies is same or all');
  return {
    runs: num('runs', 3),
    commands: num('commands', 2000),
    messages: num('messages', 2000),
    concurrency: num('concurrency', 16),
    round: num('round', 100),
    warmup: num('warmup', 500),
    engines: engines as Options['engines'],
    cpuProf: get('cpu-prof') ?? null,
    json: get('json') ?? null,
    bareReplies,
  };
}

// ---------------------------------------------------------------------------------------------
// Traffic: the same texts, in the same order, for every server

interface Spec {
  kind: 'command' | 'message';
  text: string;
  /** tokenfix answers it (the response_url for commands; a threaded card for token-error messages). */
  answered: boolean;
}

function corpusTexts(): { positives: string[]; negatives: string[] } {
  const read = (file: string): Array<{ text: string }> =>
    (parse(readFileSync(join(CORPUS, file), 'utf8')) as Array<{ text: string }> | null) ?? [];
  const positives = readdirSync(CORPUS)
    .filter((f) => f.startsWith('positives') || f === 'help-article.yml')
    .sort()
    .flatMap(read)
    .map((e) => e.text);
  return { positives, negatives: read('negatives.yml').map((e) => e.text) };
}

function traffic(opts: Options): { commands: Spec[]; messages: Spec[] } {
  const knowledge = loadKnowledge();
  const { positives, negatives } = corpusTexts();
  // Passive listening answers every isTokenError: true message (minimum confidence 0 by default).
  const minConfidence = knowledge.settings.passiveMinConfidence;
  const answers = (t: string) => {
    const d = diagnose(t, knowledge);
    return d.isTokenError && d.confidence >= minConfidence;
  };
  const tokenErrors = positives.filter(answers);
  const chat = negatives.filter((t) => !answers(t));
  const commands: Spec[] = [];
  for (let i = 0; i < opts.commands; i++) {
    // Mostly errors people ask about; every tenth something that is not a login problem.
    const text =
      i % 10 === 9
        ? (negatives[i % negatives.length] as string)
        : (positives[i % positives.length] as string);
    commands.push({ kind: 'command', text, answered: true });
  }
  const messages: Spec[] = [];
  for (let i = 0; i < opts.messages; i++) {
    const tokenError = i % 10 === 0;
    const text = tokenError
      ? (tokenErrors[(i / 10) % tokenErrors.length] as string)
      : (chat[i % chat.length] as string);
    messages.push({ kind: 'message', text, answered: tokenError });
  }
  return { commands, messages };
}

// ---------------------------------------------------------------------------------------------
// Servers

interface Target {
  label: string;
  kind: 'bare' | 'tokenfix';
  engine: 'sqlite' | 'postgres' | null;
}

interface Running {
  target: Target;
  child: ChildProcess;
  port: number;
  fake: FakeSlack;
  agent: Agent;
  exit: Promise<number | null>;
  stderr: string[];
  /** Warnings and errors it logged after start-up: how many, and the first few messages. */
  logProblems: { count: number; first: string[] };
  /** Where its store lives (tokenfix), to check that the store was really opened. */
  store: { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string } | null;
}

const now = (): number => performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function peakRssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) the process has used so far, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function startServer(
  target: Target,
  env: Record<string, string>,
  workdir: string,
  profileDir: string | null,
  profileName: string,
): Promise<Omit<Running, 'store'>> {
  const fake = await FakeSlack.start({ now });
  const entry = target.kind === 'bare' ? join(DIST, 'bench', 'bare-bolt.js') : join(DIST, 'index.js');
  const nodeArgs = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${profileName}.cpuprofile`]
    : [];
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: workdir, // no .env of the developer's is read
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.url,
      PORT: '0',
      // Diagnostics for tokenfix only (e.g. --require a tracing script).
      ...(target.kind === 'tokenfix' && process.env.BENCH_TOKENFIX_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_TOKENFIX_NODE_OPTIONS }
        : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stderr: string[] = [];
  const logProblems = { count: 0, first: [] as string[] };
  let rest = '';
  const watch = (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"level":"warn"') && !line.includes('"level":"error"')) continue;
      logProblems.count++;
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 80);
      if (logProblems.first.length < 3 && !logProblems.first.includes(msg)) logProblems.first.push(msg);
    }
  };
  child.stderr?.on('data', (c: Buffer) => {
    if (stderr.length < 50) stderr.push(c.toString());
  });
  // The port from the 'listening' line; tokenfix is ready once its token is verified ('ready').
  const port = await new Promise<number>((resolve, reject) => {
    let partial = '';
    let port = 0;
    const timer = setTimeout(() => {
      // It never said it was ready: it must not outlive the bench.
      child.kill('SIGKILL');
      reject(new Error(`${target.label} did not start: ${stderr.join('').slice(0, 500)}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${target.label} exited (${code}) while starting: ${stderr.join('').slice(0, 500)}`));
    });
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        let msg: { msg?: string; port?: number } = {};
        try {
          msg = JSON.parse(line) as typeof msg;
        } catch {
          continue;
        }
        if (msg.msg === 'listening' && typeof msg.port === 'number') port = msg.port;
        if (port && (target.kind === 'bare' || msg.msg === 'ready')) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stdout?.on('data', watch); // keep draining its log, noting warnings and errors
          resolve(port);
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
  });
  // Slack reuses connections; so does this client, at most `concurrency` of them.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return { target, child, port, fake, agent, exit, stderr, logProblems };
}

async function stopServer(s: Running): Promise<void> {
  s.child.kill('SIGTERM');
  const code = await Promise.race([s.exit, sleep(15_000).then(() => 'timeout' as const)]);
  if (code === 'timeout') s.child.kill('SIGKILL');
  s.agent.destroy();
  await s.fake.close();
}

/** True when tokenfix really opened the store DATABASE_URL names (sqlite file / tables in the database). */
async function storeOpened(s: Running): Promise<boolean> {
  if (!s.store) return false;
  if (s.store.engine === 'sqlite') return existsSync(s.store.file);
  const client = new Client({ connectionString: s.store.url });
  await client.connect();
  try {
    const r = await client.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    return (r.rows[0] as { n: number }).n > 0;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Sending

interface Sent {
  spec: Spec;
  /** response_url id (commands) or message ts (messages): how its reply is found. */
  key: string;
  body: string;
  type: BodyKind;
  sentAt: number;
  ackAt: number;
  status: number;
  replies: number[];
}

function post(s: Running, item: Sent): Promise<void> {
  const headers = signedHeaders(SECRET, item.body, item.type);
  return new Promise((resolve) => {
    item.sentAt = now();
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        method: 'POST',
        path: '/slack/events',
        agent: s.agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(item.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          item.ackAt = now();
          item.status = res.statusCode ?? 0;
          resolve();
        });
      },
    );
    req.on('error', () => {
      item.ackAt = now();
      item.status = 0;
      resolve();
    });
    req.end(item.body);
  });
}

function build(s: Running, spec: Spec): Sent {
  if (spec.kind === 'command') {
    const key = nextId('c');
    const { body, type } = encodeBody('command', slashCommand(spec.text, s.fake.responseUrl(key)));
    return { spec, key, body, type, sentAt: 0, ackAt: 0, status: 0, replies: [] };
  }
  const ts = nextTs();
  const { body, type } = encodeBody('event', eventCallback(messageEvent({ ts, text: spec.text })));
  return { spec, key: ts, body, type, sentAt: 0, ackAt: 0, status: 0, replies: [] };
}

/** Reads what reached a fake Slack since last time; attributes replies to the requests. */
class Collector {
  private calls = 0;
  private posts = 0;
  readonly byKey = new Map<string, Sent>();
  /** Posts that answer nothing we sent (or the bot's own start-up calls after `reset`). */
  unexpected = 0;

  constructor(private readonly fake: FakeSlack) {}

  /** Forget start-up calls (auth.test) and warm-up traffic. */
  reset(): void {
    this.calls = this.fake.calls.length;
    this.posts = this.fake.responseUrlPosts.length;
    this.byKey.clear();
    this.unexpected = 0;
  }

  collect(): void {
    const posts = this.fake.responseUrlPosts;
    for (; this.posts < posts.length; this.posts++) {
      const p = posts[this.posts];
      if (!p) continue;
      const sent = this.byKey.get(p.id);
      if (sent && p.status === 200) sent.replies.push(p.at);
      else this.unexpected++;
    }
    const calls = this.fake.calls;
    for (; this.calls < calls.length; this.calls++) {
      const c = calls[this.calls];
      if (!c) continue;
      const key =
        c.method === 'chat.postMessage'
          ? c.body.thread_ts
          : c.method === 'reactions.add'
            ? c.body.timestamp
            : undefined;
      const sent = typeof key === 'string' ? this.byKey.get(key) : undefined;
      if (sent && c.ok) sent.replies.push(c.at);
      else this.unexpected++;
    }
  }
}

/** One round: `items` to one server at `concurrency`; resolves when every expected reply arrived. */
async function runRound(
  s: Running,
  collector: Collector,
  items: Sent[],
  concurrency: number,
  expected: (item: Sent) => boolean,
): Promise<{ start: number; end: number; missing: number }> {
  for (const item of items) collector.byKey.set(item.key, item);
  const start = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (;;) {
        const item = items[next++];
        if (!item) return;
        await post(s, item);
      }
    }),
  );
  const deadline = now() + 30_000;
  const waiting = items.filter(expected);
  for (;;) {
    collector.collect();
    if (waiting.every((i) => i.replies.length > 0) || now() > deadline) break;
    await sleep(1);
  }
  let end = 0;
  for (const i of items) end = Math.max(end, i.ackAt, i.replies[0] ?? 0);
  return { start, end, missing: waiting.filter((i) => i.replies.length === 0).length };
}

// ---------------------------------------------------------------------------------------------
// Figures

interface PhaseStats {
  requests: number;
  ackP50: number;
  ackP99: number;
  replies: number;
  replyP50: number;
  replyP99: number;
  throughput: number;
  /** Server CPU time (user + system) per request, ms. */
  cpuPerRequest: number;
  /** Acks that were not HTTP 200. */
  failedAcks: number;
  /** Expected replies that never came; replies that came twice. */
  missing: number;
  doubled: number;
}

interface ServerResult {
  label: string;
  commands: PhaseStats;
  messages: PhaseStats;
  peakRssMb: number;
  /** Posts that answered nothing sent, Block Kit problems, log lines on stderr. */
  unexpected: number;
  violations: number;
  /** Warnings and errors in its log during the run. */
  logProblems: number;
  logSample: string[];
}

interface RunResult {
  run: number;
  servers: ServerResult[];
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

function phaseStats(
  items: Sent[],
  activeMs: number,
  cpu: number,
  expected: (i: Sent) => boolean,
): PhaseStats {
  const acks = items.map((i) => i.ackAt - i.sentAt);
  const answered = items.filter((i) => i.replies.length > 0);
  const replies = answered.map((i) => (i.replies[0] as number) - i.sentAt);
  return {
    requests: items.length,
    ackP50: quantile(acks, 0.5),
    ackP99: quantile(acks, 0.99),
    replies: answered.length,
    replyP50: quantile(replies, 0.5),
    replyP99: quantile(replies, 0.99),
    throughput: items.length / (activeMs / 1000),
    cpuPerRequest: cpu / items.length,
    failedAcks: items.filter((i) => i.status !== 200).length,
    missing: items.filter((i) => expected(i) && i.replies.length === 0).length,
    doubled: items.filter((i) => i.replies.length > 1).length,
  };
}

const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '—');
const pad = (s: string, n: number): string => s.padStart(n);
const padEnd = (s: string, n: number): string => s.padEnd(n);

function printRun(r: RunResult, out: (line: string) => void): void {
  out(
    `${padEnd('', 10)}${padEnd('server', 20)}${pad('ack p50', 9)}${pad('ack p99', 9)}${pad('reply p50', 11)}${pad('reply p99', 11)}${pad('req/s', 9)}${pad('replies', 9)}${pad('CPU/req', 9)}${pad('peak RSS', 10)}`,
  );
  for (const phase of ['commands', 'messages'] as const) {
    r.servers.forEach((s, i) => {
      const p = s[phase];
      out(
        `${padEnd(i === 0 ? phase : '', 10)}${padEnd(s.label, 20)}${pad(f1(p.ackP50), 9)}${pad(f1(p.ackP99), 9)}${pad(f1(p.replyP50), 11)}${pad(f1(p.replyP99), 11)}${pad(p.throughput.toFixed(0), 9)}${pad(String(p.replies), 9)}${pad(f1(p.cpuPerRequest), 9)}${pad(`${s.peakRssMb.toFixed(1)} MB`, 10)}`,
      );
    });
  }
  const problems = r.servers.flatMap((s) =>
    [
      ...(['commands', 'messages'] as const).flatMap((ph) => [
        s[ph].failedAcks ? `${s.label} ${ph}: ${s[ph].failedAcks} acks not 200` : '',
        s[ph].missing ? `${s.label} ${ph}: ${s[ph].missing} replies missing` : '',
        s[ph].doubled ? `${s.label} ${ph}: ${s[ph].doubled} replies doubled` : '',
      ]),
      s.unexpected ? `${s.label}: ${s.unexpected} posts answering nothing sent` : '',
      s.violations ? `${s.label}: ${s.violations} Block Kit problems` : '',
      s.logProblems ? `${s.label}: ${s.logProblems} warnings/errors logged (${s.logSample.join('; ')})` : '',
    ].filter(Boolean),
  );
  out(
    problems.length
      ? `problems: ${problems.join('; ')}`
      : 'every request acked 200; every reply arrived once',
  );
}

interface Ratio {
  label: string;
  name: string;
  target: number;
  value: number;
}

function ratios(r: RunResult): Ratio[] {
  const bare = r.servers.find((s) => s.label === 'bare Bolt');
  if (!bare) return [];
  const out: Ratio[] = [];
  for (const s of r.servers) {
    if (s === bare) continue;
    for (const phase of ['commands', 'messages'] as const) {
      out.push({
        label: s.label,
        name: `${phase} ack p99`,
        target: TARGETS.ackP99,
        value: s[phase].ackP99 / bare[phase].ackP99,
      });
      out.push({
        label: s.label,
        name: `${phase} reply p99`,
        target: TARGETS.replyP99,
        value: s[phase].replyP99 / bare[phase].replyP99,
      });
    }
    out.push({ label: s.label, name: 'peak RSS', target: TARGETS.rss, value: s.peakRssMb / bare.peakRssMb });
  }
  return out;
}

function printRatios(list: Ratio[], out: (line: string) => void): void {
  for (const x of list) {
    const ok = x.value <= x.target;
    out(
      `  ${padEnd(x.label, 18)} ${padEnd(x.name, 20)} ${pad(`${x.value.toFixed(2)}×`, 7)}  target ≤ ${x.target}×  ${ok ? 'met' : 'MISSED'}`,
    );
  }
}

function printSummary(results: RunResult[], out: (line: string) => void): void {
  const first = results[0];
  if (!first) return;
  const mmm = (values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    const med = sorted[Math.floor((sorted.length - 1) / 2)] as number;
    return `${f1(sorted[0] as number)} / ${f1(med)} / ${f1(sorted.at(-1) as number)}`;
  };
  out(`\n== summary over ${results.length} run(s): min / median / max (latencies in ms)`);
  for (const [si, s] of first.servers.entries()) {
    out(`${s.label}`);
    for (const phase of ['commands', 'messages'] as const) {
      const pick = (f: (p: PhaseStats) => number) =>
        mmm(results.map((r) => f((r.servers[si] as ServerResult)[phase])));
      out(
        `  ${padEnd(phase, 9)} ack p50 ${pick((p) => p.ackP50)} | ack p99 ${pick((p) => p.ackP99)} | reply p50 ${pick((p) => p.replyP50)} | reply p99 ${pick((p) => p.replyP99)} | req/s ${pick((p) => p.throughput)} | CPU ms/req ${pick((p) => p.cpuPerRequest)}`,
      );
    }
    out(`  peak RSS ${mmm(results.map((r) => (r.servers[si] as ServerResult).peakRssMb))} MB`);
  }
  out('ratios vs bare Bolt (min / median / max):');
  const all = results.map(ratios);
  (all[0] ?? []).forEach((x, i) => {
    const values = all.map((list) => (list[i] as Ratio).value).sort((a, b) => a - b);
    const med = values[Math.floor((values.length - 1) / 2)] as number;
    const worst = values.at(-1) as number;
    const verdict = med <= x.target ? (worst <= x.target ? 'met in every run' : 'met (median)') : 'MISSED';
    out(
      `  ${padEnd(x.label, 18)} ${padEnd(x.name, 20)} ${(values[0] as number).toFixed(2)}× / ${med.toFixed(2)}× / ${worst.toFixed(2)}×  target ≤ ${x.target}×  ${verdict}`,
    );
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  if (!existsSync(join(DIST, 'index.js')) || !existsSync(join(DIST, 'bench', 'bare-bolt.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const { commands, messages } = traffic(opts);
  const work = mkdtempSync(join(tmpdir(), 'tokenfix-bench-'));
  const replyTextsFile = join(work, 'bare-reply-texts.json');
  // All messages go to one channel, far above the per-channel passive reply cap (a backstop against
  // loops, not what is measured here): raise it so every token error is answered as before.
  const knowledgeFile = join(work, 'bench-knowledge.yml');
  writeFileSync(knowledgeFile, 'settings:\n  passiveRepliesPerMinute: 600\n');
  writeFileSync(
    replyTextsFile,
    JSON.stringify([...new Set(messages.filter((m) => m.answered).map((m) => m.text))]),
  );
  if (opts.cpuProf) mkdirSync(opts.cpuProf, { recursive: true });

  let pg: PostgresServer | null = null;
  let pgAdmin = process.env.BENCH_POSTGRES_URL ?? null;
  const engines = [...opts.engines];
  if (engines.includes('postgres') && !pgAdmin) {
    try {
      pg = await startPostgres({ durable: true });
      pgAdmin = pg.adminUrl;
    } catch (error) {
      out(`!! PostgreSQL unavailable (${(error as Error).message}); running without it`);
      engines.splice(engines.indexOf('postgres'), 1);
    }
  }
  const children: Running[] = [];
  const killAll = () => {
    for (const c of children) c.child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  process.on('SIGINT', () => process.exit(130));

  out(`tokenfix end-to-end benchmark — node ${process.version}, ${process.platform}/${process.arch}`);
  out(
    `traffic per server and run: ${opts.commands} slash commands, then ${opts.messages} channel messages (${messages.filter((m) => m.answered).length} token errors), concurrency ${opts.concurrency}, rounds of ${opts.round} after ${opts.warmup} warm-up requests per phase, ${opts.runs} run(s); bare Bolt answers ${opts.bareReplies === 'same' ? 'the same messages tokenfix answers' : 'every message'}`,
  );

  let storeWired: boolean | null = null;
  const results: RunResult[] = [];
  try {
    for (let run = 1; run <= opts.runs; run++) {
      const runDir = mkdtempSync(join(work, `run${run}-`));
      const targets: Array<Target & { env: Record<string, string>; store: Running['store'] }> = [
        {
          label: 'bare Bolt',
          kind: 'bare',
          engine: null,
          env: opts.bareReplies === 'same' ? { BARE_REPLY_TEXTS: replyTextsFile } : {},
          store: null,
        },
      ];
      const tokenfixEngines = storeWired === false ? (['sqlite'] as const) : engines;
      for (const engine of tokenfixEngines) {
        if (engine === 'sqlite') {
          const file = join(runDir, 'tokenfix.db');
          targets.push({
            label: storeWired === false ? 'tokenfix' : 'tokenfix sqlite',
            kind: 'tokenfix',
            engine,
            env: { DATABASE_URL: `sqlite:${file}`, KNOWLEDGE_PATH: knowledgeFile },
            store: { engine, file },
          });
        } else {
          const name = `bench_${run}_${Date.now().toString(36)}`;
          const admin = new Client({ connectionString: pgAdmin as string });
          await admin.connect();
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.end();
          const url = new URL(pgAdmin as string);
          url.pathname = `/${name}`;
          targets.push({
            label: 'tokenfix postgres',
            kind: 'tokenfix',
            engine,
            env: { DATABASE_URL: url.toString(), KNOWLEDGE_PATH: knowledgeFile },
            store: { engine, url: url.toString() },
          });
        }
      }
      const servers: Running[] = [];
      for (const t of targets) {
        const started = await startServer(
          t,
          t.env,
          runDir,
          opts.cpuProf,
          `${t.label.replace(/ /g, '-')}-run${run}`,
        );
        const s: Running = { ...started, store: t.store };
        servers.push(s);
        children.push(s);
      }
      if (storeWired === null) {
        const tf = servers.filter((s) => s.target.kind === 'tokenfix');
        const opened = await Promise.all(tf.map(storeOpened));
        storeWired = opened.every(Boolean);
        if (!storeWired) {
          out(
            '!! tokenfix did not open the store DATABASE_URL names (this build does not read DATABASE_URL yet): it runs without a store, measured once',
          );
          for (const s of tf.slice(1)) {
            await stopServer(s);
            servers.splice(servers.indexOf(s), 1);
          }
          const only = servers.find((s) => s.target.kind === 'tokenfix');
          if (only) only.target = { ...only.target, label: 'tokenfix' };
        } else {
          out(
            `store: tokenfix opened ${tf.map((s) => s.target.engine).join(' and ')} (checked after start-up)`,
          );
        }
      }
      out(`\n== run ${run}/${opts.runs}`);

      const collectors = servers.map((s) => new Collector(s.fake));
      const expected = (i: Sent) => i.spec.answered;
      const results1: ServerResult[] = servers.map((s) => ({
        label: s.target.label,
        commands: undefined as unknown as PhaseStats,
        messages: undefined as unknown as PhaseStats,
        peakRssMb: 0,
        unexpected: 0,
        violations: 0,
        logProblems: 0,
        logSample: [],
      }));
      for (const phase of ['commands', 'messages'] as const) {
        const specs = phase === 'commands' ? commands : messages;
        // Warm-up (JIT, connection pools, caches): not counted. A server runs for days; the figures are
        // for a warm one.
        for (let done = 0; done < opts.warmup; done += opts.round) {
          const from = done % specs.length;
          for (const [i, s] of servers.entries()) {
            const items = specs.slice(from, from + opts.round).map((sp) => build(s, sp));
            await runRound(s, collectors[i] as Collector, items, opts.concurrency, expected);
          }
        }
        for (const c of collectors) c.reset();
        const sent: Sent[][] = servers.map(() => []);
        const active = servers.map(() => 0);
        const cpuBefore = servers.map((s) => cpuMs(s.child.pid));
        let roundNo = 0;
        for (let offset = 0; offset < specs.length; offset += opts.round, roundNo++) {
          const slice = specs.slice(offset, offset + opts.round);
          for (let k = 0; k < servers.length; k++) {
            const i = (roundNo + k) % servers.length;
            const s = servers[i] as Running;
            const items = slice.map((sp) => build(s, sp));
            const r = await runRound(s, collectors[i] as Collector, items, opts.concurrency, expected);
            (sent[i] as Sent[]).push(...items);
            active[i] = (active[i] as number) + (r.end - r.start);
          }
        }
        // Late doubles, if any, arrive within this.
        await sleep(300);
        servers.forEach((s, i) => {
          const c = collectors[i] as Collector;
          c.collect();
          const res = results1[i] as ServerResult;
          const cpu = cpuMs(s.child.pid) - (cpuBefore[i] as number);
          res[phase] = phaseStats(sent[i] as Sent[], active[i] as number, cpu, expected);
          res.unexpected += c.unexpected;
          c.reset();
        });
      }
      for (const [i, s] of servers.entries()) {
        const res = results1[i] as ServerResult;
        res.peakRssMb = peakRssMb(s.child.pid);
        res.violations = s.fake.violations.length;
        res.logProblems = s.logProblems.count;
        res.logSample = s.logProblems.first;
      }
      for (const s of servers) {
        await stopServer(s);
        children.splice(children.indexOf(s), 1);
      }
      const result: RunResult = { run, servers: results1 };
      results.push(result);
      printRun(result, out);
      out('ratios vs bare Bolt:');
      printRatios(ratios(result), out);
    }
  } finally {
    killAll();
    pg?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  printSummary(results, out);
  if (storeWired === false) out('note: tokenfix ran without a store (DATABASE_URL not read by this build)');
  if (opts.cpuProf) out(`CPU profiles: ${opts.cpuProf}`);
  if (opts.json)
    writeFileSync(opts.json, `${JSON.stringify({ options: opts, storeWired, results }, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
