/**
 * How the learned model's opinion joins the rules' diagnosis. Documented codes and another problem's
 * wording keep the final word: the model may call a login error only where the rules are silent (no
 * code, no other kind of problem), may withdraw one the rules found on wording alone (no code), and may
 * name a cause only where the rules say `unknown`. The
 * thresholds and the confidence mapping are chosen on out-of-fold tune scores by `npm run train` and
 * stored with the weights (knowledge/model.json). Pure.
 */
import { belowTop } from './confidence';
import type { Analysis } from './diagnose';
import type { ModelOpinion } from './model';
import type { CauseId } from './types';

export interface Combination {
  /** The model calls a login error the rules were silent on when P(login error) is at least this (above 1: never). */
  detectAbove: number;
  /** ...and only where the rules found the platform, so its card can name it. */
  detectNeedsPlatform: boolean;
  /** On such a login error, the model names its top cause when it is at least this probable, else `unknown` (above 1: always `unknown`). */
  namedCauseAbove: number;
  /** The model names the cause the rules left `unknown` when its top cause is at least this probable (above 1: never). */
  causeAbove: number;
  /**
   * The model withdraws a login error the rules found on wording alone (no error code matched) when its
   * P(login error) is below this (0, or absent in a file trained before it existed: never).
   */
  withdrawBelow?: number;
  /** Its cards' stated confidence: sigmoid(a·logit(raw) + b), fitted on its out-of-fold cards (Platt scaling). */
  confidence: { a: number; b: number };
}

/** The combination that never lets the model speak: the rules alone. */
export const RULES_ONLY: Combination = {
  detectAbove: 2,
  detectNeedsPlatform: true,
  namedCauseAbove: 2,
  causeAbove: 2,
  withdrawBelow: 0,
  confidence: { a: 1, b: 0 },
};

const clamp = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));
const logit = (p: number) => Math.log(clamp(p) / (1 - clamp(p)));
const round2 = (n: number) => Math.round(n * 100) / 100;

/** A model card's stated confidence for a raw score (its own probability that the card is right). */
export function statedConfidence(raw: number, c: Combination['confidence']): number {
  return round2(Math.min(0.99, Math.max(0.05, 1 / (1 + Math.exp(-(c.a * logit(raw) + c.b))))));
}

/**
 * What the model changes, if anything: a detection, a cause, a login error withdrawn, or nothing (the
 * rules' analysis as is).
 */
export type ModelPart = 'detected' | 'cause' | 'withdrawn' | null;
/** The parts that give a card of the model's own (a withdrawn login error gives the rules' "not a login error" card). */
export type ModelCardPart = 'detected' | 'cause';

/** Whether the combination lets the model withdraw this login error: found on wording alone, no code. */
function mayWithdraw(d: Pick<Analysis, 'diagnosis'>['diagnosis'], c: Combination): boolean {
  return (c.withdrawBelow ?? 0) > 0 && d.errorCode === null;
}

/**
 * Whether the model could change this diagnosis at all, before asking it: most chat is silent with no
 * platform named, and then the model's cost is skipped.
 */
export function mayChange(rules: Pick<Analysis, 'diagnosis'>, c: Combination): boolean {
  const d = rules.diagnosis;
  if (!d.isTokenError)
    return (
      c.detectAbove <= 1 &&
      d.otherKind === null &&
      d.errorCode === null &&
      (d.platform !== null || !c.detectNeedsPlatform)
    );
  return mayWithdraw(d, c) || (c.causeAbove <= 1 && d.cause === 'unknown');
}

export function modelPart(
  rules: Pick<Analysis, 'diagnosis'>,
  opinion: ModelOpinion,
  c: Combination,
): ModelPart {
  const top = opinion.causes[0];
  if (!top || !mayChange(rules, c)) return null;
  if (!rules.diagnosis.isTokenError) return opinion.pToken >= c.detectAbove ? 'detected' : null;
  if (mayWithdraw(rules.diagnosis, c) && opinion.pToken < (c.withdrawBelow ?? 0)) return 'withdrawn';
  if (!(c.causeAbove <= 1 && rules.diagnosis.cause === 'unknown')) return null;
  return top.cause !== 'unknown' && top.p >= c.causeAbove ? 'cause' : null;
}

/** The cause a model card names: its top cause, or `unknown` on a login error it is unsure why. */
export function modelCause(part: ModelCardPart, opinion: ModelOpinion, c: Combination): CauseId {
  const top = opinion.causes[0] as ModelOpinion['causes'][number];
  return part === 'cause' || top.p >= c.namedCauseAbove ? top.cause : 'unknown';
}

/**
 * The raw score a model card's confidence is calibrated from: how sure it is of the cause it names
 * (for `unknown`, as for the rules, how sure it is that this is a login error).
 */
export function rawConfidence(part: ModelCardPart, opinion: ModelOpinion, c: Combination): number {
  const top = opinion.causes[0]?.p ?? 0;
  if (part === 'cause') return top;
  return modelCause(part, opinion, c) === 'unknown' ? opinion.pToken : opinion.pToken * top;
}

/** The rules' analysis with the model's part joined in (unchanged when the model adds nothing). */
export function withSecondOpinion<A extends Analysis>(rules: A, opinion: ModelOpinion, c: Combination): A {
  const part = modelPart(rules, opinion, c);
  if (!part) return rules;
  if (part === 'withdrawn') {
    // The rules' "not a login error", keeping what they found (platform, the wording that matched): the
    // card says the words read like a login error but the model reads the whole message otherwise.
    return {
      ...rules,
      diagnosis: {
        ...rules.diagnosis,
        isTokenError: false,
        cause: null,
        confidence: 0,
        alternatives: [],
        otherKind: null,
      },
    };
  }
  const cause = modelCause(part, opinion, c);
  const confidence = statedConfidence(rawConfidence(part, opinion, c), c.confidence);
  const alternatives = belowTop(
    confidence,
    opinion.causes
      .filter((a) => a.cause !== cause)
      .slice(0, 3)
      .map((a) => ({ cause: a.cause, confidence: round2(a.p * confidence) })),
  );
  return {
    ...rules,
    diagnosis: { ...rules.diagnosis, isTokenError: true, cause, confidence, alternatives, otherKind: null },
  };
}
