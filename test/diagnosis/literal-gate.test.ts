import fc from 'fast-check';
import {
  branchesOf,
  type Compiled,
  type CompiledPhrase,
  compile,
  runnablePatterns,
} from '../../src/diagnosis/compile';
import { analyze } from '../../src/diagnosis/diagnose';
import { type Knowledge, loadKnowledge } from '../../src/diagnosis/knowledge';
import {
  LiteralScanner,
  literalConditions,
  literalGate,
  passesGate,
  passesScriptGate,
  patternGate,
  scriptGate,
  scriptsOf,
  TextIndex,
} from '../../src/diagnosis/literal-gate';
import { normalize } from '../../src/diagnosis/normalize';
import { itemName, negatives, positives } from '../support/corpus';

describe('literal gates', () => {
  test.each([
    ['error validating access token', ['error validating access token']],
    ['\\bsession (?:has )?expired|\\bsession is invalid', ['session ', 'session is invalid']],
    ['\\binvalid_grant\\b', ['invalid_grant']],
    ['graph\\.facebook\\.com', ['graph.facebook.com']],
    ['\\bAADSTS\\d{5,7}', ['aadsts']],
    ['tokens?\\b', ['token']],
    ['\\bmfa\\b|\\b2fa\\b', ['mfa', '2fa']],
  ])('%s → %j', (source, expected) => {
    expect(literalGate(source)).toEqual(expected);
  });

  test.each(['\\d+', '(?:a|b)c', 'x|\\w{3}', '[abc]def|a'])('%s has no safe gate', (source) => {
    expect(literalGate(source)).toBeNull();
  });

  // The gate must never hide a match: whenever the pattern matches, the gate lets the text through.
  test('never blocks a text the pattern matches, for every knowledge pattern', () => {
    const k = loadKnowledge();
    const sources = [
      ...k.signals.phrases.map((p) => p.pattern),
      ...k.platforms.flatMap((p) => [...p.signatures, ...p.codeFormats, ...p.phrases.map((x) => x.pattern)]),
    ];
    const words = fc.constantFrom(
      'Error validating access token',
      'session has expired',
      'invalid_grant',
      'AADSTS700082',
      'code: 190, error_subcode: 463',
      'token has been expired or revoked',
      'OAuthException',
      'two-factor',
      'User request limit reached',
      'changed their password',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(words, fc.string()), { maxLength: 8 }), (parts) => {
        const text = parts.join(' ');
        const index = new TextIndex(text.toLowerCase());
        for (const source of sources) {
          if (new RegExp(source, 'i').test(text)) expect(passesGate(patternGate(source), index)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('literal gates on real text', () => {
  // Every knowledge pattern against every corpus message: a gate that would hide a match fails here.
  test('never block a corpus message that the pattern matches', () => {
    const k = loadKnowledge();
    const sources = [
      ...k.signals.phrases.map((p) => p.pattern),
      ...k.platforms.flatMap((p) => [...p.signatures, ...p.codeFormats, ...p.phrases.map((x) => x.pattern)]),
    ];
    const texts = [...positives(), ...negatives()].map((c) => normalize(c.text));
    const blocked: string[] = [];
    for (const source of sources) {
      const re = new RegExp(source, 'i');
      const gate = patternGate(source);
      for (const text of texts) {
        if (re.test(text) && !passesGate(gate, new TextIndex(text.toLowerCase()))) blocked.push(source);
      }
    }
    expect(blocked).toEqual([]);
  });
});

describe("literal gates' conditions (every literal set an alternative needs)", () => {
  test.each([
    // A pattern whose alternatives need one set each adds nothing: no conditions.
    ['\\binvalid_grant\\b', null],
    ['\\bmfa\\b|\\b2fa\\b', null],
    [
      '\\b(?:user|account)s? (?:who|that) (?:was |has been )?(?:deleted|left)\\b',
      [
        [
          ['user', 'account'],
          ['who', 'that'],
          ['deleted', 'left'],
        ],
      ],
    ],
    ['\\bcode\\W{1,4}(190|102)\\b|\\bsession expired', [[['code'], ['190', '102']], [['session expired']]]],
    // Optional and look-around parts need nothing.
    ['(?<!reset )\\btokens? (?:was )?revoked', [[['token'], ['revoked']]]],
    ['\\d+', null],
  ])('%s → %j', (source, expected) => {
    expect(literalConditions(source)).toEqual(expected);
  });

  test.each([
    ['foo\\u00a0barbaz', 'foo\u00a0barbaz'],
    ['foo\\x20barbaz', 'foo barbaz'],
    ['(ab)cd\\1barbaz', 'abcdabbarbaz'],
    ['foo\\cJbarbaz', 'foo\nbarbaz'],
    ['foo\\u{a0}barbaz', 'foou{a0}barbaz'],
  ])("%s: an escape's payload is not read as text, so the gate lets %j through", (source, text) => {
    expect(new RegExp(source, 'i').test(text)).toBe(true);
    expect(passesGate(patternGate(source), new TextIndex(text.toLowerCase()))).toBe(true);
  });

  test('accented Latin letters are read into the conditions, so English text fails a French or Spanish word', () => {
    // Point 23's order-free wording: "expiré" or "caducó", not the English "expired".
    expect(literalConditions('\\bjetons? (?:a |est )?expirée?s?|\\bsesi[oó]n caducó')).toEqual([
      [['jeton'], ['expiré']],
      [['sesi'], ['n caducó']],
    ]);
    const gate = patternGate('\\bjetons? (?:a |est )?expirée?s?|\\bsesi[oó]n caducó');
    expect(passesGate(gate, new TextIndex('jeton expired'))).toBe(false);
    for (const text of ['Le jeton a expiré', 'LE JETON A EXPIRÉ', 'La sesión caducó', 'LA SESIÓN CADUCÓ']) {
      expect(/\bjetons? (?:a |est )?expirée?s?|\bsesi[oó]n caducó/i.test(text)).toBe(true);
      expect(passesGate(gate, new TextIndex(text.toLowerCase()))).toBe(true);
    }
  });

  test('a text with one set but not another is not let through', () => {
    const gate = patternGate('\\b(?:user|account)s? (?:who|that) (?:deleted|left)\\b');
    expect(passesGate(gate, new TextIndex('user request limit reached'))).toBe(false);
    expect(passesGate(gate, new TextIndex('the user who left'))).toBe(true);
  });
});

describe('literal gates through groups', () => {
  test.each([
    ['\\b(AADSTS\\d{5,7})\\b', ['aadsts']],
    ['\\b(EXPIRED_ACCESS_TOKEN|REVOKED_ACCESS_TOKEN)\\b', ['expired_access_token', 'revoked_access_token']],
    // Two characters are enough when the pattern has nothing longer.
    ['\\(#(\\d{1,7})\\)', ['(#']],
    ['\\bgh[pousr]_[A-Za-z0-9]{4}', ['gh']],
    ['(?<!x)\\d+', null],
    ['(?:foo)?bar', ['bar']],
    ['(?:foo|barbaz)\\d', ['foo', 'barbaz']],
    // The most telling of what every match holds: a group's words over a short run, and back.
    ['\\b(?:removed|deleted) (?:the )?(?:[\\w-]+ ){0,2}app\\b', ['removed', 'deleted']],
    ['\\berror\\W{1,4}(invalid_grant)\\b', ['invalid_grant']],
    ['\\bcode\\W{1,4}(190|102)\\b', ['code']],
    ['(?:ab )?{0,2}xyz', ['xyz']],
  ])('%s → %j', (source, expected) => {
    expect(literalGate(source)).toEqual(expected);
  });
});

describe('the one-pass literal scanner', () => {
  const naive = (literals: string[], text: string) =>
    literals.map((l, id) => (text.includes(l) ? id : -1)).filter((id) => id >= 0);
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

  test.each([
    // Literals that are prefixes, suffixes and inner parts of each other (the suffix chain).
    [['token', 'oken', 'ken', 'token expired', 'expired', 'red'], 'the token expired'],
    [['aaa', 'aaaa', 'aa'], 'aaaaa'],
    // A literal that ends inside another one's unfinished prefix.
    [['abcd', 'bc'], 'abcx'],
    [['abc', 'bcd', 'cde'], 'xxabcdexx'],
    [['code:', ' api', 'e00000'], 'Error code: 190 from the API E0000011'.toLowerCase()],
    [['abc'], 'ab'],
    [['abc'], ''],
  ])('%j in %j', (literals, text) => {
    expect(sorted(new LiteralScanner(literals).find(text))).toEqual(naive(literals, text));
  });

  test('finds exactly the literals `includes` finds, on any text, scan after scan', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', ' ', ':', '_', 'é', '\u{1F600}');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { minLength: 1, maxLength: 12 }),
        fc.array(
          fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')),
          { minLength: 1, maxLength: 4 },
        ),
        (literals, texts) => {
          const scanner = new LiteralScanner(literals);
          // Several texts through one scanner: marks from one scan must not leak into the next.
          for (const text of texts) expect(sorted(scanner.find(text))).toEqual(naive(literals, text));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('lets through exactly the knowledge patterns whose gate passes, for every corpus message', () => {
    const gates = compile(loadKnowledge()).gates;
    const differ: string[] = [];
    for (const c of [...positives(), ...negatives()]) {
      const lower = normalize(c.text).toLowerCase();
      const index = new TextIndex(lower);
      // A pattern with no ASCII gate runs when the text holds a letter of the script it needs (scriptGate).
      const scripts = scriptsOf(lower);
      const expected = gates.patterns.flatMap((p, id) => {
        if (p.gated.gate) return passesGate(p.gated.gate, index) ? [id] : [];
        const needed = scriptGate(p.gated.re.source);
        return !needed || passesScriptGate(needed, scripts) ? [id] : [];
      });
      if (JSON.stringify(runnablePatterns(gates, lower)) !== JSON.stringify(expected)) differ.push(c.id);
    }
    expect(differ).toEqual([]);
  });
});

describe('the script gate (wording in Russian, Chinese, Japanese: no ASCII literal to gate on)', () => {
  test('reads the script every match needs, or none', () => {
    expect(scriptGate('Яндекс')).toEqual({ cyrillic: true, cjk: false });
    expect(scriptGate('重新(?:登录|登陆)')).toEqual({ cyrillic: false, cjk: true });
    expect(scriptGate('(?:двухфакторн|双重验证)')).toEqual({ cyrillic: true, cjk: true });
    // An alternative a match can take with neither script: no script gate, the pattern always runs.
    expect(scriptGate('(?:сесси[яи]|session) expired')).toBeNull();
    expect(scriptGate('(?:a|б)')).toBeNull();
    expect(scriptGate('токен\\s?(?:истёк)?|[а-я]+')).toBeNull();
  });

  test('never hides a match: wherever a script-gated knowledge pattern matches a corpus message, the message holds its script', () => {
    const gates = compile(loadKnowledge()).gates;
    expect(gates.byScript.length).toBeGreaterThan(10);
    const hidden: string[] = [];
    for (const c of [...positives(), ...negatives()]) {
      const lower = normalize(c.text).toLowerCase();
      const scripts = scriptsOf(lower);
      for (const { id, scripts: needed } of gates.byScript) {
        const { re } = (gates.patterns[id] as (typeof gates.patterns)[number]).gated;
        re.lastIndex = 0;
        if (re.test(lower) && !passesScriptGate(needed, scripts))
          hidden.push(`${c.id} ${re.source.slice(0, 40)}`);
      }
    }
    expect(hidden).toEqual([]);
  });
});

describe('a phrase split into its top-level alternatives (CompiledPhrase.branches)', () => {
  type Match = [number, string] | null;
  const asMatch = (m: RegExpExecArray | null): Match => (m ? [m.index, m[0]] : null);
  /** Where a split phrase's branches match together: the leftmost match, the earlier branch on a tie (findPhrases). */
  function leftmost(phrase: CompiledPhrase, text: string): Match {
    let best: RegExpExecArray | null = null;
    for (const { re } of phrase.branches ?? []) {
      const m = re.exec(text);
      if (m && (!best || m.index < best.index)) best = m;
    }
    return asMatch(best);
  }
  const everyPhrase = (c: Compiled) => [...c.phrases, ...c.platforms.flatMap((p) => p.phrases)];
  // Texts of the phrases' own words, so that their branches have something to find.
  const phraseWords = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'token',
          'expired',
          'has',
          'been',
          'revoked',
          'I am',
          'trying to',
          'need to',
          're-authenticate',
          'password',
          'changed',
          'session',
          'keeps',
          'asking',
          'login',
          'again',
          'Google',
          'Xero',
          'invalid_grant',
          'the',
          'my',
          'access',
          'not',
        ),
        fc.constantFrom(' ', '.', '\n', ', '),
      ),
      { maxLength: 24 },
    )
    .map((parts) => parts.join(' '));

  test.each([
    ['a|b', ['a', 'b']],
    ['(?:a|b)c|[|]d|e\\|f', ['(?:a|b)c', '[|]d', 'e\\|f']],
  ])('%s splits at its top-level bars only', (source, parts) => {
    expect(branchesOf(source)?.map((b) => b.re.source)).toEqual(parts);
  });

  test.each([
    ['one alternative', 'session expired'],
    ['a back-reference, which counts groups across alternatives', '(["\'])token\\1|x'],
    ['a named back-reference', '(?<q>["\'])token\\k<q>|x'],
    ['an empty alternative', 'token|'],
  ])('is not split with %s', (_why, source) => {
    expect(branchesOf(source)).toBeNull();
  });

  // The split is only worth having if it never moves a match: on every corpus message, for every split
  // phrase, its branches find what the whole phrase finds, and each branch's gate lets its matches through.
  test('matches where the whole phrase does, and its gates hide no match, on every corpus message', () => {
    const split = everyPhrase(compile(loadKnowledge())).filter((p) => p.branches !== null);
    expect(split.length).toBeGreaterThan(50);
    const moved: string[] = [];
    const hidden: string[] = [];
    for (const c of [...positives(), ...negatives()]) {
      const text = normalize(c.text);
      const index = new TextIndex(text.toLowerCase());
      for (const phrase of split) {
        if (JSON.stringify(leftmost(phrase, text)) !== JSON.stringify(asMatch(phrase.re.exec(text))))
          moved.push(`${itemName(c)}: ${phrase.re.source.slice(0, 60)}`);
        for (const b of phrase.branches ?? [])
          if (b.re.test(text) && !passesGate(b.gate, index)) hidden.push(`${itemName(c)}: ${b.re.source}`);
      }
    }
    expect(moved).toEqual([]);
    expect(hidden).toEqual([]);
  });

  test('matches where the whole phrase does on any mix of its own words', () => {
    const split = compile(loadKnowledge()).phrases.filter((p) => p.branches !== null);
    fc.assert(
      fc.property(phraseWords, (text) => {
        for (const phrase of split) expect(leftmost(phrase, text)).toEqual(asMatch(phrase.re.exec(text)));
      }),
      { numRuns: 300 },
    );
  });

  // The same knowledge with every phrase wrapped in one group, so that none is split ((?:A|B) matches
  // exactly what A|B does): findPhrases' grouping of a phrase's branches must change no answer.
  function unsplit(k: Knowledge): Knowledge {
    const wrapped = <P extends { pattern: string }>(p: P): P => ({ ...p, pattern: `(?:${p.pattern})` });
    return {
      ...k,
      signals: { ...k.signals, phrases: k.signals.phrases.map(wrapped) },
      platforms: k.platforms.map((p) => ({ ...p, phrases: p.phrases.map(wrapped) })),
    };
  }

  test('analyze() answers as with the phrases unsplit, on every corpus message, its capitals and generated text', () => {
    const k = loadKnowledge();
    const whole = unsplit(k);
    expect(everyPhrase(compile(whole)).every((p) => !p.branches)).toBe(true);
    const same = (text: string) => JSON.stringify(analyze(text, k)) === JSON.stringify(analyze(text, whole));
    const differ = [...positives(), ...negatives()].filter(
      (c) => !same(c.text) || !same(c.text.toUpperCase()),
    );
    expect(differ.map(itemName)).toEqual([]);
    fc.assert(
      fc.property(phraseWords, (text) => expect(analyze(text, k)).toEqual(analyze(text, whole))),
      { numRuns: 300 },
    );
  });
});
