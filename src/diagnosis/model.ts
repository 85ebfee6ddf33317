/**
 * A small learned second opinion: L2-regularised logistic regression for "is this a login error" and
 * softmax regression for "which cause", over hashed word n-grams and character n-grams of the
 * (redacted, normalised) text, plus — when trained so — what the rules themselves found (their decision,
 * its path, the cause, a code, a platform, another problem's kind): a stacked model that sees the rules'
 * verdict. Trained by `npm run train` on the corpus's tune split with full-batch gradient descent in a
 * fixed order, so the same corpus always gives the same weights; the weights are a committed data file
 * (knowledge/model.json), read by `loadModel()`; everything else here is pure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from './diagnose';
import { normalize } from './normalize';
import { redactSecrets } from './redact';
import type { Combination } from './second-opinion';
import { CAUSE_IDS, type CauseId } from './types';

/** Where `npm run train` writes the weights. */
export const MODEL_FILE = join(__dirname, '..', '..', 'knowledge', 'model.json');

/**
 * The text as the engine reads it (secrets masked, markup and JSON normalised): what the model learns
 * from. `masked`: the text masked already (redactSecrets(text).text), so it isn't masked twice.
 */
export function engineText(text: string, masked = redactSecrets(text).text): string {
  return normalize(masked);
}

/** Feature space: 2^20 hashed buckets (collisions are rare at this corpus size). */
const BUCKET_BITS = 20;
const BUCKET_MASK = (1 << BUCKET_BITS) - 1;
/** Only the start of a long paste is read: the decisive part comes first, and the cost stays flat. */
const MAX_CHARS = 4000;
/**
 * The most bytes of JSON each part of the weights may take in the file: the strongest features are
 * kept until the next would not fit, so the file stays under its 2 MB limit whatever the corpus grows
 * to (with the names and the rest, about 1.6 MB at most; test/eval/model-size.test.ts checks the sum).
 */
export const WEIGHT_BYTES = { token: 800_000, cause: 750_000 } as const;

/** Which features the model reads; chosen on out-of-fold tune figures (src/bench/train.ts). */
export interface FeatureSet {
  /** Word unigrams. */
  words: boolean;
  /** Word bigrams. */
  bigrams: boolean;
  /** Character n-grams of this length inside words (0: none). */
  charN: number;
  /** What the rules found, as features of this weight (0: the text alone). */
  rules: number;
  /**
   * Any known platform or product name read as one placeholder word, so what people say about one
   * platform teaches the model about the others ("my HubSpot connection keeps expiring" and "my Jira
   * connection keeps expiring" read alike). The names are the knowledge's, stored with the weights.
   */
  names?: boolean;
  /** Digit runs inside words read as one digit class ("aadsts50173" and "aadsts700082" share features). */
  digitClass?: boolean;
}

export const TEXT_ONLY: FeatureSet = { words: true, bigrams: true, charN: 4, rules: 0 };

