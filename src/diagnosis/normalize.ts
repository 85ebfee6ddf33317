/**
 * Turns what people paste (Slack mrkdwn, code fences, escaped JSON, log lines) into plain text the
 * patterns can read. Runs after redaction. Every step is a single linear pass.
 */

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** Slack link and mention markup: <https://x|label>, <@U123>, <#C123|name>, <!here>. XML tags stay. */
function stripSlackMarkup(text: string): string {
  return text.replace(/<((?:https?:\/\/|mailto:|[@#!])[^<>\n]{0,2000})>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : '';
    if (target.startsWith('@')) return label ? `@${label}` : '@someone';
    if (target.startsWith('#')) return label ? `#${label}` : '#channel';
    if (target.startsWith('!')) return label || '';
    return label && label !== target ? `${label} (${target})` : target;
  });
}

/**
 * \" \n \t \/ and \uXXXX escapes left behind when a JSON string is pasted as text, one level per pass
 * (a JSON body logged inside a JSON string is escaped twice, and so on). Passes are capped so that a
 * chain like `\u005cu005c…` stays linear.
 */
export function unescapeJsonish(text: string, passes = 2): string {
  let out = text;
  for (let pass = 0; pass < passes && out.includes('\\'); pass++) {
    const before = out;
    out = unescapeOnce(out);
    if (out === before) break;
  }
  return out;
}

/** Whether a UTF-16 code unit is a hex digit. */
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * One level of `\\(u[0-9a-fA-F]{4}|["nrt/\\])` escapes, left to right as the regex would take them, by
 * a scan: a paste of thousands of escapes made a replace callback per escape the costliest step.
 */
function unescapeOnce(text: string): string {
  let out = '';
  let last = 0;
  for (let at = text.indexOf('\\'); at >= 0; at = text.indexOf('\\', at)) {
    const next = text[at + 1];
    let replacement: string | null = null;
    let width = 2;
    if (next === 'n' || next === 'r') replacement = '\n';
    else if (next === 't') replacement = ' ';
    else if (next === '"' || next === '/' || next === '\\') replacement = next;
    else if (
      next === 'u' &&
      isHex(text.charCodeAt(at + 2)) &&
      isHex(text.charCodeAt(at + 3)) &&
      isHex(text.charCodeAt(at + 4)) &&
      isHex(text.charCodeAt(at + 5))
    ) {
      replacement = String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 6), 16));
      width = 6;
    }
    if (replacement === null) {
      at++;
      continue;
    }
    out += text.slice(last, at) + replacement;
    last = at + width;
    at = last;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** "2018-09-17T16:13:08.953+00:00 app[web.1]: ERROR " and the like, at the start of a line. */
const LOG_PREFIX =
  /^[ \t]{0,8}\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?\]?[ \t]{1,4}(?:[\w.-]{1,40}\[[\w.-]{1,20}\]:[ \t]{1,4})?(?:\[?(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\]?:?[ \t]{1,4})?/gm;

/** Whether the text has four digits and a dash (`2024-`), which every LOG_PREFIX match starts its date with. */
function hasDateDash(text: string): boolean {
  for (let at = text.indexOf('-', 4); at >= 0; at = text.indexOf('-', at + 1)) {
    if (isDigit(text, at - 1) && isDigit(text, at - 2) && isDigit(text, at - 3) && isDigit(text, at - 4))
      return true;
  }
  return false;
}

function isDigit(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c >= 48 && c <= 57;
}

/**
 * What some step of normalize() deletes, replaces or folds (Slack markup `<`, entities `&`, the quotes
 * and emphasis it drops, control characters, two blanks in a row), and `_`, which sends a text with no
 * trigger word to the table-code lookup in diagnose.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const JOINABLE = /[<&`"*~_\u0000-\u0008\u000b-\u001f\u007f]|[ \t\u00a0]{2}/;

/**
 * JOINABLE as literals: a text holding none of them and no no-break space (asked apart, as it is not
 * ASCII) holds nothing JOINABLE matches. For diagnose's early exit, read in one pass with the others.
 */
export const JOINABLE_CUES: readonly string[] = [
  ...'<&`"*~_',
  ...Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).filter((c) => c !== '\t' && c !== '\n'),
  '\u007f',
  '  ',
  ' \t',
  '\t ',
  '\t\t',
];

