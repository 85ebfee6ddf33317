/**
 * The real program (node dist/index.js) as a child process in HTTP mode, for tests that need the
 * process itself: SIGTERM, exit codes, a store that dies under it. Its JSON log lines are collected.
 * dist/ must be built (`npm test` and `npm run test:stress` build it first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BOT_TOKEN, type FakeSlack } from './fake-slack';

export const ENTRY = join(__dirname, '..', '..', 'dist', 'index.js');
export const PROCESS_SECRET = 'spawned-bot-signing-secret-5d41402a';

export interface SpawnedBot {
  child: ChildProcess;
  port: number;
  base: string;
  /** Parsed log lines (stdout), in order. */
  logs: Array<Record<string, unknown>>;
  stderr: () => string;
  exit: Promise<number | null>;
  /** Resolves with the first log line whose `msg` is `msg` (and that passes `where`). */
  line(
    msg: string,
    timeoutMs?: number,
    where?: (l: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  kill(): void;
}

export async function spawnBot(
  fake: FakeSlack,
  cwd: string,
  env: Record<string, string> = {},
): Promise<SpawnedBot> {
  if (!existsSync(ENTRY))
    throw new Error(`${ENTRY} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: PROCESS_SECRET,
      SLACK_API_URL: fake.url,
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let partial = '';
  child.stdout?.on('data', (c: Buffer) => {
    const lines = (partial + c.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: '(not JSON)', line });
      }
    }
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line: SpawnedBot['line'] = async (msg, timeoutMs = 15_000, where = () => true) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = logs.find((l) => l.msg === msg && where(l));
      if (found) return found;
      if (Date.now() > until || child.exitCode !== null)
        throw new Error(`no "${msg}" log line (exit ${child.exitCode}); stderr: ${stderr.slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const listening = await line('listening');
  await line('ready');
  const port = Number(listening.port);
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    logs,
    stderr: () => stderr,
    exit,
    line,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