export interface ModelWeights {
  format: 'tokenfix-model-3';
  /** What it was trained on, for the report. */
  trainedOn: { positives: number; negatives: number };
  featureSet: FeatureSet;
  /** The platform and product names read as one placeholder (when featureSet.names), as trained. */
  names?: string[];
  /** The training options, so that `npm run eval` can re-run the cross-validation they were chosen by. */
  trainedWith?: Omit<Required<TrainOptions>, 'featureSet' | 'names'>;
  /** How its opinion joins the rules' (thresholds and confidence chosen out of fold by `npm run train`). */
  combination?: Combination;
  token: { bias: number; weights: Record<string, number> };
  cause: { classes: CauseId[]; bias: number[]; weights: Record<string, number[]> };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 32;

/**
 * FNV-1a, 32 bits (fast, stable across runs and platforms): its state after reading `s` on from state
 * `h`. A key is read in pieces ("c:", then the characters of a word) so no string is built for it.
 */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** A key's bucket from its finished FNV-1a state. */
const bucketOf = (h: number) => (h >>> 0) & BUCKET_MASK;
const hash = (s: string) => bucketOf(fnv(FNV_OFFSET, s));
/** FNV-1a states after each feature kind's prefix. */
const WORD_KEY = fnv(FNV_OFFSET, 'w:');
const BIGRAM_KEY = fnv(FNV_OFFSET, 'b:');
const CHAR_KEY = fnv(FNV_OFFSET, 'c:');

/**
 * What the rules found, as words the model can weigh: whether they call a login error and by which
 * decision path, the cause, whether a documented code or a platform was found, another problem's kind.
 */
export function ruleSignals(analysis: Pick<Analysis, 'diagnosis' | 'decidedBy'>): string[] {
  const d = analysis.diagnosis;
  const signals = [d.isTokenError ? 'login' : 'silent'];
  if (analysis.decidedBy) signals.push(`path:${analysis.decidedBy}`);
  if (d.cause) signals.push(`cause:${d.cause}`);
  if (d.errorCode) signals.push('code');
  if (d.platform) signals.push('platform');
  if (d.otherKind) signals.push('other', `other:${d.otherKind}`);
  if (d.secretsRedacted > 0) signals.push('secret');
  return signals;
}

/** The word every known platform or product name becomes; `#` keeps it out of the character n-grams. */
export const NAME_PLACEHOLDER = '#name';

/** Longer words are cut to this many characters (a pasted blob is one word, and says little). */
const MAX_WORD = 40;

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * The words of a lower-case text as written, each cut to `maxLength`: what names are matched against.
 * A word is what /[a-z0-9]+(?:[_'][a-z0-9]+)*\/g matches (letters and digits, joined by single `_` or
 * `'`), read by hand: the regex's match objects cost about 40% of the model's reading.
 */
export function wordsOf(lower: string, maxLength = MAX_WORD): string[] {
  const words: string[] = [];
  const end = lower.length;
  for (let i = 0; i < end; ) {
    if (!isWordChar(lower.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      while (i < end && isWordChar(lower.charCodeAt(i))) i++;
      const c = lower.charCodeAt(i);
      // A joiner counts only with a letter or digit after it (past the end, charCodeAt is NaN).
      if ((c === 95 || c === 39) && isWordChar(lower.charCodeAt(i + 1))) i++;
      else break;
    }
    words.push(lower.slice(start, Math.min(i, start + maxLength)));
  }
  return words;
}

/**
 * A word as the model reads it: whole numbers as `#length`, and with the digit class, digit runs as one
 * digit. Applied after names are read, so names with digits ("dynamics 365", "ga4") still match.
 */
function shapeOf(word: string, digitClass: boolean): string {
  // Numbers say little by themselves (dates, ids), but their length hints at codes.
  if (/^\d+$/.test(word)) return `#${word.length}`;
  return digitClass ? word.replace(/\d+/g, '0') : word;
}

/**
 * Finds known platform and product names (one or more words, as the knowledge writes them) in a list
 * of words and puts one placeholder in their place, the longest name first. Linear in the words: at
 * each word only the names starting with it are tried.
 */
export class NameMatcher {
  private readonly byFirstWord = new Map<string, string[][]>();

  constructor(readonly names: readonly string[]) {
    for (const name of names) {
      const words = wordsOf(name.toLowerCase(), Number.POSITIVE_INFINITY);
      const first = words[0];
      if (first === undefined) continue;
      const list = this.byFirstWord.get(first) ?? [];
      list.push(words);
      this.byFirstWord.set(first, list);
    }
    for (const list of this.byFirstWord.values()) list.sort((a, b) => b.length - a.length);
  }

  replace(words: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < words.length; ) {
      const candidates = this.byFirstWord.get(words[i] as string);
      const match = candidates?.find((name) => name.every((w, j) => words[i + j] === w));
      if (match) {
        out.push(NAME_PLACEHOLDER);
        i += match.length;
      } else out.push(words[i++] as string);
    }
    return out;
  }
}

/**
 * Every name the rules read as naming a platform or one of its products (compile.ts: `names`, and each
 * product's name and `names`; a platform's display name only when listed there too, since some are
 * everyday words: Close, GoTo), without the one-word proper names that are ordinary words too, such as
 * Zoom or Box, sorted.
 */
export function platformNames(
  platforms: readonly {
    names: readonly string[];
    properNames: readonly string[];
    dataSources: readonly { name: string; names: readonly string[] }[];
  }[],
): string[] {
  const ordinary = new Set(platforms.flatMap((p) => p.properNames.map((n) => n.toLowerCase())));
  const names = new Set<string>();
  for (const p of platforms)
    for (const n of [...p.names, ...p.dataSources.flatMap((d) => [d.name, ...d.names])])
      if (!ordinary.has(n.toLowerCase())) names.add(n.toLowerCase());
  return [...names].sort();
}

/**
 * Bucket → a non-negative number, by open addressing in typed arrays: faster than a Map, and smaller
 * than a table of all 2^20 buckets (a few kB for a text's features, 1.5 MB for the shipped weights,
 * against 4 MB). Buckets are hash bits already, so their low bits spread them. Emptied at once by
 * moving to a new generation.
 */
class BucketIndex {
  /** Per place: its bucket, its value, and the generation it was written in (older ones are empty). */
  private keys: Int32Array;
  private vals: Int32Array;
  private written: Int32Array;
  private generation = 1;
  size = 0;

  constructor(expected: number) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Int32Array(capacity);
    this.vals = new Int32Array(capacity);
    this.written = new Int32Array(capacity);
  }

  /** The bucket's value, or -1. */
  get(bucket: number): number {
    const mask = this.keys.length - 1;
    for (let i = bucket & mask; this.written[i] === this.generation; i = (i + 1) & mask)
      if (this.keys[i] === bucket) return this.vals[i] as number;
    return -1;
  }

  /** Sets a bucket that has no value yet. */
  add(bucket: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = bucket & mask;
    while (this.written[i] === this.generation) i = (i + 1) & mask;
    this.keys[i] = bucket;
    this.vals[i] = value;
    this.written[i] = this.generation;
    this.size++;
  }

  clear(): void {
    this.size = 0;
    if (++this.generation < 0x7fffffff) return;
    this.written.fill(0);
    this.generation = 1;
  }

  private grow(): void {
    const { keys, vals, written, generation } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.vals = new Int32Array(keys.length * 2);
    this.written = new Int32Array(keys.length * 2);
    this.generation = 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++)
      if (written[i] === generation) this.add(keys[i] as number, vals[i] as number);
  }
}

