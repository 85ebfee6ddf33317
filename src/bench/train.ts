/**
 * npm run train — retrains the learned model on the corpus's tune split (never the blind one) and
 * writes knowledge/model.json. Deterministic: the same corpus gives the same file. No network.
 *
 * Before the final fit, a 5-fold cross-validation by source page (src/eval/cv.ts) gives every tune item
 * an out-of-fold opinion; the combination with the rules (thresholds) and the model's stated confidence
 * are chosen on those, and stored with the weights.
 *
 *   npm run train                 train with DEFAULT_TRAINING, choose the combination out of fold, write
 *   npm run train -- --cv         also compare candidate options (features, regularisation) out of fold
 *                                 and print the table the defaults were chosen from (a few minutes)
 */
import { writeFileSync } from 'node:fs';
import { loadKnowledge } from '../diagnosis/knowledge';
import {
  DEFAULT_TRAINING,
  type FeatureSet,
  MODEL_FILE,
  modelJson,
  platformNames,
  type TrainOptions,
  train,
} from '../diagnosis/model';
import { loadCorpus } from '../eval/corpus';
import {
  type Choice,
  chooseCombination,
  keepsRulesQuality,
  modelAloneVerdict,
  outOfFold,
  prepare,
} from '../eval/cv';
import { headline, measure } from '../eval/measure';

const started = performance.now();
const tune = loadCorpus().filter((c) => c.split === 'tune');
const knowledge = loadKnowledge();
const prepared = prepare(tune, knowledge);
/** The shipped options, with the knowledge's platform names for the placeholder feature. */
const training = { ...DEFAULT_TRAINING, names: platformNames(knowledge.platforms) };
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

const describe = (choice: Choice) => {
  const [detected, cause, platform, falseAlarms] = headline(choice.figures);
  const c = choice.combination;
  return (
    `both ${detected} cause ${cause} platform ${platform} FA ${falseAlarms}` +
    ` | detect≥${c.detectAbove}${c.detectNeedsPlatform ? ' w/ platform' : ''} named≥${c.namedCauseAbove} cause≥${c.causeAbove} withdraw<${c.withdrawBelow ?? 0}`
  );
};

function report(label: string, options: TrainOptions, alsoRatesKept = false) {
  const opinions = outOfFold(prepared, options);
  const alone = headline(measure(tune, opinions.map(modelAloneVerdict)));
  const choice = chooseCombination(prepared, opinions);
  console.log(`${label.padEnd(44)} alone ${alone[0]} FA ${alone[3]} | ${describe(choice)}`);
  if (alsoRatesKept)
    console.log(
      `${'  (cause and platform rates kept too, not shipped)'.padEnd(44)} ${describe(chooseCombination(prepared, opinions, keepsRulesQuality))}`,
    );
  return choice;
}

if (process.argv.includes('--cv')) {
  console.log('out-of-fold tune figures (5 folds by source page) for candidate options:');
  // Feature options at the regularisation they were first compared at (l2 = 1e-4), then the strength.
  const base = { ...DEFAULT_TRAINING.featureSet, charN: 4, bigrams: true, names: false, digitClass: false };
  const at = (featureSet: FeatureSet, l2 = 1e-4): TrainOptions => ({ ...training, featureSet, l2 });
  const named = { ...base, names: true };
  const candidates: [string, TrainOptions][] = [
    ['words+bigrams+char4 (before)', at(base)],
    ['words+bigrams+char5', at({ ...base, charN: 5 })],
    ['words+char4 (no bigrams)', at({ ...base, bigrams: false })],
    ['words+bigrams+char4+digits', at({ ...base, digitClass: true })],
    ['words+bigrams+char4+names', at(named)],
    ['words+bigrams+char4+names+digits', at({ ...named, digitClass: true })],
    ['words+bigrams+char5+names+digits', at({ ...named, charN: 5, digitClass: true })],
    ['words+char4+names (no bigrams)', at({ ...named, bigrams: false })],
    ['words+bigrams+char4+names l2=1e-3', at(named, 1e-3)],
    ['words+bigrams+char4+names l2=3e-4', at(named, 3e-4)],
    ['words+bigrams+char4+names l2=3e-5', at(named, 3e-5)],
    ['words+char4+names (no bigrams) l2=3e-5', at({ ...named, bigrams: false }, 3e-5)],
  ];
  for (const [name, options] of candidates) report(name, options);
  console.log(`(${seconds()})`);
}

const { featureSet, ...trainedWith } = DEFAULT_TRAINING;
const choice = report('shipped options (DEFAULT_TRAINING)', training, true);
const weights = {
  ...train(
    prepared.map((p) => p.example),
    training,
  ),
  trainedWith,
  combination: choice.combination,
};
const json = modelJson(weights);
writeFileSync(MODEL_FILE, json);
console.log(
  `trained on the tune split: ${weights.trainedOn.positives} positives, ${weights.trainedOn.negatives} negatives, ` +
    `in ${seconds()}; ${MODEL_FILE}: ${(json.length / 1024).toFixed(0)} KB`,
);
console.log(
  `combination (chosen out of fold): ${JSON.stringify(choice.combination)}; model cards ${choice.modelCards}`,
);
