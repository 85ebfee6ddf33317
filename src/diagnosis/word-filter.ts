/**
 * A quick "no" in front of the prefilter, the case-insensitive regex every message is asked first
 * (`anyWord` in compile.ts): an Aho–Corasick automaton run over the text's UTF-8 bytes, one table
 * read per byte. irregexp tries each word's first characters at every position of the text; on chat
 * this reads about twice as fast, and most chat holds no word, so the regex never runs on it.
 *
 * The filter reads a text more loosely than the regex, never more strictly: it says "maybe" for every
 * text the regex matches, so `mayMatch(text) && regex.test(text)` is `regex.test(text)`:
 * - An ASCII character is read folded to lower case. A case-insensitive regex without the `u` flag
 *   takes an ASCII letter only for the same letter in either case, and never takes an ASCII
 *   character for a non-ASCII one or the other way round (ECMAScript's Canonicalize keeps them apart),
 *   which test/diagnosis/word-filter.test.ts checks on all 65,536 code units.
 * - Every non-ASCII character is read as one and the same symbol, whatever its UTF-8 length (its
 *   lead byte is the symbol, its continuation bytes are skipped), in the words as in the text: a
 *   non-ASCII character the regex takes for a word's is read as the word's. A surrogate pair is one
 *   character, and a lone surrogate one too (TextEncoder writes U+FFFD for it), in a word as in a
 *   text, so a match that takes half of a pair still reads as one symbol for one.
 *
 * The bytes, not `charCodeAt`: read from a typed array, the loop is the same fast loop whatever the
 * string's representation (the bench's texts are mostly cons and sliced strings, on which a
 * `charCodeAt` loop ran at a third of the speed inside the classifier).
 */

/** The automaton read a whole word (a state number no table holds: states are multiples of columns). */
const FOUND16 = 0xffff;
const FOUND32 = -1;
/** Columns: 0 for a byte no word uses (back to the root), then these, then the words' ASCII characters. */
const CONTINUATION = 1;
const NON_ASCII = 2;
const FIRST_ASCII_COLUMN = 3;
/** Longer texts go straight to the regex: the byte buffer stays at most three times this. */
const MAX_TEXT = 1 << 16;

/**
 * Non-ASCII characters whose upper or lower case holds an ASCII letter (ſ → S, K → k, ı → I, ß → SS,
 * ﬁ → FI, …). irregexp's case folding links some of them to ASCII letters where the spec doesn't
 * (`/(?:sesión|Sa|ſ)/i` matches "s" and not "ſ", V8 11.3), so a word with one makes the filter say
 * "maybe" to every text, and so does a text with one. The test recomputes the list from the engine.
 */
export const ASCII_CASE_LINKED =
  '\u00df\u0130\u0131\u0149\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u212a\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06';
const CASE_LINKED = new RegExp(`[${ASCII_CASE_LINKED}]`);

const encoder = new TextEncoder();
/** Reused by every filter: a text's UTF-8 bytes, up to three per UTF-16 code unit. */
let bytes = new Uint8Array(1024);
/** The text `bytes` holds, and how many bytes: a message read by several filters is encoded once. */
let encoded: string | null = null;
let encodedLength = 0;

/** The text's UTF-8 bytes into `bytes`; their count. */
function encode(text: string): number {
  if (text === encoded) return encodedLength;
  if (bytes.length < text.length * 3) bytes = new Uint8Array(text.length * 6);
  encodedLength = encoder.encodeInto(text, bytes).written;
  encoded = text;
  return encodedLength;
}

/**
 * The text's UTF-8 bytes, for a reader that wants them (redact.ts's long runs): a view of the shared
 * buffer, good until the next text is read, or a copy of their own for a text past MAX_TEXT.
 */
export function utf8(text: string): Uint8Array {
  if (text.length > MAX_TEXT) return encoder.encode(text);
  return bytes.subarray(0, encode(text));
}

export class WordFilter {
  /** Column of each byte. */
  private readonly column = new Uint8Array(256);
  /**
   * next[state + column], states numbered by their first entry (state × columns): the next state, or
   * FOUND when a word ends there (on the state or its suffix chain). 16-bit when the table fits.
   */
  private readonly next16: Uint16Array | null;
  private readonly next32: Int32Array | null;
  /**
   * No words, or an empty one (the regex, `(?:)` or with an empty alternative, matches every text; a
   * word of skipped characters only is one), or a word with a character of ASCII_CASE_LINKED.
   */
  private readonly always: boolean;