/**
 * A text's features counted by bucket, in the order first seen (the order the model sums them in, so
 * scores come out the same to the bit), without a Map or a string per feature. One is shared by every
 * call (all of them synchronous) and emptied before each text.
 */
class FeatureCounts {
  private readonly slotOf = new BucketIndex(1024);
  buckets = new Int32Array(1024);
  values = new Float64Array(1024);
  size = 0;

  /** One more of this bucket. */
  add(bucket: number): void {
    const slot = this.slotOf.get(bucket);
    if (slot >= 0) this.values[slot] = (this.values[slot] as number) + 1;
    else this.append(bucket, 1);
  }

  /** This bucket's value set, where it stands or last. */
  set(bucket: number, value: number): void {
    const slot = this.slotOf.get(bucket);
    if (slot >= 0) this.values[slot] = value;
    else this.append(bucket, value);
  }

  private append(bucket: number, value: number): void {
    if (this.size === this.buckets.length) {
      const buckets = new Int32Array(this.size * 2);
      buckets.set(this.buckets);
      this.buckets = buckets;
      const values = new Float64Array(this.size * 2);
      values.set(this.values);
      this.values = values;
    }
    this.slotOf.add(bucket, this.size);
    this.buckets[this.size] = bucket;
    this.values[this.size++] = value;
  }

  clear(): void {
    this.slotOf.clear();
    this.size = 0;
  }
}

let sharedCounts: FeatureCounts | undefined;