/**
 * Whether normalize() can only cut this text at line starts (a log prefix, blanks after a line break)
 * and trim it: it holds none of JOINABLE. Cutting there joins nothing, so normalize() can't make a word
 * that wasn't in the text: diagnose's early exit for plain chat rests on this
 * (test/diagnosis/plain-exit.test.ts). One regex scan: a loop over the characters in JavaScript cost
 * several times more.
 */
export function normalizingCannotJoin(text: string): boolean {
  return !JOINABLE.test(text);
}

/**
 * `unescaped`: the text was unescaped already (the redactor does it, deeper, before masking): doing it
 * again here could reveal, after masking, a secret escaped deeper than the redactor looked.
 */
export function normalize(text: string, options: { unescaped?: boolean; checkFirst?: boolean } = {}): string {
  return normalizeRest(normalizeMarkup(text, options), options);
}

/** normalize()'s first steps: Slack markup, HTML entities and (unless `unescaped`) JSON escapes. */
export function normalizeMarkup(text: string, options: { unescaped?: boolean } = {}): string {
  let out = text.includes('<') ? stripSlackMarkup(text) : text;
  if (out.includes('&')) out = out.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
  if (!options.unescaped) out = unescapeJsonish(out);
  return out;
}

/**
 * What normalizeRest() deletes (quotes, backticks, emphasis) or reads as blanks (control characters,
 * which become spaces, and the blanks it folds), the no-break space apart: between two characters it
 * keeps on one line, only these are taken out (its other cuts sit right after a line break, or after a
 * carriage return, a line or paragraph separator, which `^` also reads as a line start: the separators
 * stay, the carriage return becomes a space, so a text with one is read the whole way). A trigger
 * word's characters, its blanks left out, are therefore in order in the text before normalizeRest, with
 * only these between them: diagnose's exit for chat with markup rests on this
 * (test/diagnosis/plain-exit.test.ts).
 */
export const DROPPED_OR_BLANK =
  '`"*~ \t' +
  Array.from({ length: 32 }, (_, c) => String.fromCharCode(c))
    .filter((c) => c !== '\t' && c !== '\n')
    .join('') +
  '\u007f';

/**
 * The rest of normalize() on what normalizeMarkup() gave: deletions (quotes, backticks, emphasis), cuts
 * at line starts (log prefixes, blanks after a line break), control characters as spaces, runs of
 * blanks folded, the ends trimmed.
 */
export function normalizeRest(text: string, options: { checkFirst?: boolean } = {}): string {
  // `checkFirst: false` runs every step whatever its cheap check says (for the test that shows the
  // checks never change an answer).
  const checkFirst = options.checkFirst ?? true;
  let out = text;
  // Quotes, backticks and mrkdwn emphasis carry no meaning for diagnosis; JSON keys then read `key: value`.
  // (Each step below runs only when the text holds what it changes: `includes` is far cheaper than a
  // regex pass, and most chat holds none of it.)
  if (!checkFirst || out.includes('"') || out.includes('`') || out.includes('*') || out.includes('~'))
    out = out.replace(/[`"*~]/g, '');
  // Log-line prefixes (timestamp, process tag, level) say nothing about the error and crowd the quote.
  if (!checkFirst || hasDateDash(out)) out = out.replace(LOG_PREFIX, '');
  // Control characters (binary junk) become spaces; runs of blanks fold to one.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  out = out.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  // A run of two blanks is two spaces unless the text has a tab or a no-break space.
  if (!checkFirst || out.includes('  ') || out.includes('\t') || out.includes('\u00a0'))
    out = out.replace(/[ \t\u00a0]{2,}/g, ' ');
  if (!checkFirst || out.includes('\n')) out = out.replace(/\n\s+/g, '\n');
  return out.trim();
}
