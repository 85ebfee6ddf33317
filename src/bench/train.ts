/**
 * npm run train — retrains the learned model on the corpus's tune split (never the blind one) and
 * writes knowledge/model.json. Deterministic: the same corpus gives the same file. No network.
 *
 * Before the final fit, a 5-fold cross-validation by source page (src/eval/cv.ts) gives every tune item
 * an out-of-fold opinion; the combination with the rules (thresholds) and the model's stated confidence
 * are chosen on those, and stored with the weights.
 *
 *   npm run train                 train with DEFAULT_TRAINING, choose the combination out of fold, write
 *   npm run train -- --cv         also compare candidate options (features, regularisation, class
 *                                 weights) out of fold and print the table the defaults were chosen from
 */
import { writeFileSync } from 'node:fs';
import { loadKnowledge } from '../diagnosis/knowledge';
import { DEFAULT_TRAINING, MODEL_FILE, type TrainOptions, train } from '../diagnosis/model';
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
const prepared = prepare(tune, loadKnowledge());
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

const describe = (choice: Choice) => {
  const [detected, cause, platform, falseAlarms] = headline(choice.figures);
  const c = choice.combination;
  return (
    `both ${detected} cause ${cause} platform ${platform} FA ${falseAlarms}` +
    ` | detect≥${c.detectAbove}${c.detectNeedsPlatform ? ' w/ platform' : ''} named≥${c.namedCauseAbove} cause≥${c.causeAbove}`
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
  const sets = {
    'words+bigrams+char4': { words: true, bigrams: true, charN: 4, rules: 0 },
    'words+bigrams+char4+rules×0.5': { words: true, bigrams: true, charN: 4, rules: 0.5 },
    'words+bigrams+char4+rules×1': { words: true, bigrams: true, charN: 4, rules: 1 },
    'words+bigrams+rules×0.5': { words: true, bigrams: true, charN: 0, rules: 0.5 },
    'words+bigrams+char3+rules×0.5': { words: true, bigrams: true, charN: 3, rules: 0.5 },
    'words+bigrams+char5+rules×0.5': { words: true, bigrams: true, charN: 5, rules: 0.5 },
  };
  for (const [name, featureSet] of Object.entries(sets))
    for (const learningRate of [2, 8])
      for (const l2 of [1e-3, 1e-4])
        report(`${name} rate=${learningRate} l2=${l2}`, {
          ...DEFAULT_TRAINING,
          featureSet,
          learningRate,
          l2,
        });
  for (const positiveWeight of [0.5, 2])
    report(`words+bigrams+char4+rules×0.5 rate=8 l2=1e-4 pos×${positiveWeight}`, {
      ...DEFAULT_TRAINING,
      featureSet: sets['words+bigrams+char4+rules×0.5'],
      learningRate: 8,
      positiveWeight,
    });
  console.log(`(${seconds()})`);
}

const { featureSet, ...trainedWith } = DEFAULT_TRAINING;
const choice = report('shipped options (DEFAULT_TRAINING)', DEFAULT_TRAINING, true);
const weights = {
  ...train(
    prepared.map((p) => p.example),
    DEFAULT_TRAINING,
  ),
  trainedWith,
  combination: choice.combination,
};
const json = `${JSON.stringify(weights)}\n`;
writeFileSync(MODEL_FILE, json);
console.log(
  `trained on the tune split: ${weights.trainedOn.positives} positives, ${weights.trainedOn.negatives} negatives, ` +
    `in ${seconds()}; ${MODEL_FILE}: ${(json.length / 1024).toFixed(0)} KB`,
);
console.log(
  `combination (chosen out of fold): ${JSON.stringify(choice.combination)}; model cards ${choice.modelCards}`,
);