/**
 * The text's features into `counts` (cleared first): its n-grams L2-normalised so long and short texts
 * weigh alike, then the rules' signals on top at a fixed weight, whatever the text's length.
 */
function countFeatures(
  counts: FeatureCounts,
  text: string,
  set: FeatureSet,
  signals: readonly string[],
  names: NameMatcher | undefined,
): void {
  counts.clear();
  const lower = text.slice(0, MAX_CHARS).toLowerCase();
  const n = set.charN;
  const words = wordsOf(lower);
  const digitClass = set.digitClass === true;
  // FNV state after "b:" + the previous word + " ": a bigram's key goes on from it with this word.
  let afterPrevious = 0;
  let hasPrevious = false;
  for (const word of set.names && names ? names.replace(words) : words) {
    const token = word === NAME_PLACEHOLDER ? word : shapeOf(word, digitClass);
    if (set.words) counts.add(bucketOf(fnv(WORD_KEY, token)));
    if (set.bigrams && hasPrevious) counts.add(bucketOf(fnv(afterPrevious, token)));
    afterPrevious = Math.imul(fnv(BIGRAM_KEY, token) ^ SPACE, FNV_PRIME);
    hasPrevious = true;
    if (n > 0 && token.length > n && token.charCodeAt(0) !== 35) {
      // The n-grams of the word with a blank on each side, read in place: a blank, the word, a blank.
      const last = token.length + 1;
      for (let i = 0; i + n <= last + 1; i++) {
        let h = CHAR_KEY;
        for (let j = i; j < i + n; j++)
          h = Math.imul(h ^ (j === 0 || j === last ? SPACE : token.charCodeAt(j - 1)), FNV_PRIME);
        counts.add(bucketOf(h));
      }
    }
  }
  let norm = 0;
  for (let i = 0; i < counts.size; i++) norm += (counts.values[i] as number) * (counts.values[i] as number);
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < counts.size; i++) counts.values[i] = (counts.values[i] as number) / norm;
  if (set.rules > 0) for (const s of signals) counts.set(hash(`r:${s}`), set.rules);
}

/** The text's features (countFeatures): bucket → value, in the order first seen. */
export function features(
  text: string,
  set: FeatureSet = TEXT_ONLY,
  signals: readonly string[] = [],
  names?: NameMatcher,
): Map<number, number> {
  sharedCounts ??= new FeatureCounts();
  countFeatures(sharedCounts, text, set, signals, names);
  const map = new Map<number, number>();
  for (let i = 0; i < sharedCounts.size; i++)
    map.set(sharedCounts.buckets[i] as number, sharedCounts.values[i] as number);
  return map;
}

export interface TrainingExample {
  text: string;
  isTokenError: boolean;
  /** The causes an expert would accept (positives only); the cause model spreads its target over them. */
  causes?: readonly CauseId[];
  /** What the rules found on the text (ruleSignals), read when the feature set includes them. */
  signals?: readonly string[];
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Weight of a positive relative to a negative, after balancing the classes (1: balanced). */
  positiveWeight?: number;
  featureSet?: FeatureSet;
  /** The names read as one placeholder when featureSet.names (platformNames of the knowledge). */
  names?: readonly string[];
  /** The most bytes of JSON the detection and the cause weights may each take (WEIGHT_BYTES). */
  weightBytes?: { token: number; cause: number };
}

