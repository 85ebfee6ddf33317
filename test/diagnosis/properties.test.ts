import fc from 'fast-check';
import { renderCard } from '../../src/cards';
import { analyze, diagnose, loadKnowledge, redactSecrets } from '../../src/diagnosis';
import { CAUSE_IDS } from '../../src/diagnosis/types';

const knowledge = loadKnowledge();

/** Strings that look like what people paste: error words, JSON punctuation, Slack markup, junk. */
const pasteLike = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        'Error validating access token',
        'invalid_grant',
        'AADSTS700082',
        '"code": 190, "error_subcode": 463',
        '<https://x.example|label>',
        '<@U123>',
        '&amp;',
        '```',
        '\\"',
        '\\n',
        'token',
        'has expired',
        'password',
        'two-factor',
        'rate limit',
        '\u0000',
        '\ud800',
        '🔑',
      ),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(' '));

const secretLike = fc.oneof(
  fc.stringMatching(/^EAA[A-Za-z0-9]{24,40}$/),
  fc.stringMatching(/^ya29\.[A-Za-z0-9_-]{24,40}$/),
  fc.stringMatching(/^xoxb-[0-9]{10,12}-[A-Za-z0-9]{16,24}$/),
  fc.stringMatching(/^Atzr\|[A-Za-z0-9]{24,40}$/),
);

describe('properties of the engine', () => {
  test('never throws and always answers a contract-shaped Diagnosis', () => {
    fc.assert(
      fc.property(pasteLike, (text) => {
        const d = diagnose(text, knowledge);
        expect(typeof d.isTokenError).toBe('boolean');
        if (d.isTokenError) expect(CAUSE_IDS).toContain(d.cause);
        else expect(d.cause).toBeNull();
        expect(d.confidence).toBeGreaterThanOrEqual(0);
        expect(d.confidence).toBeLessThanOrEqual(1);
        if (d.isTokenError) expect(d.otherKind).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  test('is deterministic', () => {
    fc.assert(
      fc.property(pasteLike, (text) => {
        expect(diagnose(text, knowledge)).toEqual(diagnose(text, knowledge));
      }),
      { numRuns: 500 },
    );
  });

  test('redaction is idempotent', () => {
    fc.assert(
      fc.property(pasteLike, secretLike, (text, secret) => {
        const once = redactSecrets(`${text} ${secret} ${text}`).text;
        expect(redactSecrets(once).text).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  test('no planted secret survives into the diagnosis, the excerpt or the card', () => {
    fc.assert(
      fc.property(pasteLike, secretLike, pasteLike, (before, secret, after) => {
        const { diagnosis, excerpt } = analyze(
          `${before} ${secret} ${after} Error validating access token`,
          knowledge,
        );
        const out = JSON.stringify([diagnosis, excerpt, renderCard(knowledge, diagnosis, { excerpt })]);
        // Escaped JSON would hide the secret's characters, so compare against the raw tail too.
        expect(out).not.toContain(secret.slice(6));
        expect(diagnosis.secretsRedacted).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
