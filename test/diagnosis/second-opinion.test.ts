/**
 * How the learned model's opinion joins the rules' diagnosis (src/diagnosis/second-opinion.ts): codes
 * and other problems keep the final word, the model speaks only where the rules are silent or unsure,
 * and its cards state a confidence below which its alternatives rank.
 */
import type { Analysis } from '../../src/diagnosis/diagnose';
import type { ModelOpinion } from '../../src/diagnosis/model';
import { type Combination, RULES_ONLY, withSecondOpinion } from '../../src/diagnosis/second-opinion';
import type { Diagnosis } from '../../src/diagnosis/types';

const silent: Diagnosis = {
  isTokenError: false,
  platform: 'google',
  dataSource: null,
  cause: null,
  confidence: 0,
  alternatives: [],
  errorCode: null,
  evidence: [],
  secretsRedacted: 0,
  otherKind: null,
};
const analysis = (d: Partial<Diagnosis>, decidedBy: Analysis['decidedBy'] = null): Analysis => ({
  diagnosis: { ...silent, ...d },
  excerpt: null,
  decidedBy,
});
const opinion = (
  pToken: number,
  causes: [ModelOpinion['causes'][number]['cause'], number][],
): ModelOpinion => ({
  pToken,
  causes: causes.map(([cause, p]) => ({ cause, p })),
});
const combination: Combination = {
  detectAbove: 0.8,
  detectNeedsPlatform: true,
  namedCauseAbove: 0.7,
  causeAbove: 0.9,
  confidence: { a: 1, b: 0 },
};
const sure = opinion(0.95, [
  ['password_changed', 0.6],
  ['unknown', 0.3],
  ['token_max_lifetime', 0.1],
]);

describe('where the rules are silent', () => {
  test('a sure model calls a login error, naming `unknown` when unsure why, below its stated confidence', () => {
    const d = withSecondOpinion(analysis({}), sure, combination).diagnosis;
    expect(d).toMatchObject({ isTokenError: true, platform: 'google', cause: 'unknown', confidence: 0.95 });
    expect(d.alternatives.map((a) => a.cause)).toEqual(['password_changed', 'token_max_lifetime']);
    for (const a of d.alternatives) expect(a.confidence).toBeLessThan(d.confidence);
  });

  test('it names its cause when that is probable enough, stating P(login error) × P(cause)', () => {
    const named = opinion(0.9, [
      ['password_changed', 0.8],
      ['unknown', 0.2],
    ]);
    const d = withSecondOpinion(analysis({}), named, combination).diagnosis;
    expect(d).toMatchObject({ isTokenError: true, cause: 'password_changed', confidence: 0.72 });
  });

  test('the stated confidence goes through the fitted calibration', () => {
    const d = withSecondOpinion(analysis({}), sure, {
      ...combination,
      confidence: { a: 1, b: -2 },
    }).diagnosis;
    // logit(0.95) = 2.944; sigmoid(0.944) = 0.72
    expect(d.confidence).toBe(0.72);
  });

  test('below its threshold, or with no platform found when one is needed, it says nothing', () => {
    const rules = analysis({});
    expect(withSecondOpinion(rules, opinion(0.79, [['unknown', 1]]), combination)).toBe(rules);
    const noPlatform = analysis({ platform: null });
    expect(withSecondOpinion(noPlatform, sure, combination)).toBe(noPlatform);
    expect(
      withSecondOpinion(noPlatform, sure, { ...combination, detectNeedsPlatform: false }).diagnosis
        .isTokenError,
    ).toBe(true);
  });
});

describe('where the rules have spoken', () => {
  test('a documented code or another kind of problem keeps the final word', () => {
    for (const rules of [analysis({ errorCode: '190' }), analysis({ otherKind: 'rate_limited' })])
      expect(withSecondOpinion(rules, opinion(1, [['password_changed', 1]]), combination)).toBe(rules);
  });

  test('a cause the rules named stays, whatever the model thinks', () => {
    const rules = analysis(
      { isTokenError: true, cause: 'token_max_lifetime', confidence: 0.9 },
      'wordingTwoHits',
    );
    expect(withSecondOpinion(rules, opinion(0, [['password_changed', 1]]), combination)).toBe(rules);
  });

  test('where they said `unknown`, a sure model names the cause', () => {
    const rules = analysis({ isTokenError: true, cause: 'unknown', confidence: 0.7 }, 'noCause');
    const d = withSecondOpinion(rules, opinion(0.9, [['password_changed', 0.93]]), combination).diagnosis;
    expect(d).toMatchObject({ isTokenError: true, cause: 'password_changed', confidence: 0.93 });
    expect(withSecondOpinion(rules, opinion(0.9, [['password_changed', 0.85]]), combination)).toBe(rules);
  });
});

describe('withdrawing a login error the rules found on wording alone (point 21)', () => {
  const withdrawing: Combination = { ...combination, withdrawBelow: 0.5 };
  const worded = analysis(
    {
      isTokenError: true,
      cause: 'token_max_lifetime',
      confidence: 0.6,
      alternatives: [{ cause: 'unknown', confidence: 0.3 }],
      evidence: ['token has expired'],
    },
    'wordingOneHit',
  );
  const doubting = opinion(0.2, [['unknown', 0.9]]);

  test('below the threshold the rules’ login error is withdrawn, keeping the platform and the wording', () => {
    const d = withSecondOpinion(worded, doubting, withdrawing).diagnosis;
    expect(d).toEqual({
      ...worded.diagnosis,
      isTokenError: false,
      cause: null,
      confidence: 0,
      alternatives: [],
      otherKind: null,
    });
    expect(d.platform).toBe('google');
    expect(d.evidence).toEqual(['token has expired']);
  });

  test('at or above it, the rules’ diagnosis stands', () => {
    expect(withSecondOpinion(worded, opinion(0.5, [['unknown', 0.9]]), withdrawing)).toBe(worded);
  });

  test('a documented code keeps the final word: never withdrawn', () => {
    const coded = analysis({ ...worded.diagnosis, errorCode: '190/463' }, 'documentedCode');
    expect(withSecondOpinion(coded, opinion(0, [['unknown', 1]]), withdrawing)).toBe(coded);
  });

  test('a combination without withdrawBelow (a model file trained before it) never withdraws', () => {
    const { withdrawBelow: _, ...older } = withdrawing;
    expect(withSecondOpinion(worded, opinion(0, [['unknown', 1]]), older)).toBe(worded);
    expect(withSecondOpinion(worded, opinion(0, [['unknown', 1]]), { ...older, withdrawBelow: 0 })).toBe(
      worded,
    );
  });
});

test('the rules-only combination never changes a diagnosis', () => {
  const loud = opinion(1, [['password_changed', 1]]);
  for (const rules of [
    analysis({}),
    analysis({ platform: null }),
    analysis({ isTokenError: true, cause: 'unknown', confidence: 0.7 }, 'noCause'),
  ])
    expect(withSecondOpinion(rules, loud, RULES_ONLY)).toBe(rules);
  const worded = analysis({ isTokenError: true, cause: 'unknown', confidence: 0.7 }, 'noCause');
  expect(withSecondOpinion(worded, opinion(0, [['unknown', 1]]), RULES_ONLY)).toBe(worded);
});
