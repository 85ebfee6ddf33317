/**
 * Running the built program (node dist/index.js) as a child process with a chosen environment, for
 * the start-up tests: its stdout JSON log lines, stderr and exit code.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const ENTRY = join(ROOT, 'dist', 'index.js');

function newest(dir: string): number {
  return readdirSync(dir).reduce((latest, name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return Math.max(latest, st.isDirectory() ? newest(path) : st.mtimeMs);
  }, 0);
}

/** The suite runs the built program; build it when dist/ is missing or older than src/. */
export function ensureBuilt(): void {
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

export interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string;
  exit: Promise<number | null>;
}

/** `entry`: another built copy of the bot (a test that damages a file of its own copy). */
export function run(env: Record<string, string>, cwd: string, entry = ENTRY): Run {
  const child = spawn(process.execPath, [entry], {
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

export async function waitForLine(r: Run, msg: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
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
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
