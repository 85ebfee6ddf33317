import fc from 'fast-check';
import { loadKnowledge } from '../../src/diagnosis';
import { anyWord, compile } from '../../src/diagnosis/compile';
import { loadCorpus } from '../../src/eval/corpus';
import { channelChat as channelChatTexts, itemName } from '../support/corpus';

// The prefilter is the words factored by common beginnings (anyWord), for speed only: it must match
// exactly the texts the plain alternation of the words matches.

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const plain = (words: readonly string[]) => new RegExp(words.map(escapeRegex).join('|'), 'i');

describe('anyWord matches what the words joined by | match', () => {
  test('on random word lists and random texts (any code unit)', () => {
    const word = fc.oneof(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.stringMatching(/^[aAbB ._|()\\-]{1,5}$/),
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.stringMatching(/^[aAbB ._|()\\-]{0,30}$/),
    );
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 12 }),
        fc.array(text, { maxLength: 8 }),
        (words, texts) => {
          const tree = anyWord(words);
          const flat = plain(words);
          // Texts made of the words themselves, cut and joined, besides the random ones.
          const made = words.flatMap((w, i) => [w, w.toUpperCase(), w.slice(1), w + (words[i + 1] ?? '')]);
          for (const t of [...texts, ...made]) expect([t, tree.test(t)]).toEqual([t, flat.test(t)]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('where one word begins another, and on shared beginnings', () => {
    const words = ['log', 'log in', 'login', 'logged', 'a', 'ab', 'abc', 'x.y', 'x-y', 'токен', 'ток'];
    const tree = anyWord(words);
    for (const t of ['lo', 'LOG', 'log in', 'abc', 'b', 'xzy', 'x.y', 'x-y', 'xy', 'ТОК', 'то', ''])
      expect([t, tree.test(t)]).toEqual([t, plain(words).test(t)]);
  });

  test("the knowledge's prefilter, on every corpus text, the channel chat sample and random texts", () => {
    const { prefilter, prefilterWords } = compile(loadKnowledge());
    const flat = plain(prefilterWords);
    const chat = channelChatTexts();
    const mismatches = loadCorpus()
      .filter((c) => prefilter.test(c.text) !== flat.test(c.text))
      .map(itemName);
    expect(mismatches).toEqual([]);
    for (const t of chat) expect([t, prefilter.test(t)]).toEqual([t, flat.test(t)]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc
            .array(fc.oneof(fc.constantFrom(...prefilterWords), fc.string({ maxLength: 2 })))
            .map((p) => p.join('')),
        ),
        (t) => expect(prefilter.test(t)).toBe(flat.test(t)),
      ),
      { numRuns: 3000 },
    );
  });
});
