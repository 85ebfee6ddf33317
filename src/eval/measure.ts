/**
 * The engine's figures on a set of corpus items: login errors detected (recall on positives), cause
 * right and platform right (on detected positives), false alarms (negatives flagged as login errors),
 * and a reliability table (stated confidence band vs. how often the cause was right).
 */
import type { CauseId } from '../diagnosis/types';
import type { CorpusItem } from './corpus';

export interface Verdict {
  isTokenError: boolean;
  platform: string | null;
  cause: CauseId | null;
  confidence: number;
}

export interface Figures {
  positives: number;
  negatives: number;
  detected: number;
  causeRight: number;
  platformRight: number;
  falseAlarms: number;
}

export function measure(items: readonly CorpusItem[], verdicts: readonly Verdict[]): Figures {
  const f: Figures = {
    positives: 0,
    negatives: 0,
    detected: 0,
    causeRight: 0,
    platformRight: 0,
    falseAlarms: 0,
  };
  items.forEach((item, i) => {
    const v = verdicts[i] as Verdict;
    if (item.positive) {
      f.positives++;
      if (!v.isTokenError) return;
      f.detected++;
      if (v.cause && item.causes.includes(v.cause)) f.causeRight++;
      if (v.platform === item.platform) f.platformRight++;
    } else {
      f.negatives++;
      if (v.isTokenError) f.falseAlarms++;
    }
  });
  return f;
}

const pct = (n: number, of: number) => (of === 0 ? '  –  ' : `${((100 * n) / of).toFixed(1).padStart(5)}%`);

/** One row: detected / cause / platform (of detected) / false alarms. */
export function figureCells(f: Figures): string[] {
  return [
    pct(f.detected, f.positives),
    pct(f.causeRight, f.detected),
    pct(f.platformRight, f.detected),
    pct(f.falseAlarms, f.negatives),
  ];
}

export interface ReliabilityRow {
  band: string;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

/** Over every item flagged as a login error: is its cause right (a false alarm never is)? */
export function reliability(items: readonly CorpusItem[], verdicts: readonly Verdict[]): ReliabilityRow[] {
  const bands = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];
  const rows: ReliabilityRow[] = [];
  for (let b = 0; b < bands.length - 1; b++) {
    const lo = bands[b] as number;
    const hi = bands[b + 1] as number;
    let n = 0;
    let sum = 0;
    let right = 0;
    items.forEach((item, i) => {
      const v = verdicts[i] as Verdict;
      if (!v.isTokenError || v.confidence < lo || v.confidence >= hi) return;
      n++;
      sum += v.confidence;
      if (item.positive && v.cause && item.causes.includes(v.cause)) right++;
    });
    rows.push({
      band: `${lo.toFixed(1)}–${Math.min(hi, 1).toFixed(1)}`,
      n,
      meanConfidence: n ? sum / n : 0,
      accuracy: n ? right / n : 0,
    });
  }
  return rows;
}
