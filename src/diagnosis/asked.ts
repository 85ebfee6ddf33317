/**
 * A diagnosis somebody asked for: `/tokenfix`, a mention, the message shortcut, a :key: reaction, the
 * CLI. There the rules speak first, and where they are silent the learned model may still call a
 * login error (src/diagnosis/second-opinion.ts, thresholds chosen out of fold by `npm run train`),
 * when the settings let it (`modelAnswersAsks`). Passive listening takes it only under its own setting
 * (`modelAnswersPassive`), decided separately because a wrong unasked reply costs a channel's trust
 * where a wrong answer to a question costs one look; the workflow step keeps the rules alone.
 */
import { type Analysis, analyze, analyzeMasked } from './diagnose';
import type { Knowledge } from './knowledge';
import { type LoadedModel, loadModel } from './model';
import { redactSecrets } from './redact';
import { type ModelPart, mayChange, modelPart, withSecondOpinion } from './second-opinion';

export interface AskedAnalysis extends Analysis {
  /** What the model added: a detection the rules were silent on, a cause they left unknown, or nothing. */
  secondOpinion: ModelPart;
}

let shipped: LoadedModel | null | undefined;

/** The committed model (knowledge/model.json), read once; null when there is none. */
export function shippedModel(): LoadedModel | null {
  if (shipped === undefined) shipped = loadModel();
  return shipped;
}

/** The model asks get: the committed one when the settings let it answer them (`modelAnswersAsks`), else none. */
export function modelForAsks(knowledge: Knowledge): LoadedModel | null {
  return knowledge.settings.modelAnswersAsks ? shippedModel() : null;
}

/** The model passive listening gets: the committed one when the settings let it (`modelAnswersPassive`), else none. */
export function modelForPassive(knowledge: Knowledge): LoadedModel | null {
  return knowledge.settings.modelAnswersPassive ? shippedModel() : null;
}

/**
 * A message heard unasked: the rules alone, or with the model where `modelAnswersPassive` lets it speak;
 * read as passive listening's (`refusalCheck: passive` applies here and not to asks).
 */
export function analyzePassive(text: string, knowledge: Knowledge): Analysis {
  const model = modelForPassive(knowledge);
  return model
    ? analyzeAsked(text, knowledge, model, { passive: true })
    : analyze(text, knowledge, { passive: true });
}

/** Why passive listening stays quiet on a message: no login error, the refusal check, or too unsure. */
export type PassiveSilence = 'not_login_error' | 'refusal_check' | 'below_min_confidence';

/**
 * Whether passive listening answers a message it read (analyzePassive): a login error at or above
 * `passiveMinConfidence`. The one place the listener, the CLI's --passive and the eval decide it.
 */
export function passiveAnswer(
  { diagnosis, refusalHeldBack }: Analysis,
  knowledge: Knowledge,
): { answers: true } | { answers: false; silence: PassiveSilence } {
  if (!diagnosis.isTokenError)
    return { answers: false, silence: refusalHeldBack ? 'refusal_check' : 'not_login_error' };
  if (diagnosis.confidence < knowledge.settings.passiveMinConfidence)
    return { answers: false, silence: 'below_min_confidence' };
  return { answers: true };
}

export function analyzeAsked(
  text: string,
  knowledge: Knowledge,
  model: Pick<LoadedModel, 'opinion' | 'combination'> | null = modelForAsks(knowledge),
  { passive = false }: { passive?: boolean } = {},
): AskedAnalysis {
  const masked = redactSecrets(typeof text === 'string' ? text : String(text ?? ''));
  const rules = analyzeMasked(masked, knowledge, { passive });
  const combination = model?.combination;
  // Most asks are decided by the rules (a code, a cause, another problem): the model isn't asked. Nor
  // where the refusal check held a login error back: the model must not undo the check.
  if (!model || !combination || rules.refusalHeldBack || !mayChange(rules, combination))
    return withPart(rules, null);
  const opinion = model.opinion(text, rules, masked.text);
  const part = modelPart(rules, opinion, combination);
  return withPart(part ? withSecondOpinion(rules, opinion, combination) : rules, part);
}

/**
 * The analysis with what the model added, built field by field: on the path nearly every message takes,
 * cheaper than spreading it into a new object.
 */
function withPart(
  { diagnosis, excerpt, decidedBy, refusalHeldBack }: Analysis,
  secondOpinion: ModelPart,
): AskedAnalysis {
  return refusalHeldBack
    ? { diagnosis, excerpt, decidedBy, refusalHeldBack, secondOpinion }
    : { diagnosis, excerpt, decidedBy, secondOpinion };
}
