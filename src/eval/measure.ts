/**
 * The figures `npm run eval` prints for a set of corpus items and one way of deciding (a Verdict per
 * item): login errors detected (recall on the positives), cause right and platform right (counted on
 * the detected positives), false alarms (negatives flagged as login errors), and the reliability of the
 * stated confidence (confidence band vs. how often the cause was right).
 */
import type { CauseId } from '../diagnosis/types';
import { type CorpusCase, isPositive } from './corpus';

export interface Verdict {
  isTokenError: boolean;
  platform: string | null;
  cause: CauseId | null;
  confidence: number;
}

export interface Figures {
  positives: number;
  detected: number;
  causeRight: number;
  platformRight: number;
  negatives: number;
  hardNegatives: number;
  falseAlarms: number;
  hardFalseAlarms: number;
}

export function measure(items: readonly CorpusCase[], verdicts: readonly Verdict[]): Figures {
  if (items.length !== verdicts.length) throw new Error('one verdict per item');
  const f: Figures = {
    positives: 0,
    detected: 0,
    causeRight: 0,
    platformRight: 0,
    negatives: 0,
    hardNegatives: 0,
    falseAlarms: 0,
    hardFalseAlarms: 0,
  };
  items.forEach((item, i) => {
    const v = verdicts[i] as Verdict;
    if (isPositive(item)) {
      f.positives++;
      if (!v.isTokenError) return;
      f.detected++;
      if (v.cause !== null && item.causes.includes(v.cause)) f.causeRight++;
      if (v.platform === item.platform) f.platformRight++;
    } else {
      f.negatives++;
      if (item.hard) f.hardNegatives++;
      if (!v.isTokenError) return;
      f.falseAlarms++;
      if (item.hard) f.hardFalseAlarms++;
    }
  });
  return f;
}

/** "97.1% (230/237)", or "–" when there is nothing to count. */
export function ratio(n: number, of: number): string {
  return of === 0 ? '–' : `${((100 * n) / of).toFixed(1)}% (${n}/${of})`;
}

/** The four headline cells: detected, cause right, platform right (both of detected), false alarms. */
export function headline(f: Figures): [string, string, string, string] {
  return [
    ratio(f.detected, f.positives),
    ratio(f.causeRight, f.detected),
    ratio(f.platformRight, f.detected),
    ratio(f.falseAlarms, f.negatives),
  ];
}

export interface ReliabilityRow {
  /** Lower and upper bound of the stated confidence; the last band includes 1. */
  from: number;
  to: number;
  n: number;
  meanConfidence: number;
  /** Share of these cards whose cause was right (a false alarm's never is). */
  accuracy: number;
}

export const BANDS = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

/** Every card shown (each item flagged as a login error), by the confidence it states for its cause. */
export function reliability(items: readonly CorpusCase[], verdicts: readonly Verdict[]): ReliabilityRow[] {
  const rows = BANDS.slice(0, -1).map((from, b) => ({
    from,
    to: BANDS[b + 1] as number,
    n: 0,
    sum: 0,
    right: 0,
  }));
  items.forEach((item, i) => {
    const v = verdicts[i] as Verdict;
    if (!v.isTokenError) return;
    const row = rows.find((r) => v.confidence < r.to || r.to === 1) as (typeof rows)[number];
    row.n++;
    row.sum += v.confidence;
    if (isPositive(item) && v.cause !== null && item.causes.includes(v.cause)) row.right++;
  });
  return rows.map(({ from, to, n, sum, right }) => ({
    from,
    to,
    n,
    meanConfidence: n ? sum / n : 0,
    accuracy: n ? right / n : 0,
  }));
}
