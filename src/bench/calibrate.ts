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
import { BUILT_IN_CONFIDENCE, DECISION_PATHS } from '../diagnosis/confidence';
import { BUILT_IN_KNOWLEDGE_DIR, loadKnowledge } from '../diagnosis/knowledge';
import { calibration, calibrationYaml, countPaths } from '../eval/calibration';
import { loadCorpus } from '../eval/corpus';
import { countFirstReadings, loadFirstReadings } from '../eval/first-readings';

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
