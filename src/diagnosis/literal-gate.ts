/**
 * A cheap gate in front of a regular expression: the lower-case literals at least one of which
 * any match must contain. Testing `text.includes(literal)` first skips most patterns on most
 * texts, which is what keeps a diagnosis in microseconds. When a pattern is too clever to read,
 * there is no gate and the pattern always runs, so a gate never changes an answer.
 */

const QUANTIFIER_START = new Set(['?', '*', '+', '{']);
/**
 * Shortest literal a gate may use. Two characters (`(#`, `gh`) still skip most texts, and the one-pass
 * scanner finds them at no extra cost; a longer literal wins whenever the pattern has one.
 */
const MIN_SHORT_LITERAL = 2;

/** Splits a pattern at its top-level `|`, respecting groups, classes and escapes. */
export function topLevelAlternatives(source: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return null;
  }
  parts.push(source.slice(start));
  return parts;
}

const ESCAPED_LITERAL = /^[.\\/\-()[\]{}|?*+^$:#"'&,;=<>@!%~`]$/;

/**
 * How many characters the escape at `at` spans: `\u00a0`, `\x41`, `\cJ`, `\k<name>`, `\p{L}` and
 * `\12` carry more than one character after the backslash, none of them text to gate on (read as
 * plain characters they would make a literal no match holds, and a gate that hides matches).
 */
function escapeWidth(source: string, at: number): number {
  const next = source[at + 1] ?? '';
  const hex = (from: number, count: number) => {
    for (let k = 0; k < count; k++) if (!/[0-9a-fA-F]/.test(source[from + k] ?? '')) return false;
    return true;
  };
  // Bracketed: \u{…}, \k<…>, \p{…}, \P{…}.
  const opener = source[at + 2];
  if ((opener === '{' && 'upP'.includes(next)) || (opener === '<' && next === 'k')) {
    const close = source.indexOf(opener === '{' ? '}' : '>', at);
    return close < 0 ? source.length - at : close + 1 - at;
  }
  if (next === 'u') return hex(at + 2, 4) ? 6 : 2;
  if (next === 'x') return hex(at + 2, 2) ? 4 : 2;
  if (next === 'c') return /[a-zA-Z]/.test(source[at + 2] ?? '') ? 3 : 2;
  if (/[0-9]/.test(next)) {
    let end = at + 2;
    while (/[0-9]/.test(source[end] ?? '')) end++;
    return end - at;
  }
  return 2;
}

/** Index of the `}` closing a {n,m} quantifier that opens at `open`. */
function skipBraces(source: string, open: number): number {
  const close = source.indexOf('}', open);
  return close < 0 ? source.length : close;
}

/** Index of the `)` or `]` closing the group or class that opens at `open`. */
function closing(source: string, open: number): number {
  const ch = source[open];
  const close = ch === '(' ? ')' : ']';
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === ch && ch === '(') depth++;
    else if (c === close && (ch === '[' || --depth === 0)) return i;
    else if (c === '[' && ch === '(') i = closing(source, i);
  }
  return source.length;
}

/**
 * Which characters a literal may hold: ASCII (the scanner's, for the gate's own literals), also the
 * accented Latin letters (for the conditions, which `includes` checks: "expiré", "caducó", "ważności"
 * tell French, Spanish or Polish apart from the English "expired"), or any (the script gate's analysis).
 * The Latin letters are those of Latin-1 and Latin Extended-A (not ſ, µ, × or ÷): for each, every
 * character the non-unicode `i` flag matches it to lower-cases to what the literal lower-cases to, so the
 * pattern's match and the lower-cased text agree (checked against every BMP character by a review;
 * İ lower-cases to two characters, in the text and the literal alike).
 */
export type LiteralChars = 'ascii' | 'latin' | 'all';
const LATIN_LETTER = /[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017e]/;

/**
 * What the alternative always contains: its plain-character runs and the gates of the groups it
 * can't skip (`(AADSTS\d+)` → "aadsts"), lower-cased, each a set of literals one of which every
 * match holds. Null when it has none.
 */
