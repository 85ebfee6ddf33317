/**
 * npm run calibrate — measures how often each decision path of the rules named an accepted cause on
 * the first readings of the corpus's tune split (test/fixtures/first-readings.yml: each batch as the
 * rules read it before any rule was written from it; never the blind split) and writes the confidence
 * each path states to knowledge/calibration.yml. Deterministic, no network, seconds. Re-run it after a
 * new batch's first reading (`npm run first-reading`) or a label's correction. It also prints today's
 * rules on the same tune items, for comparison only: the rules were written from them.
 *
 *   node dist/bench/calibrate.js [--out FILE]
 *
 * The header's date is today's, or SOURCE_DATE_EPOCH's (seconds) when set, for reproducible output.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_CONFIDENCE, DECISION_PATHS, type DecisionPath } from '../diagnosis/confidence';
import { BUILT_IN_KNOWLEDGE_DIR, loadKnowledge } from '../diagnosis/knowledge';
import { calibration, calibrationYaml, countPaths } from '../eval/calibration';
import { isPositive, loadCorpus } from '../eval/corpus';
import { countFirstReadings, loadFirstReadings, passiveOperatingPoints } from '../eval/first-readings';

function outPath(argv: string[]): string {
  const at = argv.indexOf('--out');
  if (at < 0) return join(BUILT_IN_KNOWLEDGE_DIR, 'calibration.yml');
  const file = argv[at + 1];
  if (!file) {
    console.error('usage: calibrate [--out FILE]');
    process.exit(2);
  }
  return file;
}

function today(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const when = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return when.toISOString().slice(0, 10);
}

const out = outPath(process.argv.slice(2));
const corpus = loadCorpus();
const readings = loadFirstReadings();
const readFiles = new Set(readings.flatMap((r) => r.batch));
const read = corpus.filter((c) => c.split === 'tune' && readFiles.has(c.file));
const c = calibration(countFirstReadings(readings, corpus));
writeFileSync(out, calibrationYaml(c, { date: today(), readItems: read.length, readings: readings.length }));
// The same tune items under today's rules, which were written from them: how much they flatter.
const today_ = countPaths(read, loadKnowledge());

const pct = (n: number) => `${(100 * n).toFixed(0)}%`;
console.log(`calibrated on first readings (${readings.length} readings, ${read.length} tune items): ${out}`);
console.log(
  `  ${'decision path'.padEnd(26)}${'cards'.padStart(7)}${'right'.padStart(7)}${'observed'.padStart(10)}${'states'.padStart(8)}${'was'.padStart(6)}   today's rules on them`,
);
for (const path of DECISION_PATHS) {
  const p = c.paths[path];
  const t = today_[path];
  console.log(
    `  ${path.padEnd(26)}${String(p.cards).padStart(7)}${String(p.right).padStart(7)}${(p.cards ? pct(p.right / p.cards) : '–').padStart(10)}${pct(p.confidence).padStart(8)}${pct(BUILT_IN_CONFIDENCE[path]).padStart(6)}   ${t.cards ? `${t.right} of ${t.cards} (${pct(t.right / t.cards)})` : '–'}`,
  );
}

// The pooled figure hides a drift: later batches asked for harder look-alikes, and a card on a negative
// is wrong, so the same rules' cards are right less often where negatives are more of the batch. Each
// third of the readings, oldest first: what share of its tune items are negatives, and how its cards did.
console.log('  by age of reading (oldest third first): negatives share of the items read; cards right');
const thirds = [0, 1, 2].map((i) =>
  readings.slice(Math.floor((i * readings.length) / 3), Math.floor(((i + 1) * readings.length) / 3)),
);
for (const [i, part] of thirds.entries()) {
  const files = new Set(part.flatMap((r) => r.batch));
  const items = corpus.filter((x) => x.split === 'tune' && files.has(x.file));
  const negatives = items.filter((x) => !isPositive(x)).length;
  const counts = countFirstReadings(part, corpus);
  const all = DECISION_PATHS.reduce(
    (s, p) => ({ cards: s.cards + counts[p].cards, right: s.right + counts[p].right }),
    {
      cards: 0,
      right: 0,
    },
  );
  const none = counts.noCause;
  console.log(
    `  ${`third ${i + 1} (${part.length} readings, ${items.length} items)`.padEnd(40)}negatives ${pct(items.length ? negatives / items.length : 0)}; all cards ${all.right} of ${all.cards} (${pct(all.cards ? all.right / all.cards : 0)}); no cause wording ${none.right} of ${none.cards} (${pct(none.cards ? none.right / none.cards : 0)})`,
  );
}

// Passive listening answers only cards whose stated confidence reaches passiveMinConfidence (0 as
// shipped: every card). What each setting would have answered on the first readings, with the
// confidences just written: the trade a support lead makes when raising it.
const stated = {} as Record<DecisionPath, number>;
for (const path of DECISION_PATHS) stated[path] = c.paths[path].confidence;
console.log(
  '  passive listening at passiveMinConfidence (knowledge/settings.yml), on the same first readings:',
);
console.log(
  `  ${'at least'.padEnd(10)}${'login errors answered'.padStart(26)}${'cause right'.padStart(14)}${'look-alikes answered'.padStart(26)}${'cards on a login error'.padStart(25)}`,
);
const share = (n: number, of: number) => `${n} of ${of} (${pct(of ? n / of : 0)})`;
for (const point of passiveOperatingPoints(readings, corpus, stated)) {
  const cards = point.detected + point.falseAlarms;
  console.log(
    `  ${point.threshold.toFixed(2).padEnd(10)}${share(point.detected, point.positives).padStart(26)}${pct(point.detected ? point.causeRight / point.detected : 0).padStart(14)}${share(point.falseAlarms, point.negatives).padStart(26)}${pct(cards ? point.detected / cards : 0).padStart(25)}`,
  );
}
