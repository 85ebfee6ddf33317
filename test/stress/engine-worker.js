/**
 * Worker for engine-hostile.test.ts: generates its share of the random and adversarial inputs from a
 * seed (so a failure can be replayed), runs analyze() and renderCard() (the built code in dist/) on each,
 * and reports progress through a shared counter so the main thread can tell a hang from slow work.
 * Messages out: { type: 'calibrated', expectedMs }, { type: 'problem', index, kind, detail, text },
 * { type: 'done', count, maxMs, maxIndex, over, totalMs }.
 */
const { parentPort, workerData } = require('node:worker_threads');
const { join } = require('node:path');
const fc = require('fast-check');

const dist = join(__dirname, '..', '..', 'dist');
const { analyze } = require(join(dist, 'diagnosis', 'diagnose'));
const { loadKnowledge } = require(join(dist, 'diagnosis', 'knowledge'));
const { renderCard } = require(join(dist, 'cards'));
const { CAUSE_IDS } = require(join(dist, 'diagnosis', 'types'));

const { seed, count, progress, positives, boundFactor, minBoundMs } = workerData;
const counter = new Int32Array(progress);
const knowledge = loadKnowledge();

/** Pieces the patterns look for, so repetitions of them exercise the regular expressions. */
const FRAGMENTS = [
  'token ',
  'access_token=',
  'Error validating access token',
  'AADSTS',
  'code 190, error_subcode ',
  'invalid_grant',
  '"code":',
  '(#',
  '\\',
  '\\n',
  'a-',
  'https://',
  '<@U',
  '<https://x.y|',
  '&amp;',
  'eyJ',
  'xoxb-',
  '-----BEGIN PRIVATE KEY-----',
  'Bearer ',
  'password=',
  '1//',
  '4/0',
  'AKIA',
  '8Q~',
  'has expired ',
  'two-factor ',
  '```',
  '> ',
  '2024-01-01T00:00:00Z ERROR ',
  ' ',
  '\t',
  '\u0000',
  '\ud800',
  '\udc00',
  '🔑',
  'é',
];
const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat(
  Array.from({ length: 33 }, (_, i) => String.fromCharCode(0x7f + i)),
);

const repetition = fc
  .tuple(
    fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 3 }),
    fc.integer({ min: 100, max: 40_000 }),
  )
  .map(([parts, length]) =>
    parts
      .join('')
      .repeat(Math.ceil(length / parts.join('').length))
      .slice(0, length),
  );

const forty = fc
  .tuple(fc.constantFrom(...positives), fc.string({ unit: 'binary', minLength: 50, maxLength: 200 }))
  .map(([error, noise]) => {
    let text = `${error}\n`;
    while (text.length < 40_000) text += `${noise}\n`;
    return text.slice(0, 40_000);
  });

const controls = fc
  .array(fc.oneof(fc.constantFrom(...CONTROL), fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 10 })), {
    maxLength: 400,
  })
  .map((parts) => parts.join(''));

const surrogates = fc
  .tuple(
    fc.constantFrom(...positives),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ud83d')), {
      maxLength: 20,
    }),
  )
  .map(([text, inserts]) => {
    let t = text;
    for (const [at, s] of inserts) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + s + t.slice(i);
    }
    return t;
  });

const mutatedPositive = fc
  .tuple(
    fc.constantFrom(...positives),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...FRAGMENTS)), { maxLength: 30 }),
  )
  .map(([text, inserts]) => {
    let t = text;
    for (const [at, s] of inserts) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + s + t.slice(i);
    }
    return t;
  });

const input = fc.oneof(
  { weight: 30, arbitrary: fc.string({ unit: 'binary', maxLength: 2_000 }) },
  { weight: 15, arbitrary: fc.string({ unit: 'grapheme', maxLength: 500 }) },
  { weight: 15, arbitrary: repetition },
  { weight: 5, arbitrary: forty },
  { weight: 10, arbitrary: controls },
  { weight: 10, arbitrary: surrogates },
  { weight: 15, arbitrary: mutatedPositive },
);

function check(text) {
  const { diagnosis: d, excerpt } = analyze(text, knowledge);
  if (typeof d.isTokenError !== 'boolean') return 'isTokenError not a boolean';
  if (d.isTokenError && !CAUSE_IDS.includes(d.cause)) return `cause ${d.cause}`;
  if (!d.isTokenError && d.cause !== null) return 'cause without a token error';
  if (!(d.confidence >= 0 && d.confidence <= 1)) return `confidence ${d.confidence}`;
  const card = renderCard(knowledge, d, { excerpt });
  if (typeof card.text !== 'string' || card.text.trim() === '') return 'card without text';
  if (!Array.isArray(card.blocks) || card.blocks.length > 50)
    return `card with ${card.blocks?.length} blocks`;
  JSON.stringify(card);
  return null;
}

function time(text) {
  const start = process.hrtime.bigint();
  const problem = check(text);
  return { problem, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

// Calibrate: what a 40,000-character log with one error costs here, warmed up.
const sample = fc.sample(forty, { numRuns: 5, seed: 1 });
for (let i = 0; i < 3; i++) for (const s of sample) check(s);
const times = sample.flatMap((s) => [time(s).ms, time(s).ms]).sort((a, b) => a - b);
const expectedMs = times[Math.floor(times.length / 2)];
const boundMs = Math.max(minBoundMs, boundFactor * expectedMs);
parentPort.postMessage({ type: 'calibrated', expectedMs, boundMs });

const inputs = fc.sample(input, { numRuns: count, seed });
let maxMs = 0;
let maxIndex = -1;
let totalMs = 0;
const over = [];
for (let i = 0; i < inputs.length; i++) {
  Atomics.store(counter, 0, i + 1);
  const text = inputs[i];
  let result;
  try {
    result = time(text);
  } catch (error) {
    parentPort.postMessage({
      type: 'problem',
      index: i,
      kind: 'threw',
      detail: String(error?.stack ?? error).slice(0, 500),
      text: text.slice(0, 300),
    });
    continue;
  }
  totalMs += result.ms;
  if (result.ms > maxMs) {
    maxMs = result.ms;
    maxIndex = i;
  }
  if (result.problem)
    parentPort.postMessage({
      type: 'problem',
      index: i,
      kind: 'contract',
      detail: result.problem,
      text: text.slice(0, 300),
    });
  if (result.ms > boundMs)
    over.push({ index: i, ms: result.ms, length: text.length, head: text.slice(0, 120) });
}
Atomics.store(counter, 0, -1);
parentPort.postMessage({
  type: 'done',
  count: inputs.length,
  maxMs,
  maxIndex,
  maxLength: inputs[maxIndex]?.length ?? 0,
  over,
  totalMs,
});
