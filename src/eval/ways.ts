/**
 * The ways of deciding that `npm run eval` compares (the ablation): the rules alone (the shipped
 * engine), the learned model alone, and both.
 *
 * The learned model is optional. When the project has one, `src/diagnosis/model.ts` exports
 * `loadModel(): LearnedModel | null` (null when its weights file is absent); the eval finds it there and
 * says "no model yet" otherwise. The model gets the message as posted and masks/normalises it itself,
 * the same way at training and at answering time.
 */
import { diagnose } from '../diagnosis/diagnose';
import type { Knowledge } from '../diagnosis/knowledge';
import type { CauseId } from '../diagnosis/types';
import type { Verdict } from './measure';

export interface ModelOpinion {
  /** Probability that the text is a login/token error. */
  pToken: number;
  /** Causes, most probable first. */
  causes: { cause: CauseId; p: number }[];
  /** The platform, if the model names one. */
  platform?: string | null;
}

export interface LearnedModel {
  opinion(text: string): ModelOpinion;
}

interface ModelModule {
  loadModel?: () => LearnedModel | null;
}

/** The project's learned model, or null (with why) when there is none. */
export function loadLearnedModel(
  from = '../diagnosis/model',
): { model: LearnedModel; why?: undefined } | { model: null; why: string } {
  let mod: ModelModule;
  try {
    mod = require(from) as ModelModule;
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String(error).includes(from);
    if (missing) return { model: null, why: 'no model yet (src/diagnosis/model.ts is absent)' };
    throw error;
  }
  if (typeof mod.loadModel !== 'function')
    return { model: null, why: 'no model yet (src/diagnosis/model.ts exports no loadModel())' };
  const model = mod.loadModel();
  return model ? { model } : { model: null, why: 'no model yet (its weights file is absent: npm run train)' };
}

export function rulesVerdict(text: string, knowledge: Knowledge): Verdict {
  const d = diagnose(text, knowledge);
  return { isTokenError: d.isTokenError, platform: d.platform, cause: d.cause, confidence: d.confidence };
}

/** How sure the model must be to call a login error on its own. */
export const MODEL_DETECTS_ABOVE = 0.5;

export function modelVerdict(text: string, model: LearnedModel): Verdict {
  const o = model.opinion(text);
  const top = o.causes[0];
  const isTokenError = o.pToken >= MODEL_DETECTS_ABOVE;
  return {
    isTokenError,
    platform: isTokenError ? (o.platform ?? null) : null,
    cause: isTokenError ? (top?.cause ?? 'unknown') : null,
    confidence: isTokenError ? (top?.p ?? 0) : 0,
  };
}

/** Where the model may speak when the rules are silent or unsure: only when it is this sure. */
export const BOTH = { detectAbove: 0.9, causeAbove: 0.7 } as const;

/**
 * Documented codes and other-problem wording keep the final word; the model fills in where the rules
 * are silent (no code, no other kind of problem) or say `unknown`.
 */
export function bothVerdict(text: string, knowledge: Knowledge, model: LearnedModel): Verdict {
  const d = diagnose(text, knowledge);
  const o = model.opinion(text);
  const top = o.causes[0];
  if (!d.isTokenError) {
    if (d.otherKind === null && d.errorCode === null && o.pToken >= BOTH.detectAbove && top)
      return {
        isTokenError: true,
        platform: d.platform ?? o.platform ?? null,
        cause: top.cause,
        confidence: top.p,
      };
    return { isTokenError: false, platform: d.platform, cause: null, confidence: 0 };
  }
  if (d.cause === 'unknown' && top && top.cause !== 'unknown' && top.p >= BOTH.causeAbove)
    return { isTokenError: true, platform: d.platform, cause: top.cause, confidence: top.p };
  return { isTokenError: true, platform: d.platform, cause: d.cause, confidence: d.confidence };
}
