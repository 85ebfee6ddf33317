/**
 * Explicit asks get the rules plus the learned model's opinion where the rules are silent
 * (src/diagnosis/asked.ts); passive listening takes it under its own setting (readAsk's `asked`).
 */
import { renderCard } from '../../src/cards';
import {
  analyzeAsked,
  analyzePassive,
  modelForAsks,
  modelForPassive,
  shippedModel,
} from '../../src/diagnosis/asked';
import { analyze } from '../../src/diagnosis/diagnose';
import { loadKnowledge } from '../../src/diagnosis/knowledge';
import type { LoadedModel, ModelOpinion } from '../../src/diagnosis/model';
import type { Combination } from '../../src/diagnosis/second-opinion';
import { loadCorpus } from '../../src/eval/corpus';
import { readAsk } from '../../src/slack/explain';

const knowledge = loadKnowledge();
const combination: Combination = {
  detectAbove: 0.65,
  detectNeedsPlatform: false,
  namedCauseAbove: 0.55,
  causeAbove: 2,
  confidence: { a: 1, b: 0 },
};
const sure = (pToken: number): ModelOpinion => ({
  pToken,
  causes: [
    { cause: 'unknown', p: 0.6 },
    { cause: 'token_max_lifetime', p: 0.4 },
  ],
});
/** A model that gives one opinion, and counts how often it was asked. */
function fakeModel(o: ModelOpinion) {
  const model = {
    calls: 0,
    combination,
    opinion: () => {
      model.calls++;
      return o;
    },
  };
  return model;
}

// Ordinary words with no login evidence for the rules; the fake model decides.
const silentText = 'the sync on our dashboard shows a red badge since this morning';

describe('explicit asks: the rules, then the learned model where they are silent', () => {
  test('a sure model calls a login error the rules were silent on, without evidence', () => {
    expect(analyze(silentText, knowledge).diagnosis.isTokenError).toBe(false);
    const asked = analyzeAsked(silentText, knowledge, fakeModel(sure(0.9)));
    expect(asked.secondOpinion).toBe('detected');
    expect(asked.diagnosis).toMatchObject({ isTokenError: true, cause: 'unknown', evidence: [] });
  });

  test('an unsure model changes nothing', () => {
    const asked = analyzeAsked(silentText, knowledge, fakeModel(sure(0.5)));
    expect(asked).toEqual({ ...analyze(silentText, knowledge), secondOpinion: null });
  });

  test('the model is not even asked when the rules decided (a code, a cause, another problem)', () => {
    for (const text of [
      'Error validating access token: Session has expired on Wednesday, 14-Aug-24 10:00:00 PDT.',
      '(#17) User request limit reached',
    ]) {
      const model = fakeModel(sure(0.99));
      expect(analyzeAsked(text, knowledge, model)).toEqual({
        ...analyze(text, knowledge),
        secondOpinion: null,
      });
      expect(model.calls).toBe(0);
    }
  });

  test('the model is not asked where the refusal check held a login error back', () => {
    const refusing = { ...knowledge, settings: { ...knowledge.settings, refusalCheck: 'all' as const } };
    const text = 'I created a new API key in my Mailchimp account and I keep getting "Invalid API key".';
    const rules = analyze(text, refusing);
    expect(rules).toMatchObject({ refusalHeldBack: true, diagnosis: { isTokenError: false } });
    const model = fakeModel(sure(0.99));
    expect(analyzeAsked(text, refusing, model)).toEqual({ ...rules, secondOpinion: null });
    expect(model.calls).toBe(0);
    // Without the check the same text is a login error, and nothing is held back.
    expect(analyze(text, knowledge)).not.toHaveProperty('refusalHeldBack');
    expect(analyze(text, knowledge).diagnosis.isTokenError).toBe(true);
  });

  test('no model file, or one without a combination: the rules alone', () => {
    expect(analyzeAsked(silentText, knowledge, null).secondOpinion).toBeNull();
    const bare: Pick<LoadedModel, 'opinion' | 'combination'> = { opinion: () => sure(0.99) };
    expect(analyzeAsked(silentText, knowledge, bare).diagnosis.isTokenError).toBe(false);
  });

  test('the shipped model carries the combination chosen out of fold by npm run train', () => {
    expect(shippedModel()?.combination?.detectAbove).toBeLessThanOrEqual(1);
  });

  test('the shipped model reads platform names as one placeholder, with the names it was trained with', () => {
    const training = shippedModel()?.training;
    expect(training?.featureSet?.names).toBe(true);
    expect(training?.names).toEqual(expect.arrayContaining(['hubspot', 'jira']));
  });
});