function alternativeCandidates(alternative: string, chars: LiteralChars = 'ascii'): string[][] | null {
  const candidates: string[][] = [];
  let run = '';
  const end = () => {
    if (run.length >= MIN_SHORT_LITERAL) candidates.push([run]);
    run = '';
  };
  for (let i = 0; i < alternative.length; i++) {
    const ch = alternative[i] ?? '';
    const next = alternative[i + 1] ?? '';
    let literal: string | null = null;
    let width = 1;
    if (ch === '\\') {
      width = escapeWidth(alternative, i);
      literal = width === 2 && ESCAPED_LITERAL.test(next) ? next : null;
    } else if (ch === '{') {
      // A {n,m} quantifier: its digits are not text.
      end();
      i = skipBraces(alternative, i);
      continue;
    } else if (
      /[a-zA-Z0-9 _:'"=/,;#@%&!<>-]/.test(ch) ||
      (chars === 'all' && ch.charCodeAt(0) >= 0x80) ||
      (chars === 'latin' && LATIN_LETTER.test(ch))
    ) {
      literal = ch;
    }
    const after = alternative[i + width] ?? '';
    if (literal !== null && QUANTIFIER_START.has(after)) {
      // The character before a quantifier may be absent or repeated: the run ends before it.
      end();
    } else if (literal !== null) {
      run += literal.toLowerCase();
    } else if (ch === '(' || ch === '[') {
      end();
      const close = closing(alternative, i);
      const quantified = QUANTIFIER_START.has(alternative[close + 1] ?? '');
      const lookaround = ch === '(' && /^\(\?<?[=!]/.test(alternative.slice(i, i + 4));
      if (ch === '(' && !quantified && !lookaround) {
        const inner = alternative.slice(i + 1, close).replace(/^\?(?::|<[^>]{1,64}>)/, '');
        const groupGate = literalGate(inner, chars);
        if (groupGate) candidates.push(groupGate);
      }
      i = close;
      if (alternative[i + 1] === '{') i = skipBraces(alternative, i + 1);
      else if (quantified) i++;
      continue;
    } else {
      end();
    }
    i += width - 1;
  }
  end();
  return candidates.length > 0 ? candidates : null;
}

/**
 * Of the alternative's candidates, the most telling: each is needed by every match, so any one of
 * them is a sound gate; the one whose shortest literal is longest is taken
 * (`error\W{1,4}(invalid_grant)` → "invalid_grant", not "error", which most error pastes hold).
 */
function alternativeGate(alternative: string, chars: LiteralChars = 'ascii'): string[] | null {
  const candidates = alternativeCandidates(alternative, chars) ?? [];
  let best: string[] | null = null;
  let bestShortest = 0;
  for (const candidate of candidates) {
    const shortest = Math.min(...candidate.map((l) => l.length));
    if (shortest > bestShortest) {
      best = candidate;
      bestShortest = shortest;
    }
  }
  return best;
}

/** Literals for a pattern, or null when the pattern can't be gated safely. */
export function literalGate(source: string, chars: LiteralChars = 'ascii'): string[] | null {
  const alternatives = topLevelAlternatives(source);
  if (!alternatives) return null;
  const literals: string[] = [];
  for (const alt of alternatives) {
    const gate = alternativeGate(alt, chars);
    if (!gate) return null;
    literals.push(...gate);
  }
  return [...new Set(literals)];
}

/**
 * Per top-level alternative, every literal set it needs (all of them, each by any one of its
 * literals): stricter than literalGate's one set per alternative, which chat full of "error", "user"
 * and "token" passes often. Null when the pattern has no gate or the sets add nothing to literalGate's.
 */
export function literalConditions(source: string): string[][][] | null {
  const alternatives = topLevelAlternatives(source);
  if (!alternatives) return null;
  const conditions: string[][][] = [];
  for (const alt of alternatives) {
    const candidates = alternativeCandidates(alt, 'latin');
    if (!candidates) return null;
    conditions.push(candidates.map((c) => [...new Set(c)]));
  }
  return conditions.some((c) => c.length > 1) ? conditions : null;
}

/**
 * The text's character pairs, as a bitmap: a literal can only be in the text if all its pairs
 * are. Checking a few bytes is much cheaper than `includes`, and most literals fail here.
 */
const CLASSES = 37; // a-z, 0-9, everything else
const CLASS_OF = new Uint8Array(128).fill(36);
for (let c = 0; c < 26; c++) CLASS_OF[97 + c] = c;
for (let d = 0; d < 10; d++) CLASS_OF[48 + d] = 26 + d;

function classOf(code: number): number {
  return code < 128 ? (CLASS_OF[code] ?? 36) : 36;
}

export class TextIndex {
  readonly pairs = new Uint8Array(CLASSES * CLASSES);
  constructor(readonly lower: string) {
    let prev = classOf(lower.charCodeAt(0));
    for (let i = 1; i < lower.length; i++) {
      const cur = classOf(lower.charCodeAt(i));
      this.pairs[prev * CLASSES + cur] = 1;
      prev = cur;
    }
  }
}

/** A gate ready to run: its literals and, for each, the character pairs it needs. */
export interface Gate {
  literals: string[];
  pairs: number[][];
  /** literalConditions: checked once one of the literals is in the text. */
  conditions: string[][][] | null;
}

/** The gate of a pattern: literalGate's literals, then literalConditions. */
export function patternGate(source: string): Gate | null {
  return compileGate(literalGate(source), literalConditions(source));
}

export function compileGate(literals: string[] | null, conditions: string[][][] | null = null): Gate | null {
  if (!literals) return null;
  return {
    literals,
    conditions,
    pairs: literals.map((l) => {
      const ids = new Set<number>();
      for (let i = 1; i < l.length; i++)
        ids.add(classOf(l.charCodeAt(i - 1)) * CLASSES + classOf(l.charCodeAt(i)));
      return [...ids];
    }),
  };
}

/** True when the gate lets the text through to the pattern (no gate: always). */
export function passesGate(gate: Gate | null, text: TextIndex): boolean {
  if (!gate) return true;
  for (let i = 0; i < gate.literals.length; i++) {
    const pairs = gate.pairs[i] ?? [];
    let possible = true;
    for (const id of pairs) {
      if (text.pairs[id] === 0) {
        possible = false;
        break;
      }
    }
    if (possible && text.lower.includes(gate.literals[i] ?? '')) {
      return (
        gate.conditions === null ||
        gate.conditions.some((alternative) =>
          alternative.every((set) => set.some((literal) => text.lower.includes(literal))),
        )
      );
    }
  }
  return false;
}

/** Letters of the scripts a pattern may need (the scanner's literals are ASCII: these are gated apart). */
// With the letters that case folding (`i`) maps onto Cyrillic ones (U+1C80–U+1C88).
const CYRILLIC = /[\u0400-\u052f\u1c80-\u1c8f]/;
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

/** Which scripts a text holds letters of, read once per text for the patterns gated by script. */
export interface Scripts {
  cyrillic: boolean;
  cjk: boolean;
}
export function scriptsOf(lower: string): Scripts {
  return { cyrillic: CYRILLIC.test(lower), cjk: CJK.test(lower) };
}

/**
 * For a pattern with no ASCII gate: the scripts one of whose letters every match holds, read from the
 * same literal analysis with non-ASCII characters taken as literals (every literal of the gate holds a
 * Cyrillic letter, or a CJK one, or one of either). Null when a match may hold neither: it always runs.
 */
export function scriptGate(source: string): Scripts | null {
  const literals = literalGate(source, 'all');
  if (!literals) return null;
  const cyrillic = literals.some((l) => CYRILLIC.test(l));
  const cjk = literals.some((l) => CJK.test(l));
  return literals.every((l) => CYRILLIC.test(l) || CJK.test(l)) ? { cyrillic, cjk } : null;
}

/** Whether a text's scripts let a pattern gated by scriptGate through. */
export function passesScriptGate(gate: Scripts, text: Scripts): boolean {
  return (gate.cyrillic && text.cyrillic) || (gate.cjk && text.cjk);
}

/**
 * Every gate's literals, found in one pass over the text instead of one check per gate: an
 * Aho–Corasick automaton, built once per knowledge as a full transition table over the characters
 * the literals use. Each character of the text costs one table read, so the cost follows the text's
 * length (plus the literals it holds), not how many patterns or literals the knowledge has.
 */
export class LiteralScanner {
  /** Column of each UTF-16 code unit; 0 for every character no literal uses. */
  private readonly column = new Uint8Array(65536);
  private readonly columns: number;
  /**
   * next[state * columns + column]: the state after reading a character, times two, plus 1 when a
   * literal ends there or on its suffix chain: the scan reads one table per character, and looks
   * for literals only where one ends. 16-bit while the states fit: the table is read once per
   * character at random places, so half the size is fewer cache misses.
   */
  private readonly next: Uint16Array | Int32Array;
  /** The literal ending at a state, or -1. */
  private readonly literalAt: Int32Array;
  /** The nearest state on the suffix chain where a literal ends, or -1. */
  private readonly outputLink: Int32Array;
  /** The state itself when a literal ends there, else its outputLink: one read per character. */
  private readonly firstOutput: Int32Array;
  /** Per-scan marks on states, stamped with the scan's number so nothing needs clearing. */
  private readonly reported: Uint32Array;
  private stamp = 0;

  constructor(readonly literals: readonly string[]) {
    let columns = 1;
    for (const literal of literals) {
      for (let i = 0; i < literal.length; i++) {
        const code = literal.charCodeAt(i);
        if (this.column[code] === 0) {
          if (columns === 256) throw new Error('LiteralScanner: literals use more than 255 characters');
          this.column[code] = columns++;
        }
      }
    }
    this.columns = columns;
    // The trie: children by state * columns + column, built while the states are numbered.
    const child = new Map<number, number>();
    const ends: number[] = [-1];
    literals.forEach((literal, id) => {
      let state = 0;
      for (let i = 0; i < literal.length; i++) {
        const key = state * columns + (this.column[literal.charCodeAt(i)] ?? 0);
        let to = child.get(key);
        if (to === undefined) {
          to = ends.length;
          ends.push(-1);
          child.set(key, to);
        }
        state = to;
      }
      ends[state] = id;
    });
    const states = ends.length;
    this.literalAt = Int32Array.from(ends);
    this.next = states <= 32768 ? new Uint16Array(states * columns) : new Int32Array(states * columns);
    this.outputLink = new Int32Array(states).fill(-1);
    this.reported = new Uint32Array(states);
    // Breadth first, so a state's failure state is complete before the state is.
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = 0; c < columns; c++) {
      const to = child.get(c);
      if (to !== undefined) {
        this.next[c] = to;
        queue.push(to);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const back = fail[state] ?? 0;
      for (let c = 0; c < columns; c++) {
        const to = child.get(state * columns + c);
        const fallback = this.next[back * columns + c] ?? 0;
        if (to === undefined) {
          this.next[state * columns + c] = fallback;
          continue;
        }
        this.next[state * columns + c] = to;
        fail[to] = fallback;
        this.outputLink[to] =
          (this.literalAt[fallback] ?? -1) >= 0 ? fallback : (this.outputLink[fallback] ?? -1);
        queue.push(to);
      }
    }
    this.firstOutput = Int32Array.from(this.outputLink, (link, state) =>
      (this.literalAt[state] ?? -1) >= 0 ? state : link,
    );
    // The states in the table become (state << 1) | (a literal ends there), now that all are known.
    for (let k = 0; k < this.next.length; k++) {
      const to = this.next[k] ?? 0;
      this.next[k] = (to << 1) | ((this.firstOutput[to] ?? -1) >= 0 ? 1 : 0);
    }
  }

  /** The ids (indexes into `literals`) of the literals the lower-cased text contains, each once. */
  find(lower: string): number[] {
    const found: number[] = [];
    this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.reported.fill(0);
    const stamp = this.stamp;
    const { next, column, columns, literalAt, outputLink, firstOutput, reported } = this;
    const rootQuiet = (firstOutput[0] ?? -1) < 0;
    let state = 0;
    for (let i = 0; i < lower.length; i++) {
      const col = column[lower.charCodeAt(i)] ?? 0;
      // A character no literal uses leads back to the root from every state (where no literal ends,
      // unless one is empty).
      if (col === 0 && rootQuiet) {
        state = 0;
        continue;
      }
      const entry = next[state * columns + col] ?? 0;
      state = entry >> 1;
      if ((entry & 1) === 0) continue;
      // A state reported before had its whole suffix chain reported then: stop there, so each
      // state is reported once per scan and the scan stays linear.
      let out = firstOutput[state] ?? -1;
      while (out >= 0 && reported[out] !== stamp) {
        reported[out] = stamp;
        found.push(literalAt[out] ?? 0);
        out = outputLink[out] ?? -1;
      }
    }
    return found;
  }
}
