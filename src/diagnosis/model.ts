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

/** The text as the engine reads it (secrets masked, markup and JSON normalised): what the model learns from. */
export function engineText(text: string): string {
  return normalize(redactSecrets(text).text);
}

/** Feature space: 2^20 hashed buckets (collisions are rare at this corpus size). */
const BUCKET_BITS = 20;
const BUCKET_MASK = (1 << BUCKET_BITS) - 1;
/** Only the start of a long paste is read: the decisive part comes first, and the cost stays flat. */
const MAX_CHARS = 4000;
/** How many features keep cause weights in the file (the rest weigh least). */
const MAX_CAUSE_FEATURES = 12_000;

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

/** FNV-1a, 32 bits: fast, stable across runs and platforms. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & BUCKET_MASK;
}

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

const WORD = /[a-z0-9]+(?:[_'][a-z0-9]+)*/g;

/** The word every known platform or product name becomes; `#` keeps it out of the character n-grams. */
export const NAME_PLACEHOLDER = '#name';

/** The words of a text as written (lower case, long words cut): what names are matched against. */
function wordsOf(lower: string): string[] {
  const words: string[] = [];
  for (const m of lower.matchAll(WORD)) words.push(m[0].length > 40 ? m[0].slice(0, 40) : m[0]);
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
      const words = [...name.toLowerCase().matchAll(WORD)].map((m) => m[0]);
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
 * Sparse features: bucket → value. The text's n-grams are L2-normalised so long and short texts weigh
 * alike; the rules' signals come on top at a fixed weight, whatever the text's length.
 */
export function features(
  text: string,
  set: FeatureSet = TEXT_ONLY,
  signals: readonly string[] = [],
  names?: NameMatcher,
): Map<number, number> {
  const lower = text.slice(0, MAX_CHARS).toLowerCase();
  const counts = new Map<number, number>();
  const add = (key: string) => {
    const b = hash(key);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  };
  const n = set.charN;
  const words = wordsOf(lower);
  const digitClass = set.digitClass === true;
  let previous = '';
  for (const word of set.names && names ? names.replace(words) : words) {
    const token = word === NAME_PLACEHOLDER ? word : shapeOf(word, digitClass);
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
  if (set.rules > 0) for (const s of signals) counts.set(hash(`r:${s}`), set.rules);
  return counts;
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
}

/** The options `npm run train` uses: chosen on out-of-fold tune figures (npm run train -- --cv). */
export const DEFAULT_TRAINING: Required<Omit<TrainOptions, 'names'>> = {
  epochs: 300,
  learningRate: 8,
  l2: 3e-5,
  positiveWeight: 1,
  featureSet: { ...TEXT_ONLY, rules: 0.5, names: true },
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

export function train(examples: readonly TrainingExample[], options: TrainOptions = {}): ModelWeights {
  const { epochs, learningRate: rate, l2, positiveWeight, featureSet } = { ...DEFAULT_TRAINING, ...options };
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

  // Stored sparse and rounded: weights too small to matter are dropped (keeps the file small).
  const order = buckets.map((b, k) => [b, k] as const).sort((a, b) => a[0] - b[0]);
  const tokenWeights: Record<string, number> = {};
  for (const [b, k] of order) if (Math.abs(w[k] as number) >= 5e-3) tokenWeights[b] = round(w[k] as number);
  // The cause weights are nine numbers a feature: only the strongest features are kept, so the file
  // stays under 2 MB whatever the corpus grows to.
  const rowOf = (k: number) => Array.from(cw.subarray(k * C, k * C + C));
  const strength = new Float64Array(F);
  for (let k = 0; k < F * C; k++)
    strength[Math.floor(k / C)] = Math.max(strength[Math.floor(k / C)] as number, Math.abs(cw[k] as number));
  const strongest = order
    .filter(([, k]) => (strength[k] as number) >= 5e-3)
    .sort((a, b) => (strength[b[1]] as number) - (strength[a[1]] as number) || a[0] - b[0])
    .slice(0, MAX_CAUSE_FEATURES)
    .sort((a, b) => a[0] - b[0]);
  const causeWeights: Record<string, number[]> = {};
  for (const [b, k] of strongest) causeWeights[b] = rowOf(k).map(round);
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
  private readonly token: Map<number, number>;
  private readonly cause: Map<number, number[]>;
  private readonly names: NameMatcher | undefined;

  constructor(private readonly weights: ModelWeights) {
    if (weights.format !== 'tokenfix-model-3')
      throw new Error(`unknown model format ${String(weights.format)}`);
    // Trained to read names as one word but stored without them: it would score every text differently
    // from how it was trained, so the file is as good as damaged.
    if (weights.featureSet.names && !Array.isArray(weights.names))
      throw new Error('the model reads platform names as one word, but the file holds no names');
    this.names = weights.featureSet.names ? new NameMatcher(weights.names ?? []) : undefined;
    this.token = new Map(Object.entries(weights.token.weights).map(([k, v]) => [Number(k), v]));
    this.cause = new Map(Object.entries(weights.cause.weights).map(([k, v]) => [Number(k), v]));
  }

  /** Whether it reads the rules' findings (then opinion() needs them). */
  get readsRules(): boolean {
    return this.weights.featureSet.rules > 0;
  }

  /** The (masked, normalised) text's opinion; `signals` are ruleSignals() of the rules' analysis. */
  opinion(text: string, signals: readonly string[] = []): ModelOpinion {
    const fx = features(text, this.weights.featureSet, signals, this.names);
    let z = this.weights.token.bias;
    const classes = this.weights.cause.classes;
    const cz = [...this.weights.cause.bias];
    for (const [k, v] of fx) {
      z += (this.token.get(k) ?? 0) * v;
      const cw = this.cause.get(k);
      if (cw) for (let c = 0; c < classes.length; c++) cz[c] = (cz[c] as number) + (cw[c] as number) * v;
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
  /** `rules`: the rules' analysis of the same message (read when the model was trained on their findings). */
  opinion(text: string, rules?: Pick<Analysis, 'diagnosis' | 'decidedBy'>): ModelOpinion;
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
    opinion: (text, rules) => model.opinion(engineText(text), rules ? ruleSignals(rules) : []),
    ...(weights.combination ? { combination: weights.combination } : {}),
    training: {
      ...weights.trainedWith,
      featureSet: weights.featureSet,
      ...(weights.names ? { names: weights.names } : {}),
    },
  };
}
