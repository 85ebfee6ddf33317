/**
 * npm run veto:cv — an out-of-fold experiment: would a learned veto pay? A separate small classifier,
 * trained only on the tune items the rules call a login error on wording alone (no documented code
 * matched), learns "real login error" (a positive item) against "look-alike" (a negative item) from the
 * text's hashed word and character n-grams (the learned model's own features, src/diagnosis/model.ts),
 * optionally with what the rules found (cause, decision path, platform). Where its P(real) is below a
 * threshold, the rules' login error would be withdrawn.
 *
 * Measured with the page-grouped 5-fold cross-validation on tune (src/eval/cv.ts): per threshold, the
 * false alarms it removes against the real login errors it withdraws, on the rules path (passive
 * listening) and on the rules + model path (explicit asks), on three fold assignments to see the noise.
 * The threshold a path would take is chosen by the test of docs/EVALUATION.md, point 10 (d): the most false alarms
 * removed with removed ≥ 2 × withdrawn for passive listening, ≥ 1 × for asks. Tune only; prints no blind
 * figure. Writes nothing. The two paths' counts come out the same by construction: the model only adds
 * where the rules are silent, and the veto only withdraws where they spoke; the baselines differ.
 */
import { loadKnowledge } from '../diagnosis/knowledge';
import {
  DEFAULT_TRAINING,
  loadModel,
  type ModelOpinion,
  platformNames,
  type TrainOptions,
} from '../diagnosis/model';
import { RULES_ONLY } from '../diagnosis/second-opinion';
import type { Diagnosis } from '../diagnosis/types';
import { isPositive, loadCorpus } from '../eval/corpus';
import { combinedVerdict, FOLD_SALT, outOfFold, type PreparedItem, prepare } from '../eval/cv';
import { type Figures, measure, type Verdict } from '../eval/measure';

const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const tune = loadCorpus().filter((c) => c.split === 'tune');
const knowledge = loadKnowledge();
const prepared = prepare(tune, knowledge);

/** A login error the rules called on wording alone: the only kind a veto may withdraw. */
const wordingOnly = (d: Diagnosis) => d.isTokenError && d.errorCode === null;

/** What the rules found on a wording-only call, as features: its cause, decision path and platform. */
const vetoSignals = (p: PreparedItem) => [
  `cause:${p.rules.diagnosis.cause}`,
  `path:${p.rules.decidedBy}`,
  `platform:${p.rules.diagnosis.platform ?? 'none'}`,
];

const subset = prepared.filter((p) => wordingOnly(p.rules.diagnosis));
const realInSubset = subset.filter((p) => isPositive(p.item)).length;
console.log(
  `tune: ${tune.length} items; the rules call ${subset.length} a login error on wording alone ` +
    `(${realInSubset} real, ${subset.length - realInSubset} look-alikes, i.e. false alarms)`,
);

const names = platformNames(knowledge.platforms);
const text = { ...DEFAULT_TRAINING.featureSet, rules: 0 };
interface Variant {
  name: string;
  options: TrainOptions;
  withRules: boolean;
}
const variants: Variant[] = [
  { name: 'A text (words+bigrams+char4+names), L2 3e-5', options: { featureSet: text }, withRules: false },
  {
    name: "B text + rules' cause/path/platform, L2 3e-5",
    options: { featureSet: { ...text, rules: 0.5 } },
    withRules: true,
  },
  {
    name: 'C text, L2 3e-4, real ones weigh 2x',
    options: { featureSet: text, l2: 3e-4, positiveWeight: 2 },
    withRules: false,
  },
];

/** The subset as the veto's training examples: label = a real login error. */
function vetoItems(withRules: boolean): PreparedItem[] {
  return subset.map((p) => ({
    ...p,
    example: {
      text: p.example.text,
      isTokenError: p.example.isTokenError,
      ...(withRules ? { signals: vetoSignals(p) } : {}),
    },
  }));
}