/** The options `npm run train` uses: chosen on out-of-fold tune figures (npm run train -- --cv). */
export const DEFAULT_TRAINING: Required<Omit<TrainOptions, 'names'>> = {
  epochs: 300,
  learningRate: 8,
  l2: 3e-5,
  positiveWeight: 1,
  featureSet: { ...TEXT_ONLY, rules: 0.5, names: true },
  weightBytes: WEIGHT_BYTES,
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const round = (v: number) => Math.round(v * 1_000) / 1_000;

/** Examples as dense-indexed sparse rows, so training runs on typed arrays instead of maps. */
function indexed(rows: Map<number, number>[]): { buckets: number[]; idx: Int32Array[]; val: Float64Array[] } {
  const index = new Map<number, number>();
  const buckets: number[] = [];
  const idx: Int32Array[] = [];
  const val: Float64Array[] = [];
  for (const row of rows) {
    const keys = [...row.keys()].sort((a, b) => a - b);
    const i = new Int32Array(keys.length);
    const v = new Float64Array(keys.length);
    keys.forEach((k, j) => {
      let at = index.get(k);
      if (at === undefined) {
        at = buckets.length;
        index.set(k, at);
        buckets.push(k);
      }
      i[j] = at;
      v[j] = row.get(k) as number;
    });
    idx.push(i);
    val.push(v);
  }
  return { buckets, idx, val };
}

/** The weights file's text as `npm run train` writes it. */
export function modelJson(weights: ModelWeights): string {
  return `${JSON.stringify(weights)}\n`;
}

/** Weights below this are dropped before any budget: they hardly move a score. */
const MIN_STRENGTH = 5e-3;

/**
 * The strongest entries (ties: the lower bucket) whose JSON, written as an object by bucket, takes at
 * most `budget` bytes, in bucket order. Each entry's bytes are counted as written
 * (`"bucket":value,`), so the bound holds whatever the values look like.
 */
export function strongestWithin<V>(
  entries: readonly { bucket: number; strength: number; value: V }[],
  budget: number,
): Record<string, V> {
  const ranked = entries
    .filter((e) => e.strength >= MIN_STRENGTH)
    .sort((a, b) => b.strength - a.strength || a.bucket - b.bucket);
  const kept: typeof ranked = [];
  // The braces take 2 bytes; every entry but the last is followed by a comma, counted with it.
  let bytes = 2;
  for (const e of ranked) {
    const size = JSON.stringify(String(e.bucket)).length + 1 + JSON.stringify(e.value).length + 1;
    if (bytes + size - 1 > budget) break;
    bytes += size;
    kept.push(e);
  }
  const out: Record<string, V> = {};
  for (const e of kept.sort((a, b) => a.bucket - b.bucket)) out[e.bucket] = e.value;
  return out;
}

export function train(examples: readonly TrainingExample[], options: TrainOptions = {}): ModelWeights {
  const {
    epochs,
    learningRate: rate,
    l2,
    positiveWeight,
    featureSet,
    weightBytes,
  } = { ...DEFAULT_TRAINING, ...options };
  // Without the names, a model meant to read them would silently learn the names themselves.
  if (featureSet.names && !options.names)
    throw new Error('featureSet.names needs the names to read as one (platformNames of the knowledge)');
  const names = featureSet.names ? [...(options.names ?? [])] : undefined;
  const matcher = names ? new NameMatcher(names) : undefined;
  const { buckets, idx, val } = indexed(
    examples.map((e) => features(e.text, featureSet, e.signals, matcher)),
  );
  const F = buckets.length;
  const n = examples.length;

  // Detection: class-balanced logistic regression.
  const positives = examples.filter((e) => e.isTokenError).length;
  const negatives = n - positives;
  const weightOf = examples.map((e) =>
    e.isTokenError ? (positiveWeight * n) / (2 * Math.max(1, positives)) : n / (2 * Math.max(1, negatives)),
  );
  const w = new Float64Array(F);
  const grad = new Float64Array(F);
  let bias = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    let gBias = 0;
    for (let e = 0; e < n; e++) {
      const i = idx[e] as Int32Array;
      const v = val[e] as Float64Array;
      let z = bias;
      for (let j = 0; j < i.length; j++) z += (w[i[j] as number] as number) * (v[j] as number);
      const err =
        (sigmoid(z) - ((examples[e] as TrainingExample).isTokenError ? 1 : 0)) * (weightOf[e] as number);
      gBias += err;
      for (let j = 0; j < i.length; j++)
        grad[i[j] as number] = (grad[i[j] as number] as number) + err * (v[j] as number);
    }
    bias -= (rate * gBias) / n;
    for (let k = 0; k < F; k++)
      w[k] = (w[k] as number) - rate * ((grad[k] as number) / n + l2 * (w[k] as number));
  }

  // Cause: softmax regression on the positives, the target spread over the accepted causes.
  const classes = [...CAUSE_IDS];
  const C = classes.length;
  const pos: number[] = [];
  for (let e = 0; e < n; e++) if ((examples[e] as TrainingExample).isTokenError) pos.push(e);
  const targets = pos.map((e) => {
    const ex = examples[e] as TrainingExample;
    const accepted: readonly CauseId[] = ex.causes && ex.causes.length > 0 ? ex.causes : ['unknown'];
    return classes.map((c) => (accepted.includes(c) ? 1 / accepted.length : 0));
  });
  const cw = new Float64Array(F * C);
  const cGrad = new Float64Array(F * C);
  const cBias = new Float64Array(C);
  const gBias = new Float64Array(C);
  const z = new Float64Array(C);
  const np = Math.max(1, pos.length);
  for (let epoch = 0; epoch < epochs; epoch++) {
    cGrad.fill(0);
    gBias.fill(0);
    for (let p = 0; p < pos.length; p++) {
      const e = pos[p] as number;
      const i = idx[e] as Int32Array;
      const v = val[e] as Float64Array;
      z.set(cBias);
      for (let j = 0; j < i.length; j++) {
        const base = (i[j] as number) * C;
        const x = v[j] as number;
        for (let c = 0; c < C; c++) z[c] = (z[c] as number) + (cw[base + c] as number) * x;
      }
      // z becomes the error (softmax − target) in place.
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, z[c] as number);
      let sum = 0;
      for (let c = 0; c < C; c++) {
        z[c] = Math.exp((z[c] as number) - max);
        sum += z[c] as number;
      }
      const target = targets[p] as number[];
      for (let c = 0; c < C; c++) {
        z[c] = (z[c] as number) / sum - (target[c] as number);
        gBias[c] = (gBias[c] as number) + (z[c] as number);
      }
      for (let j = 0; j < i.length; j++) {
        const base = (i[j] as number) * C;
        const x = v[j] as number;
        for (let c = 0; c < C; c++) cGrad[base + c] = (cGrad[base + c] as number) + (z[c] as number) * x;
      }
    }
    for (let c = 0; c < C; c++) cBias[c] = (cBias[c] as number) - (rate * (gBias[c] as number)) / np;
    for (let k = 0; k < F * C; k++)
      cw[k] = (cw[k] as number) - rate * ((cGrad[k] as number) / np + l2 * (cw[k] as number));
  }

  // Stored sparse and rounded, the strongest first within each part's byte budget: weights too small
  // to matter are dropped, and the file stays small whatever the corpus grows to.
  const tokenWeights = strongestWithin(
    buckets.map((b, k) => ({ bucket: b, strength: Math.abs(w[k] as number), value: round(w[k] as number) })),
    weightBytes.token,
  );
  const causeWeights = strongestWithin(
    buckets.map((b, k) => {
      const row = Array.from(cw.subarray(k * C, k * C + C));
      return { bucket: b, strength: Math.max(...row.map(Math.abs)), value: row.map(round) };
    }),
    weightBytes.cause,
  );
  return {
    format: 'tokenfix-model-3',
    trainedOn: { positives, negatives },
    featureSet,
    ...(names ? { names } : {}),
    token: { bias: round(bias), weights: tokenWeights },
    cause: { classes, bias: Array.from(cBias, round), weights: causeWeights },
  };
}

