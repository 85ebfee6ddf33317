/**
 * What decided a diagnosis's cause (its decision path), and how sure each path lets the engine be.
 *
 * The stated confidence of a path is its observed accuracy on the corpus's tune split, written to
 * knowledge/calibration.yml by `npm run calibrate` (src/bench/calibrate.ts). The values below are the
 * fallback when that file is absent, and the prior the calibration starts from.
 */

/** Few groups, so that each has enough items to measure. */
export const DECISION_PATHS = [
  /** A documented code whose table row names a cause. */
  'documentedCode',
  /** Cause wording, one hit, no other cause as strong. */
  'wordingOneHit',
  'wordingTwoHits',
  'wordingThreeOrMoreHits',
  /** Two causes' wordings equally strong: the first in the article's order wins. */
  'wordingContested',
  /** `unknown`: a documented code (or its row says `unknown`) and no wording that names a cause. */
  'codeWithoutCause',
  /** `unknown`: login wording alone, nothing that names a cause. */
  'noCause',
] as const;
export type DecisionPath = (typeof DECISION_PATHS)[number];

/** Wording paths, from the least to the most sure by construction: calibration keeps this order. */
export const WORDING_ORDER = [
  'wordingContested',
  'wordingOneHit',
  'wordingTwoHits',
  'wordingThreeOrMoreHits',
] as const satisfies readonly DecisionPath[];

/** The hand-set confidences the engine used before calibration (3+ hits was 0.88, 4+ 0.9). */
export const BUILT_IN_CONFIDENCE: Readonly<Record<DecisionPath, number>> = {
  documentedCode: 0.95,
  wordingOneHit: 0.78,
  wordingTwoHits: 0.83,
  wordingThreeOrMoreHits: 0.88,
  wordingContested: 0.62,
  codeWithoutCause: 0.8,
  noCause: 0.7,
};

/** The smallest step between ordered confidences (they are stated to two decimals). */
export const CONFIDENCE_STEP = 0.01;

/**
 * Alternatives as given, each strictly below the one before and the first strictly below the top, so
 * that a calibrated top that came out low never ranks under its own alternatives.
 */
export function belowTop<T extends { confidence: number }>(top: number, alternatives: T[]): T[] {
  let ceiling = top;
  return alternatives.map((a) => {
    const confidence = Math.max(0, Math.min(a.confidence, round2(ceiling - CONFIDENCE_STEP)));
    ceiling = confidence;
    return { ...a, confidence };
  });
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
