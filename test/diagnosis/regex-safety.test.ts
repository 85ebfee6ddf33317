import { checkSync } from 'recheck';
import {
  AUTOMATON_FIRST_TRY,
  codeRegexes,
  expectLinearTime,
  linearTimeVerdict,
  otherKnowledgeRegexes,
} from '../support/regex-safety';

// Every regular expression runs in linear time on any input (test/support/regex-safety.ts says how it
// is decided): those written in TypeScript, the knowledge's platform and fix patterns, and the combined
// ones built from them. knowledge/signals.yml's phrases have their own suite (regex-safety-signals).

const code = codeRegexes();

test('the scan finds the regular expressions written in code', () => {
  // redact.ts alone holds more than a dozen; a scan that finds few is broken, not clean.
  expect(code.length).toBeGreaterThan(25);
});

test.each([...code, ...otherKnowledgeRegexes()])(
  '%s: /%s/%s runs in linear time',
  (_where, source, flags) => {
    expectLinearTime(source, flags);
  },
);

test('the first try proves what it can; what it cannot decide still meets the hybrid check', () => {
  expect(linearTimeVerdict('^(a|a)*$', '')).toMatchObject({ status: 'vulnerable', checker: 'automaton' });
  // The automaton runs out of its short try on a long bounded repeat; the fuzzer then finds the attack.
  const long = '\\s*[^.\\n]{0,40}\\s*x';
  expect(checkSync(long, 'i', AUTOMATON_FIRST_TRY).status).toBe('unknown');
  expect(linearTimeVerdict(long, 'i')).toMatchObject({ status: 'vulnerable', checker: 'fuzz' });
});
