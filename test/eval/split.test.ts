/**
 * The corpus split (src/eval/corpus.ts): by a hash of the source page, so nobody picks the blind items
 * and one page never feeds both sides; and the learned model trains the same way every time.
 */
import { TextModel, train } from '../../src/diagnosis/model';
import { loadCorpus, normaliseSource, splitOf } from '../../src/eval/corpus';

const corpus = loadCorpus();

test('no source page is in both splits, and about 30% of them are blind', () => {
  const sides = new Map<string, Set<string>>();
  for (const item of corpus) {
    const page = normaliseSource(item.source);
    sides.set(page, (sides.get(page) ?? new Set()).add(item.split));
  }
  expect([...sides].filter(([, s]) => s.size > 1)).toEqual([]);
  const blindPages = [...sides.values()].filter((s) => s.has('blind')).length;
  expect(blindPages / sides.size).toBeGreaterThan(0.22);
  expect(blindPages / sides.size).toBeLessThan(0.38);
});

test('the split is decided by the page alone: anchors, case and a trailing slash do not move an item', () => {
  const url = 'https://github.com/example/repo/issues/12';
  expect(splitOf(`${url}#issuecomment-99`)).toBe(splitOf(url));
  expect(splitOf(`${url.toUpperCase()}/`)).toBe(splitOf(url));
});

test('training is deterministic and the model separates what it was shown', () => {
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
