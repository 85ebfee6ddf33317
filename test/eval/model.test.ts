/** The learned model (src/diagnosis/model.ts): the same examples always give the same weights. */
import { TextModel, train } from '../../src/diagnosis/model';

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
