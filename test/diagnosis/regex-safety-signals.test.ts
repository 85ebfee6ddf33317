import { expectLinearTime, signalRegexes } from '../support/regex-safety';

// knowledge/signals.yml's phrase patterns run in linear time on any input (test/support/regex-safety.ts
// says how it is decided). Their own suite, as they take most of the time to decide.

const phrases = signalRegexes();

test('every phrase of signals.yml is checked', () => {
  expect(phrases.length).toBeGreaterThan(100);
});

test.each(phrases)('%s: /%s/%s runs in linear time', (_where, source, flags) => {
  expectLinearTime(source, flags);
});
