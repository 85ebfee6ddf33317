/**
 * npm run train — retrains the learned model on the corpus's tune split (never the blind one) and
 * writes knowledge/model.json. Deterministic: the same corpus gives the same file. No network.
 */
import { writeFileSync } from 'node:fs';
import { engineText, MODEL_FILE, train } from '../diagnosis/model';
import { isPositive, loadCorpus } from '../eval/corpus';

const started = performance.now();
const tune = loadCorpus().filter((c) => c.split === 'tune');
const weights = train(
  tune.map((c) => ({
    text: engineText(c.text),
    isTokenError: isPositive(c),
    ...(isPositive(c) ? { causes: c.causes } : {}),
  })),
);
const json = `${JSON.stringify(weights)}\n`;
writeFileSync(MODEL_FILE, json);
console.log(
  `trained on the tune split: ${weights.trainedOn.positives} positives, ${weights.trainedOn.negatives} negatives, ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s; ${MODEL_FILE}: ${(json.length / 1024).toFixed(0)} KB`,
);
