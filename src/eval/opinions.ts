/**
 * The three ways of deciding that `npm run eval` compares: the rules alone (the shipped engine), the
 * learned model alone, and both (the rules, with the model deciding where the rules are silent or say
 * "unknown" and the model is sure).
 */
import { diagnose } from '../diagnosis/diagnose';
import type { Knowledge } from '../diagnosis/knowledge';
import type { TextModel } from '../diagnosis/model';
import { normalize } from '../diagnosis/normalize';
import { redactSecrets } from '../diagnosis/redact';
import type { Verdict } from './measure';

/** The text as the engine reads it (secrets masked, markup and JSON normalised): what the model is trained on. */
export function engineText(text: string): string {
  return normalize(redactSecrets(text).text);
}

export function rulesVerdict(text: string, knowledge: Knowledge): Verdict {
  const d = diagnose(text, knowledge);
  return { isTokenError: d.isTokenError, platform: d.platform, cause: d.cause, confidence: d.confidence };
}

export const MODEL_THRESHOLD = 0.5;

export function modelVerdict(text: string, model: TextModel): Verdict {
  const o = model.opinion(engineText(text));
  const top = o.causes[0];
  return {
    isTokenError: o.pToken >= MODEL_THRESHOLD,
    platform: null,
    cause: top?.cause ?? null,
    confidence: o.pToken >= MODEL_THRESHOLD ? (top?.p ?? 0) : 0,
  };
}

/** Where the model may overrule the rules: only when it is this sure. */
export const BOTH = { detectAbove: 0.9, causeAbove: 0.7 } as const;

export function bothVerdict(text: string, knowledge: Knowledge, model: TextModel): Verdict {
  const d = diagnose(text, knowledge);
  const o = model.opinion(engineText(text));
  const top = o.causes[0];
  // Documented codes and another problem's wording keep the final word: only silence is filled in.
  if (!d.isTokenError) {
    if (d.otherKind === null && d.errorCode === null && o.pToken >= BOTH.detectAbove && top)
      return { isTokenError: true, platform: d.platform, cause: top.cause, confidence: top.p };
    return { isTokenError: false, platform: d.platform, cause: null, confidence: 0 };
  }
  if (d.cause === 'unknown' && top && top.cause !== 'unknown' && top.p >= BOTH.causeAbove)
    return { isTokenError: true, platform: d.platform, cause: top.cause, confidence: top.p };
  return { isTokenError: true, platform: d.platform, cause: d.cause, confidence: d.confidence };
}