export interface ModelOpinion {
  /** P(login error). */
  pToken: number;
  /** Causes by probability, best first. */
  causes: { cause: CauseId; p: number }[];
}

/** The trained model, ready to score texts. */
export class TextModel {
  /** Bucket → its row in the weights below. */
  private readonly rowOf: BucketIndex;
  /** Each row's detection weight (0 when it has none). */
  private readonly token: Float64Array;
  /** Each row's place in `cause` (its nine weights start at row × classes), or -1 when it has none. */
  private readonly causeAt: Int32Array;
  private readonly cause: Float64Array;
  private readonly names: NameMatcher | undefined;

  constructor(private readonly weights: ModelWeights) {
    if (weights.format !== 'tokenfix-model-3')
      throw new Error(`unknown model format ${String(weights.format)}`);
    // Trained to read names as one word but stored without them: it would score every text differently
    // from how it was trained, so the file is as good as damaged.
    if (weights.featureSet.names && !Array.isArray(weights.names))
      throw new Error('the model reads platform names as one word, but the file holds no names');
    this.names = weights.featureSet.names ? new NameMatcher(weights.names ?? []) : undefined;
    const C = weights.cause.classes.length;
    const causeRows = Object.entries(weights.cause.weights);
    const buckets = [
      ...new Set([...Object.keys(weights.token.weights), ...causeRows.map(([k]) => k)].map(Number)),
    ];
    this.rowOf = new BucketIndex(buckets.length);
    for (const [row, b] of buckets.entries()) this.rowOf.add(b, row);
    this.token = new Float64Array(buckets.length);
    for (const [k, v] of Object.entries(weights.token.weights)) this.token[this.rowOf.get(Number(k))] = v;
    this.causeAt = new Int32Array(buckets.length).fill(-1);
    this.cause = new Float64Array(causeRows.length * C);
    causeRows.forEach(([k, v], i) => {
      this.causeAt[this.rowOf.get(Number(k))] = i * C;
      this.cause.set(v, i * C);
    });
  }