  /**
   * `skip`: ASCII characters read through, in the text as in the words (left out of both): the filter
   * then finds a word whose characters are in the text in order with only these between them.
   */
  constructor(
    readonly words: readonly string[],
    { skip = '' }: { skip?: string } = {},
  ) {
    let always = words.length === 0 || words.some((w) => CASE_LINKED.test(w));
    const { column } = this;
    for (let b = 0x80; b < 0xc0; b++) column[b] = CONTINUATION;
    for (let b = 0xc0; b < 0x100; b++) column[b] = NON_ASCII;
    for (let i = 0; i < skip.length; i++) {
      const b = skip.charCodeAt(i);
      if (b >= 0x80) throw new Error('WordFilter: only ASCII characters can be skipped');
      // Read as a continuation byte: the state stays.
      column[b] = CONTINUATION;
      if (b >= 65 && b <= 90) column[b + 32] = CONTINUATION;
      if (b >= 97 && b <= 122) column[b - 32] = CONTINUATION;
    }
    let columns = FIRST_ASCII_COLUMN;
    const symbol = (code: number): number => {
      if (code >= 0xc0) return NON_ASCII;
      const lower = code >= 65 && code <= 90 ? code + 32 : code;
      if (column[lower] === 0) {
        column[lower] = columns++;
        if (lower >= 97 && lower <= 122) column[lower - 32] = column[lower] as number;
      }
      return column[lower] as number;
    };
    // The trie of the words, as symbols, keyed by state × 256 + symbol. A word is read from its UTF-8
    // bytes as a text is, so both read a character (a surrogate pair, a lone surrogate) as one symbol.
    const child = new Map<number, number>();
    const ends: boolean[] = [false];
    for (const word of words) {
      let state = 0;
      for (const byte of encoder.encode(word)) {
        if (column[byte] === CONTINUATION) continue;
        const key = state * 256 + symbol(byte);
        let to = child.get(key);
        if (to === undefined) {
          to = ends.length;
          ends.push(false);
          child.set(key, to);
        }
        state = to;
      }
      ends[state] = true;
      // An empty word (or one of skipped characters only) is in every text.
      if (state === 0) always = true;
    }
    this.always = always;
    const states = ends.length;
    // The full transition table, breadth first, so a state's failure state is complete before the
    // state is; a state ends a word when its failure state does.
    const next = new Int32Array(states * columns);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = NON_ASCII; c < columns; c++) {
      const to = child.get(c);
      if (to !== undefined) {
        next[c] = to;
        queue.push(to);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const back = fail[state] as number;
      if (ends[back]) ends[state] = true;
      for (let c = NON_ASCII; c < columns; c++) {
        const to = child.get(state * 256 + c);
        const fallback = next[back * columns + c] as number;
        if (to === undefined) {
          next[state * columns + c] = fallback;
        } else {
          next[state * columns + c] = to;
          fail[to] = fallback;
          queue.push(to);
        }
      }
    }
    // A continuation byte stays in its state (the character was read at its lead byte); column 0
    // leads to the root (left at 0).
    for (let state = 0; state < states; state++) next[state * columns + CONTINUATION] = state;
    const small = states * columns < FOUND16;
    const table = small ? new Uint16Array(states * columns) : new Int32Array(states * columns);
    const found = small ? FOUND16 : FOUND32;
    for (let k = 0; k < next.length; k++) {
      const to = next[k] as number;
      table[k] = ends[to] ? found : to * columns;
    }
    this.next16 = small ? (table as Uint16Array) : null;
    this.next32 = small ? null : (table as Int32Array);
  }

  /** False when no word is in the text, in any case (see the file's comment); true when one may be. */
  mayMatch(text: string): boolean {
    if (this.always || text.length > MAX_TEXT) return true;
    const length = encode(text);
    // Longer in UTF-8 than in UTF-16 code units: the text has a non-ASCII character, maybe one of those.
    if (length !== text.length && CASE_LINKED.test(text)) return true;
    const { column, next16 } = this;
    if (next16 === null) return this.mayMatch32(length);
    let state = 0;
    for (let i = 0; i < length; i++) {
      state = next16[state + (column[bytes[i] as number] as number)] as number;
      if (state === FOUND16) return true;
    }
    return false;
  }

  /** mayMatch on the first `length` bytes of `bytes`, with a 32-bit table. */
  private mayMatch32(length: number): boolean {
    const { column } = this;
    const next32 = this.next32 as Int32Array;
    let state = 0;
    for (let i = 0; i < length; i++) {
      state = next32[state + (column[bytes[i] as number] as number)] as number;
      if (state === FOUND32) return true;
    }
    return false;
  }
}
