/**
 * A small learned second opinion: L2-regularised logistic regression for "is this a login error" and
 * softmax regression for "which cause", over hashed word unigrams and bigrams and character 4-grams of
 * the (redacted, normalised) text. Trained by `npm run train` on the corpus's tune split with
 * full-batch gradient descent in a fixed order, so the same corpus always gives the same weights; the
 * weights are a committed data file (knowledge/model.json), read by `loadModel()`; everything else
 * here is pure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalize } from './normalize';
import { redactSecrets } from './redact';
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

export interface ModelWeights {
  format: 'tokenfix-model-1';
  /** What it was trained on, for the report. */
  trainedOn: { positives: number; negatives: number };
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

/** Sparse features: bucket → value, L2-normalised so long and short texts weigh alike. */
export function features(text: string): Map<number, number> {
  const lower = text.slice(0, MAX_CHARS).toLowerCase();
  const counts = new Map<number, number>();
  const add = (key: string) => {
    const b = hash(key);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  };
  let previous = '';
  for (const m of lower.matchAll(/[a-z0-9]+(?:[_'][a-z0-9]+)*/g)) {
    const word = m[0].length > 40 ? m[0].slice(0, 40) : m[0];
    // Numbers say little by themselves (dates, ids), but their length hints at codes.
    const token = /^\d+$/.test(word) ? `#${word.length}` : word;
    add(`w:${token}`);
    if (previous) add(`b:${previous} ${token}`);
    previous = token;
    if (token.length >= 5 && token.charCodeAt(0) !== 35) {
      const padded = ` ${token} `;
      for (let i = 0; i + 4 <= padded.length; i++) add(`c:${padded.slice(i, i + 4)}`);
    }
  }
  let norm = 0;
  for (const v of counts.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of counts) counts.set(k, v / norm);
  return counts;
}

export interface TrainingExample {
  text: string;
  isTokenError: boolean;
  /** The causes an expert would accept (positives only); the cause model spreads its target over them. */
  causes?: readonly CauseId[];
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const round = (v: number) => Math.round(v * 1_000) / 1_000;

export function train(examples: readonly TrainingExample[], options: TrainOptions = {}): ModelWeights {
  const epochs = options.epochs ?? 300;
  const rate = options.learningRate ?? 2;
  const l2 = options.l2 ?? 1e-4;
  const x = examples.map((e) => features(e.text));

  // Detection: class-balanced logistic regression.
  const positives = examples.filter((e) => e.isTokenError).length;
  const negatives = examples.length - positives;
  const weightOf = (e: TrainingExample) =>
    e.isTokenError
      ? examples.length / (2 * Math.max(1, positives))
      : examples.length / (2 * Math.max(1, negatives));
  const w = new Map<number, number>();
  let bias = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Map<number, number>();
    let gBias = 0;
    examples.forEach((e, i) => {
      const fx = x[i] as Map<number, number>;
      let z = bias;
      for (const [k, v] of fx) z += (w.get(k) ?? 0) * v;
      const err = (sigmoid(z) - (e.isTokenError ? 1 : 0)) * weightOf(e);
      gBias += err;
      for (const [k, v] of fx) grad.set(k, (grad.get(k) ?? 0) + err * v);
    });
    const n = examples.length;
    bias -= (rate * gBias) / n;
    for (const [k, g] of grad) {
      const old = w.get(k) ?? 0;
      w.set(k, old - rate * (g / n + l2 * old));
    }
  }

  // Cause: softmax regression on the positives, the target spread over the accepted causes.
  const classes = [...CAUSE_IDS];
  const pos = examples
    .map((e, i) => ({ e, fx: x[i] as Map<number, number> }))
    .filter((p) => p.e.isTokenError);
  const cw = new Map<number, number[]>();
  const cBias = classes.map(() => 0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Map<number, number[]>();
    const gBias = classes.map(() => 0);
    for (const { e, fx } of pos) {
      const accepted: readonly CauseId[] = e.causes && e.causes.length > 0 ? e.causes : ['unknown'];
      const z = cBias.slice();
      for (const [k, v] of fx) {
        const row = cw.get(k);
        if (row) for (let c = 0; c < classes.length; c++) z[c] = (z[c] as number) + (row[c] as number) * v;
      }
      const p = softmax(z);
      const err = classes.map(
        (cause, c) => (p[c] as number) - (accepted.includes(cause) ? 1 / accepted.length : 0),
      );
      for (let c = 0; c < classes.length; c++) gBias[c] = (gBias[c] as number) + (err[c] as number);
      for (const [k, v] of fx) {
        let g = grad.get(k);
        if (!g) {
          g = classes.map(() => 0);
          grad.set(k, g);
        }
        for (let c = 0; c < classes.length; c++) g[c] = (g[c] as number) + (err[c] as number) * v;
      }
    }
    const n = Math.max(1, pos.length);
    for (let c = 0; c < classes.length; c++)
      cBias[c] = (cBias[c] as number) - (rate * (gBias[c] as number)) / n;
    for (const [k, g] of grad) {
      const old = cw.get(k) ?? classes.map(() => 0);
      cw.set(
        k,
        old.map((o, c) => o - rate * ((g[c] as number) / n + l2 * o)),
      );
    }
  }

  // Stored sparse and rounded: weights too small to matter are dropped (keeps the file small).
  const tokenWeights: Record<string, number> = {};
  for (const [k, v] of [...w].sort((a, b) => a[0] - b[0]))
    if (Math.abs(v) >= 5e-3) tokenWeights[k] = round(v);
  // The cause weights are nine numbers a feature: only the strongest features are kept, so the file
  // stays under 2 MB whatever the corpus grows to.
  const causeWeights: Record<string, number[]> = {};
  const strength = (v: number[]) => Math.max(...v.map(Math.abs));
  const strongest = [...cw]
    .filter(([, v]) => strength(v) >= 5e-3)
    .sort((a, b) => strength(b[1]) - strength(a[1]) || a[0] - b[0])
    .slice(0, MAX_CAUSE_FEATURES)
    .sort((a, b) => a[0] - b[0]);
  for (const [k, v] of strongest) causeWeights[k] = v.map(round);
  return {
    format: 'tokenfix-model-1',
    trainedOn: { positives, negatives },
    token: { bias: round(bias), weights: tokenWeights },
    cause: { classes, bias: cBias.map(round), weights: causeWeights },
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

  constructor(private readonly weights: ModelWeights) {
    if (weights.format !== 'tokenfix-model-1')
      throw new Error(`unknown model format ${String(weights.format)}`);
    this.token = new Map(Object.entries(weights.token.weights).map(([k, v]) => [Number(k), v]));
    this.cause = new Map(Object.entries(weights.cause.weights).map(([k, v]) => [Number(k), v]));
  }

  opinion(text: string): ModelOpinion {
    const fx = features(text);
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

/**
 * The trained model for `npm run eval` (src/eval/ways.ts), or null when `npm run train` has not
 * written one. It takes the message as posted and masks and normalises it itself.
 */
export function loadModel(file = MODEL_FILE): { opinion(text: string): ModelOpinion } | null {
  if (!existsSync(file)) return null;
  const model = new TextModel(JSON.parse(readFileSync(file, 'utf8')) as ModelWeights);
  return { opinion: (text) => model.opinion(engineText(text)) };
}
