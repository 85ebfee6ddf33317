/**
 * `npm start` in OAuth mode as a real child process (node dist/index.js): no SLACK_BOT_TOKEN needed,
 * the install page served, and a TOKEN_ENCRYPTION_KEY that is not the one the store's installations were
 * sealed with stops the start with one clear line.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WRONG_KEY_MESSAGE } from '../../src/oauth/crypto';
import { CLIENT_ID, CLIENT_SECRET, STATE_SECRET } from '../support/fake-oauth';
import { FakeSlack } from '../support/fake-slack';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'dist', 'index.js');

function newest(dir: string): number {
  return readdirSync(dir).reduce((latest, name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return Math.max(latest, st.isDirectory() ? newest(path) : st.mtimeMs);
  }, 0);
}

function ensureBuilt(): void {
  if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= newest(join(ROOT, 'src'))) return;
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
}

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string;
  exit: Promise<number | null>;
}

function run(env: Record<string, string>, cwd: string): Run {
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'pipe',
  });
  const r: Run = {
    child,
    stdout: [],
    stderr: '',
    exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  let partial = '';
  child.stdout?.on('data', (c: Buffer) => {
    const lines = (partial + c.toString()).split('\n');
    partial = lines.pop() ?? '';
    r.stdout.push(...lines);
  });
  child.stderr?.on('data', (c: Buffer) => {
    r.stderr += c.toString();
  });
  return r;
}

async function waitForLine(r: Run, msg: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const line of r.stdout) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === msg) return parsed;
      } catch {
        // not a log line
      }
    }
    if (Date.now() > until) throw new Error(`no "${msg}" log line; stderr: ${r.stderr}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('npm start in OAuth mode (child process)', () => {
  let fake: FakeSlack;
  let cwd: string;
  const running: Run[] = [];
  beforeAll(async () => {
    ensureBuilt();
    fake = await FakeSlack.start();
    cwd = mkdtempSync(join(tmpdir(), 'tokenfix-oauth-proc-'));
  });
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await fake.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  const env = (key: string) => ({
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    TOKEN_ENCRYPTION_KEY: key,
    SLACK_SIGNING_SECRET: 'process-oauth-signing-secret',
    SLACK_API_URL: fake.url,
    DATABASE_URL: 'sqlite:./state/tokenfix.db',
    PORT: '0',
  });

  it('starts without SLACK_BOT_TOKEN, serves the install page, stops on SIGTERM; another key then stops the start with one line', async () => {
    const first = run(env(Buffer.alloc(32, 1).toString('base64')), cwd);
    running.push(first);
    const listening = await waitForLine(first, 'listening');
    await waitForLine(first, 'ready');
    const page = await fetch(`http://127.0.0.1:${String(listening.port)}/slack/install`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`client_id=${CLIENT_ID}`);
    expect(fake.callsTo('auth.test')).toHaveLength(0);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = run(env(Buffer.alloc(32, 2).toString('base64')), cwd);
    running.push(second);
    expect(await second.exit).toBe(1);
    expect(second.stderr.trim()).toBe(WRONG_KEY_MESSAGE);
  });
});
