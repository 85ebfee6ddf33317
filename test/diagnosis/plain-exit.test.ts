import fc from 'fast-check';
import { analyze, loadKnowledge, redactSecrets } from '../../src/diagnosis';
import { compile } from '../../src/diagnosis/compile';
import {
  DROPPED_OR_BLANK,
  JOINABLE_CUES,
  normalize,
  normalizeMarkup,
  normalizingCannotJoin,
} from '../../src/diagnosis/normalize';
import { loadCorpus, positivesOf } from '../../src/eval/corpus';
import { channelChat as channelChatTexts, itemName } from '../support/corpus';

// analyze() answers plain chat (normalizingCannotJoin) with no trigger word in its masked text at once,
// without normalising it. That is right only if normalising such a text can never make a trigger word
// that wasn't there; this file shows it, and that the early exit answers exactly as the whole path.

const knowledge = loadKnowledge();
const compiled = compile(knowledge);
const words = compiled.prefilterWords.map((w) => w.toLowerCase());

const hasTrigger = (text: string) => compiled.prefilter.test(text);
/** What decide() reads after the redactor, and whether it would look further than the prefilter. */
const normalised = (text: string) => normalize(redactSecrets(text).text, { unescaped: true });

const full = (text: string) => analyze(text, knowledge, { plainExit: false });
const fast = (text: string) => analyze(text, knowledge);

const channelChat = channelChatTexts();

/**
 * Everything normalize() deletes, replaces, folds or cuts, and what sits around it: Slack markup (which
 * adds "@someone" or a label), entities, the quotes and emphasis it drops, control characters, runs
 * of blanks, line breaks and the blanks after them, log prefixes, JSON escapes (read by the redactor
 * only), an underscore, a secret (masked), non-ASCII look-alikes.
 */
const GAPS = [
  '<@U1>',
  '<@U1|x>',
  '<!here|',
  '>',
  '<https://a.example|',
  '<',
  '&quot;',
  '&amp;',
  '&lt;',
  '&#39;',
  '&',
  '`',
  '```',
  '"',
  '*',
  '~',
  '_',
  '\u0000',
  '\u0001',
  '\u000b',
  '\u001f',
  '\u007f',
  '\r',
  '\r\n',
  ' ',
  '  ',
  '\t',
  ' \t',
  '\t\t',
  '\u00a0',
  '\u00a0 ',
  '\u00a0\u00a0',
  '\n',
  '\n ',
  '\n\n',
  '\n\t',
  '\n\u00a0',
  '\n\u3000',
  '\u2028',
  '\u2028 ',
  '\n2024-07-29 14:21:02 ',
  '\n2024-07-29T14:21:02.953Z app[web.1]: ERROR ',
  '\n  [2024-07-29 14:21:02] WARN: ',
  '2024-07-29 14:21:02 INFO ',
  '\\',
  '\\u0074',
  '\\n',
  '\\"',
  '\u212a',
  '\u0130',
  'ya29.abcdefghijklmnopqrstuvwxyz',
  ' password=hunter22 ',
];

/** Texts made of pieces of trigger words, gaps and short random strings, joined with nothing between. */
const pieces = [...new Set(words.flatMap((w) => [w.slice(0, 2), w.slice(2), w.slice(0, -1), w.slice(-1)]))];
const piecesAndGaps = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom(...GAPS), fc.string({ maxLength: 3 })), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

