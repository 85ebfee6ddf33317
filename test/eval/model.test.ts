/** The learned model (src/diagnosis/model.ts): the same examples always give the same weights. */
import { analyze, loadKnowledge } from '../../src/diagnosis';
import {
  features,
  NAME_PLACEHOLDER,
  NameMatcher,
  platformNames,
  ruleSignals,
  TEXT_ONLY,
  TextModel,
  train,
} from '../../src/diagnosis/model';

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
  const a = train(examples, { epochs: 60, names: [] });
  const b = train(examples, { epochs: 60, names: [] });
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  const model = new TextModel(a);
  expect(model.opinion('Error validating access token: Session has expired').pToken).toBeGreaterThan(0.5);
  expect(model.opinion('lunch is at noon in the big room').pToken).toBeLessThan(0.5);
  expect(model.opinion('the refresh token has expired due to inactivity').causes[0]?.cause).toBe(
    'refresh_token_inactive',
  );
  expect(() => new TextModel({ ...a, format: 'other' as never })).toThrow(/unknown model format/);
  // A file trained to read names as one word but holding none would score every text differently.
  expect(
    () => new TextModel({ ...a, featureSet: { ...a.featureSet, names: true }, names: undefined }),
  ).toThrow(/holds no names/);
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

describe('platform and product names read as one placeholder', () => {
  const names = platformNames(loadKnowledge().platforms);
  const matcher = new NameMatcher(names);
  const named = { ...TEXT_ONLY, names: true };

  test("the knowledge's names, without the proper names that are ordinary words too", () => {
    expect(names).toEqual(expect.arrayContaining(['hubspot', 'jira', 'google ads', 'power bi']));
    expect(names).not.toContain('zoom');
    // Display names the rules don't read as names, being everyday words (Close, GoTo)
    expect(names).not.toContain('close');
    expect(names).not.toContain('goto');
    expect(names).not.toContain('box');
    expect([...names].sort()).toEqual(names);
  });

  test('any known name, of one word or several (the longest first), becomes one placeholder word', () => {
    const words = (s: string) => s.split(' ');
    expect(matcher.replace(words('my hubspot connection keeps expiring'))).toEqual(
      words(`my ${NAME_PLACEHOLDER} connection keeps expiring`),
    );
    expect(matcher.replace(words('the google ads token and google sheets'))).toEqual(
      words(`the ${NAME_PLACEHOLDER} token and ${NAME_PLACEHOLDER}`),
    );
    expect(matcher.replace(words('zoom in on the box'))).toEqual(words('zoom in on the box'));
  });

  test('so two platforms told alike read alike, and only when the feature set asks for it', () => {
    const hubspot = 'my HubSpot connection keeps expiring';
    const jira = 'my Jira connection keeps expiring';
    expect(features(hubspot, named, [], matcher)).toEqual(features(jira, named, [], matcher));
    expect(features(hubspot, TEXT_ONLY, [], matcher)).not.toEqual(features(jira, TEXT_ONLY, [], matcher));
  });

  test('names with digits in them are read as names too, before numbers are read as their length', () => {
    const hubspot = features('my HubSpot connection keeps expiring', named, [], matcher);
    for (const text of [
      'my Dynamics 365 connection keeps expiring',
      'my Microsoft 365 connection keeps expiring',
      'my Search Ads 360 connection keeps expiring',
      'my Display & Video 360 connection keeps expiring',
      // The longest name wins: not "google analytics" followed by a number.
      'my Google Analytics 4 connection keeps expiring',
      'my GA4 connection keeps expiring',
    ])
      expect(features(text, named, [], matcher)).toEqual(hubspot);
    // With the digit class too, a name's digits are read before they become a class.
    const namedDigits = { ...named, digitClass: true };
    expect(features('my GA4 connection keeps expiring', namedDigits, [], matcher)).toEqual(
      features('my HubSpot connection keeps expiring', namedDigits, [], matcher),
    );
    // A number that is no part of a name still reads as its length.
    expect(features('error 365', named, [], matcher)).toEqual(features('error 123', named, [], matcher));
  });

  test('a model trained with names stores them and reads a platform it was never shown like one it was', () => {
    const withNames = train(
      [
        { text: 'my HubSpot connection keeps expiring', isTokenError: true, causes: ['unknown'] },
        { text: 'the HubSpot dashboard export is slow', isTokenError: false },
      ],
      { epochs: 40, featureSet: named, names },
    );
    expect(withNames.names).toEqual(names);
    const model = new TextModel(withNames);
    expect(model.opinion('my Pipedrive connection keeps expiring')).toEqual(
      model.opinion('my HubSpot connection keeps expiring'),
    );
  });

  test('training a model that reads names without being given them is an error, not a silent other model', () => {
    expect(() => train(examples, { epochs: 1, featureSet: named })).toThrow(/needs the names/);
  });
});

test('with the digit class, codes that differ only in their digits share their features', () => {
  const digits = { ...TEXT_ONLY, digitClass: true };
  const a = 'AADSTS50173: the grant has expired';
  const b = 'AADSTS700082: the grant has expired';
  expect(features(a, digits)).toEqual(features(b, digits));
  expect(features(a, TEXT_ONLY)).not.toEqual(features(b, TEXT_ONLY));
  // Whole numbers keep reading as their length either way.
  expect(features('error 401', digits)).toEqual(features('error 401', TEXT_ONLY));
});