describe('readAsk: asked or passive', () => {
  // Tune items only: the check is that each path takes the model under its own setting, not a figure.
  // Every fourth one (about 1,400 texts, of which the model would change about 15) is plenty for that, at a
  // quarter of the time of all of them.
  const texts = loadCorpus()
    .filter((c) => c.split === 'tune')
    .filter((_, i) => i % 4 === 0)
    .map((c) => c.text);
  // With the refusal check off, both paths' rules answer alike, so the model's changes compare one to one.
  const withSettings = (modelAnswersAsks: boolean, modelAnswersPassive: boolean) => ({
    ...knowledge,
    settings: { ...knowledge.settings, modelAnswersAsks, modelAnswersPassive, refusalCheck: 'off' as const },
  });

  /**
   * How many texts the model changes, asked and passive, under these settings (counted once each), each
   * against its own path's rules (`refusalCheck: passive` makes them differ).
   */
  const counted = new Map<string, { asked: number; passive: number }>();
  function changedByModel(k: typeof knowledge): { asked: number; passive: number } {
    const key = `${k.settings.modelAnswersAsks} ${k.settings.modelAnswersPassive} ${k.settings.refusalCheck}`;
    const known = counted.get(key);
    if (known) return known;
    const counts = { asked: 0, passive: 0 };
    for (const text of texts) {
      const rules = JSON.stringify(analyze(text, k).diagnosis);
      const passiveRules = JSON.stringify(analyze(text, k, { passive: true }).diagnosis);
      const passive = readAsk(text, k, false, false);
      const asked = readAsk(text, k, false);
      if (passive.kind !== 'diagnose' || asked.kind !== 'diagnose') throw new Error('expected a diagnosis');
      expect(asked.analysis).toEqual(analyzeAsked(text, k));
      if (JSON.stringify(asked.analysis.diagnosis) !== rules) counts.asked++;
      if (JSON.stringify(passive.analysis.diagnosis) !== passiveRules) counts.passive++;
    }
    counted.set(key, counts);
    return counts;
  }

  test('as shipped (docs/EVALUATION.md, point 24: rules + model passed its test on blind, batch V), asks get the model and passive listening the rules alone', () => {
    expect(knowledge.settings.modelAnswersAsks).toBe(true);
    expect(knowledge.settings.modelAnswersPassive).toBe(false);
    expect(modelForAsks(knowledge)).not.toBeNull();
    expect(modelForPassive(knowledge)).toBeNull();
    const shipped = changedByModel(knowledge);
    expect(shipped.asked).toBeGreaterThan(0);
    expect(shipped.passive).toBe(0);
  });

  test('each setting governs its own path; off, a path is the rules alone', () => {
    expect(changedByModel(withSettings(false, false))).toEqual({ asked: 0, passive: 0 });
    const asksOnly = changedByModel(withSettings(true, false));
    expect(asksOnly.asked).toBeGreaterThan(0);
    expect(asksOnly.passive).toBe(0);
    const passiveOnly = changedByModel(withSettings(false, true));
    expect(passiveOnly.asked).toBe(0);
    expect(passiveOnly.passive).toBe(asksOnly.asked);
    const silent = 'the sync on our dashboard shows a red badge since this morning';
    expect(analyzePassive(silent, withSettings(false, false))).toEqual(analyze(silent, knowledge));
  });
});

describe("the card of the model's reading", () => {
  test('says no code or wording matched, and a rules card does not', () => {
    const byModel = analyzeAsked(silentText, knowledge, fakeModel(sure(0.9))).diagnosis;
    const line = /learned model’s reading/;
    expect(JSON.stringify(renderCard(knowledge, byModel).blocks)).toMatch(line);
    const byRules = analyze('Error validating access token: Session has expired', knowledge).diagnosis;
    expect(JSON.stringify(renderCard(knowledge, byRules).blocks)).not.toMatch(line);
  });
});
