/**
 * The learned model reads a text without building a string per feature or a Map (src/diagnosis/model.ts:
 * FNV-1a read in pieces, counts in typed arrays, weights looked up by open addressing, words read by
 * hand, the masked text handed over by the rules). None of that may change an answer: this file holds
 * the reading as first written (strings, a Map, the word regex) and shows both give the same features
 * and the same opinion, to the bit, on every corpus text, the real channel chat sample, the bench's long
 * inputs and random strings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { longInputs } from '../../src/bench/diagnose';
import { analyze, loadKnowledge, redactSecrets } from '../../src/diagnosis';
import { analyzeAsked, shippedModel } from '../../src/diagnosis/asked';
import {
  engineText,
  type FeatureSet,
  features,
  loadModel,
  type ModelWeights,
  NAME_PLACEHOLDER,
  NameMatcher,
  ruleSignals,
  TEXT_ONLY,
  wordsOf,
} from '../../src/diagnosis/model';
import { modelPart, withSecondOpinion } from '../../src/diagnosis/second-opinion';
import { loadCorpus } from '../../src/eval/corpus';
import { channelChat as channelChatTexts, itemName } from '../support/corpus';

// ---- The reading as first written (6958eb0), kept here as the reference. ----

const WORD = /[a-z0-9]+(?:[_'][a-z0-9]+)*/g;

function referenceHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & ((1 << 20) - 1);
}

function referenceWords(lower: string): string[] {
  const words: string[] = [];
  for (const m of lower.matchAll(WORD)) words.push(m[0].length > 40 ? m[0].slice(0, 40) : m[0]);
  return words;
}

function referenceShape(word: string, digitClass: boolean): string {
  if (/^\d+$/.test(word)) return `#${word.length}`;
  return digitClass ? word.replace(/\d+/g, '0') : word;
}

