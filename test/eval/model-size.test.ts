/**
 * The weights file (knowledge/model.json) must stay under its 2 MB limit (issue 10, point 3) whatever
 * the tune split grows to: each part of the weights keeps its strongest features within a byte budget.
 */
import { statSync } from 'node:fs';
import { loadKnowledge } from '../../src/diagnosis';
import {
  DEFAULT_TRAINING,
  MODEL_FILE,
  type ModelWeights,
  modelJson,
  platformNames,
  strongestWithin,
  type TrainingExample,
  train,
} from '../../src/diagnosis/model';
import { RULES_ONLY } from '../../src/diagnosis/second-opinion';
import { CAUSE_IDS } from '../../src/diagnosis/types';

const LIMIT = 2_000_000;
const names = platformNames(loadKnowledge().platforms);
const { featureSet, ...trainedWith } = DEFAULT_TRAINING;

/** The file's size in bytes as `npm run train` writes it (UTF-8: a name may be non-ASCII), with a combination as wide as any it chooses. */
const fileBytes = (weights: ModelWeights) => Buffer.byteLength(fileOf(weights), 'utf8');
const fileOf = (weights: ModelWeights) =>
  modelJson({
    ...weights,
    trainedWith,
    combination: { ...RULES_ONLY, detectAbove: 0.95, confidence: { a: -12.345, b: -12.345 } },
  });

/** Random eight-letter words from a fixed seed (mulberry32): every text brings features of its own. */
function syntheticCorpus(count: number, wordsEach: number): TrainingExample[] {
  let state = 42;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const word = () =>
    Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  return Array.from({ length: count }, (_, i) => ({
    text: Array.from({ length: wordsEach }, word).join(' '),
    isTokenError: i % 2 === 0,
    ...(i % 2 === 0 ? { causes: [CAUSE_IDS[i % CAUSE_IDS.length] as (typeof CAUSE_IDS)[number]] } : {}),
  }));
}

test('a model trained on far more distinct text than the corpus has still writes a file under 2 MB', () => {
  // About 140,000 distinct features, each strong enough to keep: without the budgets, the detection
  // weights alone took 1.7 MB and the cause weights 4.7 MB (12,000 features of them, 0.9 MB).
  const weights = train(syntheticCorpus(400, 40), { epochs: 1, learningRate: 400, names });
  // The budgets are what bounds it: both parts are full.
  const { token, cause } = DEFAULT_TRAINING.weightBytes;
  expect(JSON.stringify(weights.token.weights).length).toBeGreaterThan(token - 100);
  expect(JSON.stringify(weights.cause.weights).length).toBeGreaterThan(cause - 200);
  expect(fileBytes(weights)).toBeLessThanOrEqual(LIMIT);
});

test("the budgets bound the file by construction: whatever the weights, with the knowledge's names and the rest", () => {
  const empty = train(syntheticCorpus(4, 2), { epochs: 0, names });
  const rest = fileBytes({
    ...empty,
    token: { ...empty.token, weights: {} },
    cause: { ...empty.cause, weights: {} },
  });
  // Each part's object takes at most its budget in place of the two bytes of an empty one.
  const bound = rest - 4 + DEFAULT_TRAINING.weightBytes.token + DEFAULT_TRAINING.weightBytes.cause;
  expect(bound).toBeLessThanOrEqual(LIMIT);
  // The committed file too (it may predate the budgets, so it is checked on its own).
  expect(statSync(MODEL_FILE).size).toBeLessThanOrEqual(LIMIT);
});

test('strongestWithin keeps the strongest entries whose JSON fits the budget, in bucket order', () => {
  const entries = Array.from({ length: 5_000 }, (_, i) => ({
    bucket: (i * 7919) % 1_048_576,
    strength: (i % 97) / 10 + 0.01,
    value: Array.from({ length: 9 }, (_, c) => Math.round(((i % 13) - c) * 1234.567) / 1000),
  }));
  for (const budget of [2, 50, 1_000, 100_000, 10_000_000]) {
    const kept = strongestWithin(entries, budget);
    const json = JSON.stringify(kept);
    expect(json.length).toBeLessThanOrEqual(budget);
    const keys = Object.keys(kept).map(Number);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    // Nothing left out is stronger than anything kept.
    const weakestKept = Math.min(...entries.filter((e) => e.bucket in kept).map((e) => e.strength));
    for (const e of entries) if (!(e.bucket in kept)) expect(e.strength).toBeLessThanOrEqual(weakestKept);
  }
  expect(Object.keys(strongestWithin(entries, 10_000_000))).toHaveLength(5_000);
  // Too weak to matter: dropped whatever the budget.
  expect(strongestWithin([{ bucket: 1, strength: 1e-3, value: 0.001 }], 1_000)).toEqual({});
});
