/**
 * Mends the slips OCR makes in error codes before the text is diagnosed. Two kinds, both from how
 * screenshots render codes rather than from any one message:
 * - an underscore sits on the baseline and is often read as a space: "invalid grant" for
 *   `invalid_grant`, "EXPIRED ACCESS TOKEN" for `EXPIRED_ACCESS_TOKEN`. Every underscored code the
 *   knowledge documents is restored when its words appear separated by single spaces in the code's
 *   own letter case (so the prose "not authorized" does not become `NOT_AUTHORIZED`);
 * - a code split or misread inside: "AADSTS 50173", "AADSTS5OO76" (letter O for zero, l or I for one).
 */
import type { Knowledge } from '../diagnosis/knowledge';

interface Repairs {
  /** The code's words joined by one space, in its own case → the code as the platform writes it. */
  codes: Map<string, string>;
  /** The most words any underscored code has. */
  longest: number;
}

const cache = new WeakMap<Knowledge, Repairs>();

function repairsFor(knowledge: Knowledge): Repairs {
  let repairs = cache.get(knowledge);
  if (repairs) return repairs;
  const codes = new Map<string, string>();
  let longest = 0;
  for (const platform of knowledge.platforms) {
    for (const { code, cause } of platform.codes) {
      if (!/^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$/.test(code)) continue;
      // A lower-case code has no case of its own to tell it from prose ("an invalid request"): only
      // the ones that name a login cause are worth that risk, since a screenshot's login error hangs on them.
      if (!cause && code === code.toLowerCase()) continue;
      const words = code.split('_');
      codes.set(words.join(' '), code);
      longest = Math.max(longest, words.length);
    }
  }
  repairs = { codes, longest };
  cache.set(knowledge, repairs);
  return repairs;
}

interface Word {
  start: number;
  end: number;
}

function words(text: string): Word[] {
  const found: Word[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9]+/g)) found.push({ start: m.index, end: m.index + m[0].length });
  return found;
}

/** Underscored codes whose underscores OCR read as single spaces. */
function restoreUnderscores(text: string, repairs: Repairs): string {
  if (repairs.codes.size === 0) return text;
  const list = words(text);
  let out = '';
  let copied = 0;
  // Words are separated by exactly one space when the next word starts one past the previous end.
  const spaceBefore = (j: number): boolean =>
    (list[j] as Word).start === (list[j - 1] as Word).end + 1 && text[(list[j - 1] as Word).end] === ' ';
  for (let i = 0; i < list.length; i++) {
    const first = list[i] as Word;
    for (let n = Math.min(repairs.longest, list.length - i); n >= 2; n--) {
      let joinedBySpaces = true;
      for (let j = i + 1; j < i + n && joinedBySpaces; j++) joinedBySpaces = spaceBefore(j);
      if (!joinedBySpaces) continue;
      const last = list[i + n - 1] as Word;
      const code = repairs.codes.get(text.slice(first.start, last.end));
      if (!code) continue;
      out += text.slice(copied, first.start) + code;
      copied = last.end;
      i += n - 1;
      break;
    }
  }
  return out + text.slice(copied);
}

/** Microsoft Entra codes: "AADSTS 50173" → "AADSTS50173"; O read for 0 and l or I for 1 in the digits. */
function repairEntraCodes(text: string): string {
  return text.replace(/\bAADSTS[ :]?([0-9OolI]{5,6})\b/g, (whole, digits: string) =>
    /[0-9]/.test(digits) ? `AADSTS${digits.replace(/[Oo]/g, '0').replace(/[lI]/g, '1')}` : whole,
  );
}

/**
 * OCR ends a line wherever the screenshot wrapped it, and marks paragraphs with a blank line: join the
 * wrapped lines, so wording that wrapped ("Session has⏎expired") reads whole and a card quotes the
 * whole sentence.
 */
function unwrapLines(text: string): string {
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed) current.push(trimmed);
    else if (current.length > 0) {
      paragraphs.push(current.join(' '));
      current = [];
    }
  }
  if (current.length > 0) paragraphs.push(current.join(' '));
  return paragraphs.join('\n');
}

export function repairOcrText(text: string, knowledge: Knowledge): string {
  return restoreUnderscores(repairEntraCodes(unwrapLines(text)), repairsFor(knowledge));
}
