/**
 * npm run eval — the engine's figures on the corpus (test/fixtures), tune and blind side by side, by
 * category of message; the ablation rules / model / both; and the confidence reliability table on the
 * blind split. Printed, not asserted: the blind figures are a measurement, never a target to tune to.
 * `--tune` prints the tune split and the out-of-fold figures only: for working on rules without
 * reading a blind figure.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_KNOWLEDGE_DIR, loadKnowledge } from '../diagnosis/knowledge';
import type { ModelOpinion } from '../diagnosis/model';
import { RULES_ONLY } from '../diagnosis/second-opinion';
import {
  CATEGORIES,
  CATEGORY_TITLES,
  type CorpusCase,
  evalColumns,
  isPositive,
  loadCorpus,
  normaliseSource,
} from '../eval/corpus';
import {
  combinedVerdict,
  crossFittedConfidence,
  FOLDS,
  modelAloneVerdict,
  modelCardsOf,
  outOfFold,
  prepare,
} from '../eval/cv';
import { firstReadFigures, loadFirstReadings } from '../eval/first-readings';
import { type Figures, headline, measure, ratio, reliability, type Verdict } from '../eval/measure';
import { bothVerdict, loadLearnedModel, modelVerdict, passiveVerdict, rulesVerdict } from '../eval/ways';

const knowledge = loadKnowledge();
const corpus = loadCorpus();
const loaded = loadLearnedModel();

const tuneOnly = process.argv.includes('--tune');
const columns = evalColumns(corpus, tuneOnly);

const ways: { name: string; verdict: (text: string) => Verdict }[] = [
  { name: 'rules', verdict: (t) => rulesVerdict(t, knowledge) },
];
if (loaded.model) {
  const model = loaded.model;
  ways.push({ name: 'model', verdict: (t) => modelVerdict(t, knowledge, model) });
  ways.push({ name: 'rules + model', verdict: (t) => bothVerdict(t, knowledge, model) });
}

const verdictCache = new Map<string, Map<string, Verdict>>();
function verdicts(way: (typeof ways)[number], items: CorpusCase[]): Verdict[] {
  const cache = verdictCache.get(way.name) ?? new Map<string, Verdict>();
  verdictCache.set(way.name, cache);
  return items.map((c) => {
    const known = cache.get(c.id);
    if (known) return known;
    const v = way.verdict(c.text);
    cache.set(c.id, v);
    return v;
  });
}

const LABEL = 36;
const CELL = 22;
const row = (label: string, cells: string[]) =>
  console.log(`${label.padEnd(LABEL)}${cells.map((c) => c.padStart(CELL)).join('')}`);

function table(title: string, figures: (items: CorpusCase[]) => Figures, indent = '') {
  const f = columns.map((c) => figures(c.items));
  const cells = f.map(headline);
  row(
    `${indent}${title}`,
    columns.map((c) => c.title),
  );
  row(
    `${indent}  login errors detected`,
    cells.map((c) => c[0]),
  );
  row(
    `${indent}  cause right (of detected)`,
    cells.map((c) => c[1]),
  );
  row(
    `${indent}  platform right (of detected)`,
    cells.map((c) => c[2]),
  );
  row(
    `${indent}  false alarms (of negatives)`,
    cells.map((c) => c[3]),
  );
  row(
    `${indent}  false alarms (of hard negatives)`,
    f.map((x) => ratio(x.hardFalseAlarms, x.hardNegatives)),
  );
}

// What is in each split.
const pages = (items: CorpusCase[]) => new Set(items.map((c) => normaliseSource(c.source))).size;
console.log(
  'tokenfix eval: the corpus in test/fixtures, split into tune and blind by a hash of the source page',
);
row(
  '',
  columns.map((c) => c.title),
);
row(
  '  positives',
  columns.map((c) => String(c.items.filter(isPositive).length)),
);
row(
  '  negatives',
  columns.map((c) => String(c.items.filter((i) => !isPositive(i)).length)),
);
row(
  '  source pages',
  columns.map((c) => String(pages(c.items))),
);
for (const c of columns) if (c.note) console.log(`"${c.title}": ${c.note}`);
if (tuneOnly) console.log('--tune: the tune split only; no blind figure is computed.');
console.log('');

// The rules of each batch's own day on its tune part, before any rule was written from it: how the
// rules do on messages they have never met, on far more items than a blind part, though by older rules.
const readings = loadFirstReadings();
const first = firstReadFigures(readings, corpus);
const share = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : '–'}% (${n}/${of})`;
console.log(
  `first readings (test/fixtures/first-readings.yml: ${readings.length} readings of the tune parts of the batches since calibration began, each by the rules of the commit that added it):`,
);
console.log(
  `  detected ${share(first.detected, first.positives)}, cause right ${share(first.causeRight, first.detected)}, false alarms ${share(first.falseAlarms, first.negatives)}`,
);
console.log('');

const rules = ways[0] as (typeof ways)[number];
// Which answers each way gives as shipped (knowledge/settings.yml); the workflow step is always the rules.
// Passive listening has a table of its own when it reads differently from an ask.
const { modelAnswersAsks, modelAnswersPassive, refusalCheck, passiveMinConfidence } = knowledge.settings;
const passiveOwn =
  refusalCheck === 'passive' || passiveMinConfidence > 0 || modelAnswersPassive !== modelAnswersAsks;
const paths: [string, boolean][] = [['explicit asks and the CLI', modelAnswersAsks]];
if (!passiveOwn) paths.push(['passive listening', modelAnswersPassive]);
const withModel = paths.filter(([, on]) => on).map(([path]) => path);
const rulesAlone = [...paths.filter(([, on]) => !on).map(([path]) => path), 'the workflow step'];
// With `refusalCheck: all` the rules' own answers hold the check.
const rulesName = refusalCheck === 'all' ? 'rules with the refusal check' : 'rules';
table(`${rulesName} (shipped: ${rulesAlone.join(', ')})`, (items) => measure(items, verdicts(rules, items)));
console.log('');
const passive = { name: 'passive listening', verdict: (t: string) => passiveVerdict(t, knowledge) };
if (passiveOwn) {
  const how = [
    modelAnswersPassive ? 'rules + model' : 'the rules',
    ...(refusalCheck !== 'off' ? ['the refusal check'] : []),
    ...(passiveMinConfidence > 0 ? [`confidence at least ${passiveMinConfidence}`] : []),
  ];
  table(`passive listening (shipped: ${how.join(', ')})`, (items) =>
    measure(items, verdicts(passive, items)),
  );
  console.log('');
}
const asked = ways.find((w) => w.name === 'rules + model');
if (asked) {
  const off = passiveOwn ? 'modelAnswersAsks is off' : 'modelAnswersAsks and modelAnswersPassive are off';
  table(
    withModel.length > 0
      ? `rules + model (shipped: ${withModel.join(', ')})`
      : `rules + model (not shipped: ${off})`,
    (items) => measure(items, verdicts(asked, items)),
  );
  console.log(
    '  (its tune column is in sample: the model was trained on tune; "tune OOF" below is its fair tune figure)',
  );
  console.log('');
}
// By category, explicit asks as shipped (the rules, or rules + model when modelAnswersAsks is on).
const asksWay = modelAnswersAsks && asked ? asked : rules;
for (const category of CATEGORIES) {
  table(`by category, explicit asks (${asksWay.name}): ${CATEGORY_TITLES[category]}`, (items) => {
    const mine = items.filter((c) => c.category === category);
    return measure(mine, verdicts(asksWay, mine));
  });
}
console.log('');

// The ablation: each way on both splits (and passive listening's answers, when its own).
console.log('ablation (detected / cause right of detected / platform right of detected / false alarms)');
for (const way of passiveOwn ? [...ways, passive] : ways) {
  for (const column of columns.slice(0, 2)) {
    const cells = headline(measure(column.items, verdicts(way, column.items)));
    console.log(
      `  ${`${way.name}, ${column.title}`.padEnd(LABEL - 2)}${cells.map((c) => c.padStart(CELL)).join('')}`,
    );
  }
}
if (loaded.model) {
  // Out of fold: each tune item scored by a model trained without its fold (src/eval/cv.ts), with the
  // options and combination the file was trained with: the figures the combination was chosen on.
  const tune = columns[0] as (typeof columns)[number];
  const prepared = prepare(tune.items, knowledge);
  const opinions = outOfFold(prepared, loaded.model.training ?? {});
  const combination = loaded.model.combination ?? RULES_ONLY;
  const oof: [string, Verdict[]][] = [
    ['model', opinions.map(modelAloneVerdict)],
    ['rules + model', prepared.map((p, i) => combinedVerdict(p, opinions[i] as ModelOpinion, combination))],
  ];
  console.log(`out of fold on tune (${FOLDS} folds by source page; the model never saw the item it scores):`);
  for (const [name, v] of oof) {
    const cells = headline(measure(tune.items, v));
    console.log(`  ${`${name}, tune OOF`.padEnd(LABEL - 2)}${cells.map((c) => c.padStart(CELL)).join('')}`);
  }
  // The model's own cards: their confidence as shipped is fitted on these very cards (in sample), so
  // their fair reliability is with the scaling fitted on the other folds' cards only.
  const cards = modelCardsOf(prepared, opinions, combination);
  const crossFitted = crossFittedConfidence(prepared, cards);
  const rulesAndModel = (oof[1] as [string, Verdict[]])[1];
  console.log(
    `  reliability of the model's own cards in rules + model, tune OOF, scaling fitted without the card's fold (${cards.length} cards):`,
  );
  printReliability(
    cards.map((c) => (prepared[c.index] as (typeof prepared)[number]).item),
    cards.map((c, i) => ({ ...(rulesAndModel[c.index] as Verdict), confidence: crossFitted[i] as number })),
  );
} else {
  console.log(`  model: ${loaded.why}`);
  console.log(`  rules + model: ${loaded.why}`);
}
console.log('');

// Reliability: does a card that says 80% get its cause right 80% of the time?
if (tuneOnly) process.exit(0);
const blind = columns[1] as (typeof columns)[number];
console.log(
  existsSync(join(BUILT_IN_KNOWLEDGE_DIR, 'calibration.yml'))
    ? "the rules' stated confidences: knowledge/calibration.yml (npm run calibrate, from first readings of the tune split)"
    : "the rules' stated confidences: hand-set (no knowledge/calibration.yml: npm run calibrate)",
);
// The whole blind split, and the newest batch's blind part (read once, at the end of its session).
const newest = columns.at(-1) as (typeof columns)[number];
const reliabilityOn = newest.title.startsWith('blind, batch') ? [blind, newest] : [blind];
for (const way of passiveOwn ? [...ways, passive] : ways) {
  for (const column of reliabilityOn) {
    console.log(
      `reliability on "${column.title}", ${way.name}: every card shown, by the confidence it states`,
    );
    console.log(
      `  ${'confidence'.padEnd(12)}${'cards'.padStart(7)}${'stated'.padStart(9)}${'cause right'.padStart(13)}${'gap'.padStart(7)}`,
    );
    printReliability(column.items, verdicts(way, column.items));
    console.log('');
  }
}

function printReliability(items: CorpusCase[], v: Verdict[]) {
  for (const r of reliability(items, v)) {
    const band = `${r.from.toFixed(1)}–${r.to.toFixed(1)}`;
    if (r.n === 0) {
      console.log(`  ${band.padEnd(12)}${'0'.padStart(7)}`);
      continue;
    }
    const gap = Math.round(100 * (r.accuracy - r.meanConfidence));
    const mark = Math.abs(gap) <= 10 ? '' : '  (off by more than 10 points)';
    console.log(
      `  ${band.padEnd(12)}${String(r.n).padStart(7)}${`${(100 * r.meanConfidence).toFixed(0)}%`.padStart(9)}${`${(100 * r.accuracy).toFixed(0)}%`.padStart(13)}${`${gap > 0 ? '+' : ''}${gap}`.padStart(7)}${mark}`,
    );
  }
}
