/**
 * The ways of deciding that `npm run eval` compares (the ablation): the rules alone (the shipped
 * engine), the learned model alone, and both.
 *
 * The learned model is optional. When the project has one, `src/diagnosis/model.ts` exports
 * `loadModel(): LearnedModel | null` (null when its weights file is absent); the eval finds it there and
 * says "no model yet" otherwise. The model gets the message as posted and masks/normalises it itself,
 * the same way at training and at answering time.
 */
import { analyzeAsked, analyzePassive, passiveAnswer } from '../diagnosis/asked';
import { type Analysis, analyze, diagnose } from '../diagnosis/diagnose';
import type { Knowledge } from '../diagnosis/knowledge';
import type { TrainOptions } from '../diagnosis/model';
import type { Combination } from '../diagnosis/second-opinion';
import type { CauseId, Diagnosis } from '../diagnosis/types';
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
  /** `rules`: the rules' analysis of the same text, for a model that reads their findings. */
  opinion(text: string, rules?: Pick<Analysis, 'diagnosis' | 'decidedBy'>): ModelOpinion;
  /** How it joins the rules (chosen out of fold by `npm run train`); without one it never speaks. */
  combination?: Combination;
  /** What it was trained with, so the eval can re-run the cross-validation its combination was chosen by. */
  training?: TrainOptions;
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
  return verdictOf(diagnose(text, knowledge));
}

/**
 * What passive listening answers as shipped: its own reading (analyzePassive: the refusal check where
 * `refusalCheck: passive`, the model where `modelAnswersPassive`), then only at or above
 * `passiveMinConfidence`.
 */
export function passiveVerdict(text: string, knowledge: Knowledge): Verdict {
  const analysis = analyzePassive(text, knowledge);
  return passiveAnswer(analysis, knowledge).answers
    ? verdictOf(analysis.diagnosis)
    : { isTokenError: false, platform: null, cause: null, confidence: 0 };
}

const verdictOf = (d: Diagnosis): Verdict => ({
  isTokenError: d.isTokenError,
  platform: d.platform,
  cause: d.cause,
  confidence: d.confidence,
});

/** How sure the model must be to call a login error on its own. */
export const MODEL_DETECTS_ABOVE = 0.5;

/** The model on its own (it names no platform); a model that reads the rules' findings is given them. */
export function modelVerdict(text: string, knowledge: Knowledge, model: LearnedModel): Verdict {
  const o = model.opinion(text, analyze(text, knowledge));
  const top = o.causes[0];
  const isTokenError = o.pToken >= MODEL_DETECTS_ABOVE;
  return {
    isTokenError,
    platform: isTokenError ? (o.platform ?? null) : null,
    cause: isTokenError ? (top?.cause ?? 'unknown') : null,
    confidence: isTokenError ? (top?.p ?? 0) : 0,
  };
}

/**
 * Documented codes and other-problem wording keep the final word; the model fills in where the rules
 * are silent or say `unknown`, by the combination `npm run train` chose out of fold
 * (src/diagnosis/second-opinion.ts).
 */
export function bothVerdict(text: string, knowledge: Knowledge, model: LearnedModel): Verdict {
  return verdictOf(analyzeAsked(text, knowledge, model).diagnosis);
}