function referenceFeatures(
  text: string,
  set: FeatureSet,
  signals: readonly string[] = [],
  names?: NameMatcher,
): Map<number, number> {
  const lower = text.slice(0, 4000).toLowerCase();
  const counts = new Map<number, number>();
  const add = (key: string) => {
    const b = referenceHash(key);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  };
  const n = set.charN;
  const words = referenceWords(lower);
  let previous = '';
  for (const word of set.names && names ? names.replace(words) : words) {
    const token = word === NAME_PLACEHOLDER ? word : referenceShape(word, set.digitClass === true);
    if (set.words) add(`w:${token}`);
    if (set.bigrams && previous) add(`b:${previous} ${token}`);
    previous = token;
    if (n > 0 && token.length > n && token.charCodeAt(0) !== 35) {
      const padded = ` ${token} `;
      for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`);
    }
  }
  let norm = 0;
  for (const v of counts.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of counts) counts.set(k, v / norm);
  if (set.rules > 0) for (const s of signals) counts.set(referenceHash(`r:${s}`), set.rules);
  return counts;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** The opinion as first scored: Maps of the file's weights, summed in the features' order. */
function referenceModel(weights: ModelWeights) {
  const names = weights.featureSet.names ? new NameMatcher(weights.names ?? []) : undefined;
  const token = new Map(Object.entries(weights.token.weights).map(([k, v]) => [Number(k), v]));
  const cause = new Map(Object.entries(weights.cause.weights).map(([k, v]) => [Number(k), v]));
  return (text: string, signals: readonly string[]) => {
    const fx = referenceFeatures(text, weights.featureSet, signals, names);
    let z = weights.token.bias;
    const classes = weights.cause.classes;
    const cz = [...weights.cause.bias];
    for (const [k, v] of fx) {
      z += (token.get(k) ?? 0) * v;
      const cw = cause.get(k);
      if (cw) for (let c = 0; c < classes.length; c++) cz[c] = (cz[c] as number) + (cw[c] as number) * v;
    }
    const p = softmax(cz);
    return {
      pToken: sigmoid(z),
      causes: classes.map((c, i) => ({ cause: c, p: p[i] as number })).sort((a, b) => b.p - a.p),
    };
  };
}

// ---- The texts. ----

const knowledge = loadKnowledge();
const corpus = loadCorpus();
const channelChat = channelChatTexts();
const weights = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'knowledge', 'model.json'), 'utf8'),
) as ModelWeights;
const names = new NameMatcher(weights.names ?? []);
const referenceOpinion = referenceModel(weights);

/** Strings the word reader and the n-grams must agree on: joiners, digits, non-ASCII, long runs. */
const wordy = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom(
        '_',
        "'",
        '__',
        "''",
        "_'",
        ' ',
        '0',
        '123',
        'a'.repeat(45),
        'İ',
        'ß',
        'hubspot',
        'google ads',
      ),
      fc.stringMatching(/^[a-z0-9_']{1,60}$/),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

const FEATURE_SETS: FeatureSet[] = [
  weights.featureSet,
  { words: false, bigrams: true, charN: 3, rules: 1, names: false, digitClass: true },
  TEXT_ONLY,
  { words: true, bigrams: false, charN: 5, rules: 0.5, names: true, digitClass: true },
  { words: true, bigrams: true, charN: 0, rules: 0 },
];

/** Where `same` fails: corpus items (named by itemName), channel chat and the long inputs. */
function mismatchesOn(same: (text: string) => boolean): string[] {
  const out: string[] = [];
  for (const c of corpus) if (!same(c.text)) out.push(itemName(c));
  for (const [i, text] of channelChat.entries()) if (!same(text)) out.push(`channel chat ${i}`);
  for (const [name, text] of longInputs()) if (!same(text)) out.push(name);
  return out;
}

describe("the model's reading gives the same features and opinions as the reading as first written", () => {
  test('words: the hand-written reader finds what the word regex finds', () => {
    expect(
      mismatchesOn((t) => {
        const lower = t.toLowerCase();
        return JSON.stringify(wordsOf(lower)) === JSON.stringify(referenceWords(lower));
      }),
    ).toEqual([]);
    fc.assert(
      fc.property(wordy, (text) => {
        const lower = text.toLowerCase();
        expect(wordsOf(lower)).toEqual(referenceWords(lower));
      }),
      { numRuns: 3000 },
    );
  });

  test('features: the same buckets, in the same order, with the same values, for every feature set', () => {
    const sameFeatures = (text: string, signals: string[], set: FeatureSet) =>
      JSON.stringify([...features(text, set, signals, names)]) ===
      JSON.stringify([...referenceFeatures(text, set, signals, names)]);
    // Each text as the model reads it, and the rules' signals on it, found once for all feature sets.
    const read = new Map<string, [string, string[]]>();
    const readOf = (t: string) => {
      let r = read.get(t);
      if (!r) {
        r = [engineText(t), ruleSignals(analyze(t, knowledge))];
        read.set(t, r);
      }
      return r;
    };
    // The shipped set and one that differs from it in every part, on every text; all of them on random ones.
    for (const set of FEATURE_SETS.slice(0, 2))
      expect(mismatchesOn((t) => sameFeatures(...readOf(t), set))).toEqual([]);
    // A signal given twice, and one whose bucket is one of the text's n-grams (its value replaced in place).
    const stacked = { ...TEXT_ONLY, rules: 0.5 };
    const text = 'the session expired again';
    const taken = new Set(referenceFeatures(text, stacked).keys());
    let colliding = 0;
    while (!taken.has(referenceHash(`r:x${colliding}`))) colliding++;
    // Two new buckets; then one new and one already the text's.
    for (const [signals, added] of [
      [['login', 'login', 'code'], 2],
      [[`x${colliding}`, 'login'], 1],
    ] as const) {
      expect(sameFeatures(text, [...signals], stacked)).toBe(true);
      expect(features(text, stacked, signals).size).toBe(taken.size + added);
    }
    fc.assert(
      fc.property(
        wordy,
        fc.constantFrom(...FEATURE_SETS),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
        (text, set, signals) => {
          expect([...features(text, set, signals, names)]).toEqual([
            ...referenceFeatures(text, set, signals, names),
          ]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("opinions: the shipped model's, to the bit, with the masked text handed over or not", () => {
    const model = shippedModel();
    expect(model).not.toBeNull();
    const loaded = model as NonNullable<typeof model>;
    const sameOpinion = (text: string) => {
      const rules = analyze(text, knowledge);
      const reference = JSON.stringify(referenceOpinion(engineText(text), ruleSignals(rules)));
      return (
        JSON.stringify(loaded.opinion(text, rules)) === reference &&
        JSON.stringify(loaded.opinion(text, rules, redactSecrets(text).text)) === reference
      );
    };
    expect(mismatchesOn(sameOpinion)).toEqual([]);
    fc.assert(
      fc.property(wordy, (text) => {
        expect(sameOpinion(text)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  test('asks: the same answer as asking the model every time on the raw text and joining as before', () => {
    const model = loadModel();
    const loaded = model as NonNullable<typeof model>;
    const combination = loaded.combination;
    expect(combination).toBeDefined();
    const c = combination as NonNullable<typeof combination>;
    // The answer as first joined: the rules, the model asked on the raw text, every time.
    const reference = (text: string) => {
      const rules = analyze(text, knowledge);
      const opinion = referenceOpinion(engineText(text), ruleSignals(rules));
      return JSON.stringify({
        ...withSecondOpinion(rules, opinion, c),
        secondOpinion: modelPart(rules, opinion, c),
      });
    };
    const asked = (text: string) => JSON.stringify(analyzeAsked(text, knowledge, loaded));
    expect(mismatchesOn((t) => asked(t) === reference(t))).toEqual([]);
  });
});
