/**
 * The classifier and the card renderer on 100,000 random and adversarial inputs: random unicode (lone
 * surrogates included), control characters, repetitions of the very fragments the patterns look for
 * up to 40,000 characters, 40,000-character logs, corpus errors with hostile fragments spliced in.
 * Each input must give a contract-shaped diagnosis and a card, without throwing.
 *
 * A hang guard, not a speed claim (speed is `npm run bench:diagnose`): each worker first times a
 * 40,000-character log with one error (the most a message holds); no input may take more than 100×
 * that (at least 1 s). The inputs run in worker threads that report progress through shared memory,
 * so a true hang (a catastrophic regular expression never returns) is caught and named by the main
 * thread, which terminates the worker, instead of freezing the test run.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { positives } from '../support/corpus';

const TOTAL = 100_000;
const BOUND_FACTOR = 100;
const MIN_BOUND_MS = 1_000;

interface Done {
  type: 'done';
  count: number;
  maxMs: number;
  maxIndex: number;
  maxLength: number;
  totalMs: number;
  over: Array<{ index: number; ms: number; length: number; head: string }>;
}
interface Problem {
  type: 'problem';
  index: number;
  kind: string;
  detail: string;
  text: string;
}

function run(
  seed: number,
  count: number,
): Promise<{ done: Done | null; problems: Problem[]; hung: string | null; boundMs: number }> {
  const progress = new SharedArrayBuffer(4);
  const counter = new Int32Array(progress);
  const worker = new Worker(join(__dirname, 'engine-worker.js'), {
    workerData: {
      seed,
      count,
      progress,
      positives: positives().map((p) => p.text),
      boundFactor: BOUND_FACTOR,
      minBoundMs: MIN_BOUND_MS,
    },
  });
  const problems: Problem[] = [];
  let boundMs = MIN_BOUND_MS;
  return new Promise((resolve) => {
    let last = 0;
    let lastChange = Date.now();
    let settled = false;
    const finish = (done: Done | null, hung: string | null) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      void worker.terminate();
      resolve({ done, problems, hung, boundMs });
    };
    // A hang: the same input for far longer than the bound (calibration and start-up get a minute).
    const watchdog = setInterval(() => {
      const now = Atomics.load(counter, 0);
      if (now !== last) {
        last = now;
        lastChange = Date.now();
        return;
      }
      const limit = now === 0 ? 60_000 : boundMs * 5;
      if (now > 0 && Date.now() - lastChange > limit)
        finish(null, `seed ${seed}: input #${now - 1} still running after ${Date.now() - lastChange} ms`);
      else if (now === 0 && Date.now() - lastChange > limit) finish(null, `seed ${seed}: no progress at all`);
    }, 100);
    worker.on('message', (message: unknown) => {
      const m = message as { type: string; boundMs?: number };
      if (m.type === 'calibrated') boundMs = m.boundMs ?? boundMs;
      else if (m.type === 'problem') problems.push(m as Problem);
      else if (m.type === 'done') finish(m as Done, null);
    });
    worker.on('error', (error) => {
      problems.push({ type: 'problem', index: -1, kind: 'worker error', detail: String(error), text: '' });
      finish(null, null);
    });
  });
}

test(`${TOTAL.toLocaleString('en')} random and adversarial inputs: contract-shaped, none past the hang guard`, async () => {
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  const share = Math.ceil(TOTAL / workers);
  const results = await Promise.all(Array.from({ length: workers }, (_, i) => run(1000 + i, share)));
  for (const r of results) {
    expect(r.hung).toBeNull();
    expect(r.problems).toEqual([]);
    expect(r.done?.over).toEqual([]);
  }
  const done = results.map((r) => r.done as Done);
  expect(done.reduce((n, d) => n + d.count, 0)).toBeGreaterThanOrEqual(TOTAL);
  const worst = done.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
  // For the record (not a claim): the slowest input and the bound it was held to.
  console.log(
    `engine: ${done.reduce((n, d) => n + d.count, 0)} inputs in ${workers} workers; slowest ${worst.maxMs.toFixed(1)} ms (${worst.maxLength} chars); bound ${results[0]?.boundMs.toFixed(0)} ms`,
  );
}, 600_000);
