/**
 * Cutting text to a length without breaking a character: UTF-16 `slice` can split a surrogate pair
 * (an emoji becomes a lone surrogate, which Slack shows as garbage) or a grapheme (a flag, a skin
 * tone, a ZWJ family). Cuts here fall between graphemes (Intl.Segmenter), or at least between code
 * points when one grapheme is itself longer than the room left.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** The largest index ≤ `at` that does not fall inside a surrogate pair. */
function codePointFloor(s: string, at: number): number {
  if (at <= 0) return 0;
  if (at >= s.length) return s.length;
  return isLow(s.charCodeAt(at)) && isHigh(s.charCodeAt(at - 1)) ? at - 1 : at;
}

/** The largest grapheme boundary ≤ `at` (a code point boundary when `at` is inside the first grapheme). */
export function graphemeFloor(s: string, at: number): number {
  if (at <= 0) return 0;
  if (at >= s.length) return s.length;
  // Between two ASCII characters there is always a grapheme boundary but inside CR LF (no ASCII
  // character extends, joins or prefixes another): most cuts fall there, and segmenting costs more.
  const before = s.charCodeAt(at - 1);
  const after = s.charCodeAt(at);
  if (before < 0x80 && after < 0x80 && !(before === 13 && after === 10)) return at;
  const segment = segmenter.segment(s).containing(at);
  if (!segment) return codePointFloor(s, at);
  if (segment.index === at) return at;
  return segment.index > 0 ? segment.index : codePointFloor(s, at);
}

/** The longest prefix of `s` at most `max` UTF-16 units long that ends between graphemes. */
export function clipGraphemes(s: string, max: number): string {
  if (s.length <= max) return s;
  return s.slice(0, graphemeFloor(s, Math.max(0, max)));
}

/**
 * Up to `length` units of `s` from about `start`: the start moves back to a grapheme boundary, the
 * end back to one within the length.
 */
export function sliceGraphemes(s: string, start: number, length: number): string {
  const from = graphemeFloor(s, start);
  return clipGraphemes(s.slice(from), length);
}
