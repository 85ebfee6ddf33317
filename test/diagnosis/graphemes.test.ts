import fc from 'fast-check';
import { graphemeFloor } from '../../src/diagnosis/graphemes';

// graphemeFloor answers a cut between two ASCII characters without segmenting: the answer must be
// the one Intl.Segmenter gives, on text that mixes ASCII with CR LF, combining marks, joiners,
// flags and surrogate pairs.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The largest grapheme boundary ≤ at, from the segmenter alone (a code point boundary inside the first grapheme). */
function reference(s: string, at: number): number {
  if (at <= 0) return 0;
  if (at >= s.length) return s.length;
  let floor = 0;
  for (const { index } of segmenter.segment(s)) if (index <= at) floor = index;
  if (floor > 0) return floor;
  const low = s.charCodeAt(at) >= 0xdc00 && s.charCodeAt(at) <= 0xdfff;
  const high = s.charCodeAt(at - 1) >= 0xd800 && s.charCodeAt(at - 1) <= 0xdbff;
  return low && high ? at - 1 : at;
}

test('a cut falls where the segmenter puts a grapheme boundary', () => {
  const piece = fc.constantFrom(
    'a',
    'Z',
    ' ',
    '.',
    '\r',
    '\n',
    '\u0301',
    '\u200d',
    '\u{1F600}',
    '\u{1F1EB}',
    'é',
    '\u0915\u094d',
  );
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 24 }).map((p) => p.join('')),
      fc.nat(60),
      (s, at) => {
        expect(graphemeFloor(s, at)).toBe(reference(s, at));
      },
    ),
    { numRuns: 3000 },
  );
});