// The rules + model path, as asks get it: the shipped model's options and combination, its opinions out
// of fold (shipped fold assignment).
const shipped = loadModel();
const combination = shipped?.combination ?? RULES_ONLY;
const modelOpinions = shipped ? outOfFold(prepared, shipped.training) : null;
const NOT: Verdict = { isTokenError: false, platform: null, cause: null, confidence: 0 };
const rulesVerdict = (p: PreparedItem): Verdict => {
  const d = p.rules.diagnosis;
  return { isTokenError: d.isTokenError, platform: d.platform, cause: d.cause, confidence: d.confidence };
};
const paths: { name: string; verdict: (p: PreparedItem, i: number) => Verdict; ratio: number }[] = [
  { name: 'passive (rules)', verdict: rulesVerdict, ratio: 2 },
  ...(modelOpinions
    ? [
        {
          name: 'asks (rules + model)',
          verdict: (p: PreparedItem, i: number) =>
            combinedVerdict(p, modelOpinions[i] as ModelOpinion, combination),
          ratio: 1,
        },
      ]
    : []),
];
const baseline = paths.map((path) =>
  measure(
    tune,
    prepared.map((p, i) => path.verdict(p, i)),
  ),
);
const fmt = (f: Figures) =>
  `detected ${f.detected} cause ${f.causeRight} platform ${f.platformRight} FA ${f.falseAlarms}`;
paths.forEach((path, k) => {
  console.log(`${path.name}, no veto: ${fmt(baseline[k] as Figures)}`);
});

const THRESHOLDS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5];
const SALTS = [FOLD_SALT, 'veto-folds-2', 'veto-folds-3'];
const subsetIndex = new Map(subset.map((p, j) => [p.item.id, j]));

for (const variant of variants) {
  console.log(`\n${variant.name}`);
  const items = vetoItems(variant.withRules);
  for (const salt of SALTS) {
    const pReal = outOfFold(items, { ...variant.options, names }, undefined, salt).map((o) => o.pToken);
    const real = pReal.filter((_, j) => isPositive((subset[j] as PreparedItem).item)).sort((a, b) => a - b);
    console.log(
      `  folds "${salt}": lowest P(real) on real ones ${real
        .slice(0, 5)
        .map((p) => p.toFixed(2))
        .join(', ')}`,
    );
    const chosen = paths.map(() => ({ t: 0, removed: 0, withdrawn: 0 }));
    for (const t of THRESHOLDS) {
      const vetoed = (p: PreparedItem) => {
        const j = subsetIndex.get(p.item.id);
        return j !== undefined && (pReal[j] as number) < t;
      };
      const cells = paths.map((path, k) => {
        const f = measure(
          tune,
          prepared.map((p, i) => (vetoed(p) ? NOT : path.verdict(p, i))),
        );
        const before = baseline[k] as Figures;
        const removed = before.falseAlarms - f.falseAlarms;
        const withdrawn = before.detected - f.detected;
        const best = chosen[k] as (typeof chosen)[number];
        if (removed > 0 && removed >= path.ratio * withdrawn && removed > best.removed)
          Object.assign(best, { t, removed, withdrawn });
        return `${path.name}: removes ${removed} FA, withdraws ${withdrawn} real (${fmt(f)})`;
      });
      console.log(`    P(real) < ${t.toFixed(2)}  ${cells.join(' | ')}`);
    }
    // The finest thresholds there are: every cut in the OOF scores' own order. Chosen on the very scores
    // it is read on, so optimistic: an upper bound on what any threshold could do.
    const order = subset.map((p, j) => ({ real: isPositive(p.item), p: pReal[j] as number }));
    order.sort((a, b) => a.p - b.p);
    for (const ratio of [2, 1]) {
      let best = { removed: 0, withdrawn: 0, below: 0 };
      let removed = 0;
      let withdrawn = 0;
      order.forEach((o, j) => {
        if (o.real) withdrawn++;
        else removed++;
        const cut = j + 1 === order.length || (order[j + 1] as (typeof order)[number]).p > o.p;
        if (cut && removed >= ratio * withdrawn && removed > best.removed)
          best = { removed, withdrawn, below: o.p };
      });
      console.log(
        `    any cut, removed ≥ ${ratio}× withdrawn (optimistic): ${best.removed} FA removed, ${best.withdrawn} real withdrawn` +
          (best.removed > 0 ? ` (P(real) ≤ ${best.below.toFixed(3)})` : ''),
      );
    }
    paths.forEach((path, k) => {
      const c = chosen[k] as (typeof chosen)[number];
      console.log(
        c.removed > 0
          ? `    ${path.name} would take P(real) < ${c.t}: ${c.removed} FA removed, ${c.withdrawn} real withdrawn`
          : `    ${path.name}: no threshold removes ≥ ${path.ratio}× as many false alarms as real ones it withdraws`,
      );
    });
  }
}
console.log(`(${seconds()})`);
