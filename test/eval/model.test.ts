/** The learned model (src/diagnosis/model.ts): the same examples always give the same weights. */
import { analyze, loadKnowledge } from '../../src/diagnosis';
import { features, ruleSignals, TEXT_ONLY, TextModel, train } from '../../src/diagnosis/model';

const examples = [
  {
    text: 'Error validating access token: Session has expired',
    isTokenError: true,
    causes: ['token_max_lifetime' as const],
  },
  {
    text: 'the refresh token has expired due to inactivity',
    isTokenError: true,
    causes: ['refresh_token_inactive' as const],
  },
  {
    text: 'user changed their password, session invalidated',
    isTokenError: true,
    causes: ['password_changed' as const],
  },
  { text: 'rate limit exceeded, retry after 60 seconds', isTokenError: false },
  { text: 'lunch is at noon in the big room', isTokenError: false },
  { text: 'quota exceeded for this project', isTokenError: false },
];

test('training is deterministic and the model separates what it was shown', () => {
  const a = train(examples, { epochs: 60 });
  const b = train(examples, { epochs: 60 });
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  const model = new TextModel(a);
  expect(model.opinion('Error validating access token: Session has expired').pToken).toBeGreaterThan(0.5);
  expect(model.opinion('lunch is at noon in the big room').pToken).toBeLessThan(0.5);
  expect(model.opinion('the refresh token has expired due to inactivity').causes[0]?.cause).toBe(
    'refresh_token_inactive',
  );
  expect(() => new TextModel({ ...a, format: 'other' as never })).toThrow(/unknown model format/);
});

test("a stacked model reads the rules' findings as features of a fixed weight, the text alone does not", () => {
  const knowledge = loadKnowledge();
  const signals = ruleSignals(analyze('Error validating access token: Session has expired', knowledge));
  expect(signals).toContain('login');
  expect(signals.some((s) => s.startsWith('path:'))).toBe(true);
  expect(ruleSignals(analyze('lunch is at noon', knowledge))).toEqual(['silent']);
  const text = 'the session has expired';
  const plain = features(text, TEXT_ONLY, signals);
  expect(plain).toEqual(features(text, TEXT_ONLY));
  const stacked = features(text, { ...TEXT_ONLY, rules: 0.5 }, signals);
  expect(stacked.size).toBe(plain.size + signals.length);
  expect([...stacked.values()].filter((v) => v === 0.5).length).toBeGreaterThanOrEqual(signals.length);

  // Trained with the signals, the model leans on them: the same words, a different finding.
  const withSignals = examples.map((e) => ({ ...e, signals: [e.isTokenError ? 'login' : 'silent'] }));
  const model = new TextModel(train(withSignals, { epochs: 60, featureSet: { ...TEXT_ONLY, rules: 1 } }));
  expect(model.readsRules).toBe(true);
  expect(model.opinion('something odd', ['login']).pToken).toBeGreaterThan(
    model.opinion('something odd', ['silent']).pToken,
  );
});