  /** Whether it reads the rules' findings (then opinion() needs them). */
  get readsRules(): boolean {
    return this.weights.featureSet.rules > 0;
  }

  /** The (masked, normalised) text's opinion; `signals` are ruleSignals() of the rules' analysis. */
  opinion(text: string, signals: readonly string[] = []): ModelOpinion {
    sharedCounts ??= new FeatureCounts();
    const fx = sharedCounts;
    countFeatures(fx, text, this.weights.featureSet, signals, this.names);
    let z = this.weights.token.bias;
    const classes = this.weights.cause.classes;
    const C = classes.length;
    const cz = [...this.weights.cause.bias];
    // Summed in the order the features were first seen, as the weights were trained and checked with.
    for (let i = 0; i < fx.size; i++) {
      const row = this.rowOf.get(fx.buckets[i] as number);
      if (row < 0) continue;
      const v = fx.values[i] as number;
      z += (this.token[row] as number) * v;
      const at = this.causeAt[row] as number;
      if (at >= 0) for (let c = 0; c < C; c++) cz[c] = (cz[c] as number) + (this.cause[at + c] as number) * v;
    }
    const p = softmax(cz);
    return {
      pToken: sigmoid(z),
      causes: classes.map((cause, c) => ({ cause, p: p[c] as number })).sort((a, b) => b.p - a.p),
    };
  }
}

/** A loaded model: its opinion of a message as posted, and how it joins the rules. */
export interface LoadedModel {
  /**
   * `rules`: the rules' analysis of the same message (read when the model was trained on their
   * findings); `masked`: the message as the redactor masked it for them (redactSecrets(text).text).
   */
  opinion(text: string, rules?: Pick<Analysis, 'diagnosis' | 'decidedBy'>, masked?: string): ModelOpinion;
  combination?: Combination;
  /** What it was trained with, to re-run the cross-validation its combination was chosen by. */
  training: TrainOptions;
}

/**
 * The trained model, or null when `npm run train` has not written one. It takes the message as
 * posted and masks and normalises it itself.
 */
export function loadModel(file = MODEL_FILE): LoadedModel | null {
  if (!existsSync(file)) return null;
  const weights = JSON.parse(readFileSync(file, 'utf8')) as ModelWeights;
  const model = new TextModel(weights);
  return {
    opinion: (text, rules, masked) =>
      model.opinion(engineText(text, masked), rules ? ruleSignals(rules) : []),
    ...(weights.combination ? { combination: weights.combination } : {}),
    training: {
      ...weights.trainedWith,
      featureSet: weights.featureSet,
      ...(weights.names ? { names: weights.names } : {}),
    },
  };
}