describe('normalising plain text never makes a trigger word', () => {
  test('the trigger words hold no line break (the cuts normalize() makes sit right after one)', () => {
    for (const w of words) expect(w).not.toMatch(/[\n\r\u2028\u2029]/);
  });

  // A trigger word normalize() makes from a text without it has to be joined across something it
  // deletes, folds or replaces, or completed by something it adds: a gap inside the word, or in place
  // of one of its characters. Every word, every place, every gap: wherever the text is plain and holds
  // no trigger word, its normalised form holds none either (nor an underscore, the table-code look).
  test('every trigger word with every gap normalize() closes or fills, at every place in it', () => {
    let plainSeen = 0;
    for (const w of words) {
      for (let at = 0; at <= w.length; at++) {
        for (const gap of GAPS) {
          for (const text of [w.slice(0, at) + gap + w.slice(at), w.slice(0, at) + gap + w.slice(at + 1)]) {
            const masked = redactSecrets(text).text;
            if (!normalizingCannotJoin(masked) || hasTrigger(masked)) continue;
            plainSeen++;
            const after = normalize(masked, { unescaped: true });
            expect([text, hasTrigger(after)]).toEqual([text, false]);
            expect(after.includes('_')).toBe(false);
          }
        }
      }
    }
    // The plain gaps (line breaks, a blank, a tab, escapes, look-alikes) were really tried.
    expect(plainSeen).toBeGreaterThan(words.length * 10);
  });

  test('…and each thing the plain check turns away can make one (the check needs every condition)', () => {
    const made = [
      'to<!here|ken>',
      'to&quot;ken',
      'to`ken',
      'to"ken',
      'to*ken',
      'to~ken',
      'log\u0001in',
      'log\u007fin',
      'log  in',
      'log\t in',
      'log\u00a0\u00a0in',
      '<@U1>rror',
    ];
    for (const text of made) {
      expect([text, hasTrigger(text)]).toEqual([text, false]);
      expect([text, hasTrigger(normalised(text))]).toEqual([text, true]);
      expect([text, normalizingCannotJoin(text)]).toEqual([text, false]);
    }
    // An underscore: no trigger word, yet a documented code (Slack's account_inactive) is looked up.
    expect(hasTrigger('account_inactive')).toBe(false);
    expect(full('account_inactive').diagnosis.isTokenError).toBe(true);
    expect(normalizingCannotJoin('account_inactive')).toBe(false);
  });

  test('random texts made of word pieces and gaps', () => {
    fc.assert(
      fc.property(piecesAndGaps, (t) => {
        const masked = redactSecrets(t).text;
        if (!normalizingCannotJoin(masked) || hasTrigger(masked)) return;
        const after = normalize(masked, { unescaped: true });
        expect(hasTrigger(after)).toBe(false);
        expect(after.includes('_')).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("analyze's earliest exit (quietText): one pass for trigger words, the redactor's cues and JOINABLE", () => {
  test('JOINABLE_CUES (with a no-break space asked apart) are in every text normalizingCannotJoin turns away', () => {
    const alphabet = fc.constantFrom(...'ab \t\n\r\u00a0\u0001\u001f\u007f\u0080<&`"*~_-', 'x y');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.array(alphabet).map((p) => p.join('')),
        ),
        (t) => {
          if (!normalizingCannotJoin(t))
            expect([t, JOINABLE_CUES.some((c) => t.includes(c)) || t.includes('\u00a0')]).toEqual([t, true]);
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('plain chat holding a secret and no trigger word is masked and counted, as on the whole path', () => {
    const secrets = [
      `ghp_${'a1'.repeat(10)}`,
      `AKIA${'A1'.repeat(8)}`,
      `${'aB3'.repeat(13)}x`,
      `${'a1'.repeat(16)}`,
      'https://me:hunter2@db.example.com',
      'DB_PASSWORD=hunter2',
      'private.key.id = x1',
      `sk_live_${'a'.repeat(12)}`,
      'eyJabcdefgh.abcdefgh.abcdefgh',
      `EAA${'a1'.repeat(10)}`,
      `xoxb-${'a'.repeat(12)}`,
      'curl -u me:hunter2 https://x.example',
    ];
    for (const secret of secrets) {
      const text = `here is mine ${secret} thanks`;
      const { count } = redactSecrets(text);
      expect([text, count]).toEqual([text, expect.any(Number)]);
      expect([text, count > 0]).toEqual([text, true]);
      expect([text, fast(text).diagnosis.secretsRedacted]).toEqual([text, count]);
      expect(fast(text)).toEqual(full(text));
    }
  });
});

describe('the exit for chat with markup (prefilterThroughGaps on the marked-up text)', () => {
  const throughGaps = (text: string) =>
    compiled.prefilterThroughGaps.mayMatch(normalizeMarkup(redactSecrets(text).text, { unescaped: true }));

  test('finds every trigger word normalising makes, with every gap in it and blanks around', () => {
    const gaps = [...DROPPED_OR_BLANK, '``', ' \t ', '*_*'.replace('_', ''), '<@U1>', '&quot;', ''];
    const mismatches: string[] = [];
    for (const word of words) {
      for (const gap of gaps) {
        for (let at = 0; at <= word.length; at++) {
          const text = `a ${word.slice(0, at)}${gap}${word.slice(at)} b`;
          if (hasTrigger(normalised(text)) && !throughGaps(text)) mismatches.push(JSON.stringify(text));
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('a log prefix cut after a carriage return joins words (it becomes a space): those take the whole path', () => {
    const text = 'please log\r2024-05-01 10:00:00 in again';
    // Normalising makes "log in" of it; read through gaps, the marked-up text has none.
    expect(hasTrigger(normalised(text))).toBe(true);
    expect(compiled.prefilterThroughGaps.mayMatch(normalizeMarkup(text, { unescaped: true }))).toBe(false);
    expect(fast(text)).toEqual(full(text));
    // After a line or paragraph separator the cut leaves the separator, which no trigger word holds.
    for (const start of ['\n', '\u2028', '\u2029']) {
      const other = `please log${start}2024-05-01 10:00:00 in again`;
      expect(hasTrigger(normalised(other))).toBe(false);
      expect(fast(other)).toEqual(full(other));
    }
  });
});

describe('the early exit answers exactly as the whole path', () => {
  const same = (text: string) => JSON.stringify(fast(text)) === JSON.stringify(full(text));

  test('on the real channel chat sample', () => {
    expect(channelChat.length).toBeGreaterThan(100);
    for (const text of channelChat) expect(fast(text)).toEqual(full(text));
    // It is taken there: most of the sample is plain and holds no trigger word.
    const exits = channelChat.filter((t) => {
      const masked = redactSecrets(t).text;
      return normalizingCannotJoin(masked) && !hasTrigger(masked);
    });
    expect(exits.length).toBeGreaterThan(channelChat.length / 3);
  });

  test('on every corpus text, each of its lines and in capitals', () => {
    const mismatches: string[] = [];
    for (const c of loadCorpus()) {
      const texts = [c.text, c.text.toUpperCase(), ...c.text.split('\n')];
      if (!texts.every(same)) mismatches.push(itemName(c));
    }
    expect(mismatches).toEqual([]);
  });

  // Login errors with a character normalize() drops (or a blank it folds) inside each trigger word: the
  // masked text holds no trigger word, the normalised one does, and the whole path answers on it.
  test('on tune login errors whose trigger words are broken by what normalising takes out', () => {
    const everyTrigger = new RegExp(compiled.prefilter.source, 'gi');
    const broken = (text: string, gap: string) =>
      text.replace(everyTrigger, (word) => word.slice(0, 1) + gap + word.slice(1));
    const tune = positivesOf(loadCorpus()).filter((c) => c.split === 'tune');
    // Each item gets one of the gaps in turn: every gap is tried on over 200 login errors.
    const gaps = ['`', '"', '*', '~', '&quot;', '\u0001', '<!here|>', '\u00a0\u00a0'];
    const mismatches: string[] = [];
    for (const [i, c] of tune.entries()) {
      const gap = gaps[i % gaps.length] as string;
      if (!same(broken(c.text, gap))) mismatches.push(`${c.file} ${c.id} ${JSON.stringify(gap)}`);
    }
    expect(tune.length).toBeGreaterThan(gaps.length * 200);
    expect(mismatches).toEqual([]);
  });

  test('on random strings (any code unit, any grapheme), paste-like ones and word pieces with gaps', () => {
    const pasteLike = fc
      .array(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
          fc.constantFrom(
            ...GAPS,
            ...words,
            'Error validating access token',
            'invalid_grant',
            'AADSTS700082',
          ),
        ),
        { maxLength: 20 },
      )
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), pasteLike, piecesAndGaps), (text) => {
        expect(fast(text)).toEqual(full(text));
      }),
      { numRuns: 3000 },
    );
  });
});
