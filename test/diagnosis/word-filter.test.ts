import fc from 'fast-check';
import { loadKnowledge } from '../../src/diagnosis';
import { anyWord, compile, hasTriggerWord } from '../../src/diagnosis/compile';
import { ASCII_CASE_LINKED, WordFilter } from '../../src/diagnosis/word-filter';
import { loadCorpus } from '../../src/eval/corpus';
import { channelChat as channelChatTexts, itemName } from '../support/corpus';

// WordFilter is a quick "no" in front of the prefilter regex (hasTriggerWord): it must say "maybe" for
// every text the regex matches, whatever the text's characters, or an answer would change.

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isAscii = (s: string) => [...s].every((c) => c.charCodeAt(0) < 128);

const compiled = compile(loadKnowledge());
const { prefilter, prefilterWords, prefilterQuick } = compiled;

describe('WordFilter', () => {
  test('what it rests on: a case-insensitive regex takes an ASCII character only for itself or its other case, on all 65,536 code units', () => {
    for (let a = 0; a < 128; a++) {
      const re = new RegExp(`^${escapeRegex(String.fromCharCode(a))}$`, 'i');
      const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
      const taken: number[] = [];
      for (let u = 0; u < 65536; u++) if (re.test(String.fromCharCode(u))) taken.push(u);
      expect([a, taken.filter((u) => u >= 128 || fold(u) !== fold(a))]).toEqual([a, []]);
    }
    // …and a non-ASCII word character never for an ASCII one (the prefilter's own words).
    for (const c of new Set([...prefilterWords.join('')].filter((ch) => ch.charCodeAt(0) >= 128))) {
      const re = new RegExp(escapeRegex(c), 'i');
      for (let u = 0; u < 128; u++) expect([c, u, re.test(String.fromCharCode(u))]).toEqual([c, u, false]);
    }
  });

  test('says "maybe" wherever the regex matches, and is exact on ASCII words and texts', () => {
    const word = fc.oneof(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.stringMatching(/^[aAbBkKsS ._-]{1,5}$/),
      fc.constantFrom('ſ', 'K', 'ß', 'İ', 'ı', 'Σ', 'ς', 'токен', 'вт', 'ᲀ', 'sesión', '重新', '😀'),
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.stringMatching(/^[aAbBkKsS ._-]{0,30}$/),
      fc
        .array(
          fc.constantFrom(
            'a',
            'B',
            'k',
            'K',
            'ſ',
            'S',
            's',
            'ß',
            'İ',
            'i',
            'ı',
            'Σ',
            'σ',
            'ς',
            'В',
            'ᲀ',
            'в',
            'т',
            '😀',
            '\ud800',
            ' ',
          ),
        )
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), fc.array(text, { maxLength: 8 }), (words, texts) => {
        const filter = new WordFilter(words);
        const regex = anyWord(words);
        const made = words.flatMap((w, i) => [
          w,
          w.toUpperCase(),
          w.toLowerCase(),
          w.slice(1),
          `x${w}${words[i + 1] ?? ''}`,
        ]);
        for (const t of [...texts, ...made]) {
          if (regex.test(t)) expect([words, t, filter.mayMatch(t)]).toEqual([words, t, true]);
          if (isAscii(t) && words.every(isAscii))
            expect([words, t, filter.mayMatch(t)]).toEqual([words, t, regex.test(t)]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('ASCII_CASE_LINKED holds every non-ASCII code unit whose upper or lower case has an ASCII letter', () => {
    const linked: string[] = [];
    for (let u = 0x80; u < 0x10000; u++) {
      const c = String.fromCharCode(u);
      if (/[A-Za-z]/.test(c.toUpperCase() + c.toLowerCase())) linked.push(c);
    }
    expect(linked.filter((c) => !ASCII_CASE_LINKED.includes(c))).toEqual([]);
  });

  test('irregexp takes ſ for s in some alternations (not the spec): a word or a text with ſ gets "maybe"', () => {
    const words = ['sesión', 'Sa', 'ſ'];
    expect(anyWord(words).test('S')).toBe(true); // V8 11.3; the filter must follow the engine, not the spec
    expect(new WordFilter(words).mayMatch('S')).toBe(true);
    expect(new WordFilter(['token']).mayMatch('a ſ here')).toBe(true);
    expect(new WordFilter(['token']).mayMatch('a é here')).toBe(false);
  });

  test('a non-ASCII character of any UTF-8 length is read as one: в (2 bytes) and ᲀ (3 bytes), which the regex takes for each other', () => {
    const filter = new WordFilter(['авторизац']);
    expect(anyWord(['авторизац']).test('аᲀторизац')).toBe(true);
    expect(filter.mayMatch('аᲀторизац')).toBe(true);
    expect(filter.mayMatch('авторизац')).toBe(true);
    expect(filter.mayMatch('автори')).toBe(false);
  });

  test('with characters to skip: finds a word with only those between its characters', () => {
    const skip = '`" \t\u0001';
    const strip = (t: string) => [...t].filter((c) => !skip.includes(c)).join('');
    const piece = fc.constantFrom('a', 'B', 'ab', 'ba', 'é', 'ſ', '`', '"', ' ', '\t', '\u0001', '\n', 'x');
    const words = fc.array(
      fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
      { minLength: 1, maxLength: 5 },
    );
    const texts = fc.array(
      fc.array(piece, { maxLength: 16 }).map((p) => p.join('')),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(words, texts, (ws, ts) => {
        const filter = new WordFilter(ws, { skip });
        const stripped = ws.map(strip);
        const regex = anyWord(stripped);
        for (const t of [...ts, ...ws, ...ws.map((w) => [...w].join('`'))]) {
          if (regex.test(strip(t))) expect([ws, t, filter.mayMatch(t)]).toEqual([ws, t, true]);
          if (isAscii(t) && ws.every(isAscii))
            expect([ws, t, filter.mayMatch(t)]).toEqual([ws, t, regex.test(strip(t))]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('no words, or an empty one: "maybe" for every text, as the regex matches every text', () => {
    for (const words of [[], [''], ['ab', '']]) {
      const filter = new WordFilter(words);
      for (const t of ['', 'x', 'ab']) {
        expect(anyWord(words).test(t)).toBe(true);
        expect(filter.mayMatch(t)).toBe(true);
      }
    }
  });

  test('with more states than a 16-bit table holds, and texts longer than the buffer', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919).toString(36)}z${i.toString(36)}`);
    const filter = new WordFilter(words);
    const regex = anyWord(words);
    const texts = [
      ...words.slice(0, 50),
      ...words.slice(0, 50).map((w) => w.slice(0, -1)),
      'nothing here',
      '',
    ];
    for (const t of texts) expect([t, filter.mayMatch(t.toUpperCase())]).toEqual([t, regex.test(t)]);
    const long = `${'é'.repeat(30_000)}${words[7]}`;
    expect(filter.mayMatch(long)).toBe(true);
    expect(filter.mayMatch('é'.repeat(30_000))).toBe(false);
    expect(new WordFilter(['abc']).mayMatch('x'.repeat(200_000))).toBe(true); // past MAX_TEXT: the regex decides
  });
});

describe('hasTriggerWord answers as the prefilter regex', () => {
  test('on every corpus text, the channel chat sample and random texts', () => {
    const chat = channelChatTexts();
    const mismatches = loadCorpus()
      .filter((c) => hasTriggerWord(compiled, c.text) !== prefilter.test(c.text))
      .map(itemName);
    expect(mismatches).toEqual([]);
    // On the chat sample the filter alone already answers as the regex: its "no" is real.
    for (const t of chat) expect([t, prefilterQuick.mayMatch(t)]).toEqual([t, prefilter.test(t)]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc
            .array(fc.oneof(fc.constantFrom(...prefilterWords), fc.string({ maxLength: 2 })))
            .map((p) => p.join('')),
          fc
            .array(
              fc.oneof(
                fc.constantFrom(...prefilterWords).map((w) => w.toUpperCase()),
                fc.string({ unit: 'binary', maxLength: 2 }),
              ),
            )
            .map((p) => p.join('')),
        ),
        (t) => expect(hasTriggerWord(compiled, t)).toBe(prefilter.test(t)),
      ),
      { numRuns: 3000 },
    );
  });
});
