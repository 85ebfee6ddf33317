/**
 * npm run train — retrains the learned model on the corpus's tune split (never the blind one) and
 * writes knowledge/model.json. Deterministic: the same corpus gives the same file. No network.
 */
import { writeFileSync } from 'node:fs';
import { train } from '../diagnosis/model';
import { loadCorpus } from '../eval/corpus';
import { MODEL_FILE } from '../eval/model-file';
import { engineText } from '../eval/opinions';

const started = performance.now();
const tune = loadCorpus().filter((i) => i.split === 'tune');
const weights = train(
  tune.map((i) => ({ text: engineText(i.text), isTokenError: i.positive, causes: i.causes })),
);
const json = `${JSON.stringify(weights)}\n`;
writeFileSync(MODEL_FILE, json);
console.log(
  `trained on the tune split: ${weights.trainedOn.positives} positives, ${weights.trainedOn.negatives} negatives, ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s; ${MODEL_FILE}: ${(json.length / 1024).toFixed(0)} KB`,
);
