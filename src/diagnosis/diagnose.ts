import {
  type CodeEntry,
  type CodeOwner,
  type Compiled,
  type CompiledPhrase,
  type CompiledPlatform,
  compile,
  hashSlot,
  hashStep,
  hasTriggerWord,
  messageWords,
  type NameHit,
  runnablePatterns,
  wordShape,
} from './compile';
import { belowTop, type DecisionPath } from './confidence';
import { clipGraphemes, sliceGraphemes } from './graphemes';
import type { Knowledge } from './knowledge';
import { normalizeMarkup, normalizeRest, normalizingCannotJoin } from './normalize';
import { mayMaskWithoutCues, type Redaction, redactSecrets } from './redact';
import { CAUSE_IDS, type CauseId, type Diagnosis, type OtherKind, type RankedCause } from './types';

/** A carriage return and a no-break space (see analyzeMasked). */
const CR_OR_NBSP = /[\r\u00a0]/;
const URL = /\bhttps?:\/\/[^\s<>"')\]]+/g;
const MAX_EVIDENCE = 6;
const EVIDENCE_CHARS = 100;

/** Spread of the article's prior over the alternatives when the text shows no cause. */
const PRIOR_WEIGHTS = [0.3, 0.22, 0.16] as const;

interface Found {
  platform: CompiledPlatform | null;
  /** Its index in the knowledge, -1 for none. */
  platformIndex: number;
  dataSource: string | null;
  code: string | null;
  codeEntry: CodeEntry | undefined;
  evidence: Span[];
}

/** A piece of evidence and where it sits in the text, so overlapping matches are reported once. */
interface Span {
  text: string;
  at: number;
  /** Lower is more telling: a documented code, then cause wording, then platform marks, then the rest. */
  rank: number;
}

function clip(s: string): string {
  // Folds every run of blanks to one space, written to leave a lone space alone: most evidence has
  // only those, and a replace that matches nothing returns the text without building a new one.
  const t = s.replace(/\s{2,}|[^\S ]/g, ' ').trim();
  return t.length > EVIDENCE_CHARS ? `${clipGraphemes(t, EVIDENCE_CHARS - 1)}…` : t;
}

/** The most telling non-overlapping matches, best first. */
function pickEvidence(spans: Span[]): string[] {
  const chosen: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.rank - b.rank || a.at - b.at)) {
    const end = s.at + s.text.length;
    if (chosen.some((c) => s.at < c.at + c.text.length && c.at < end)) continue;
    chosen.push(s);
    if (chosen.length === MAX_EVIDENCE) break;
  }
  const out: string[] = [];
  for (const c of chosen) {
    const e = clip(c.text);
    if (e && !out.some((x) => x.toLowerCase() === e.toLowerCase())) out.push(e);
  }
  return out;
}

function codeOf(match: RegExpExecArray): string {
  const groups = match.slice(1).filter((g): g is string => typeof g === 'string' && g.length > 0);
  return groups.length ? groups.join('/') : match[0];
}

/**
 * Calls back for each identifier of the text (a run of a-z, 0-9 and _) that is a table code, with
 * its owners and where it starts; stops when the callback returns true. A scan, not a regex, so it
 * is linear and allocates only for identifiers of a code's length.
 */
function scanCodes(
  lower: string,
  compiled: Compiled,
  found: (owners: CodeOwner[], at: number, text: string) => boolean | undefined,
): void {
  if (compiled.codeIndex.size === 0) return;
  let from = -1;
  let hash = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95) {
      if (from < 0) {
        from = i;
        hash = 0;
      }
      hash = hashStep(hash, c);
      continue;
    }
    if (from < 0) continue;
    if (codeShaped(compiled, i - from, hash)) {
      const owners = compiled.codeIndex.get(lower.slice(from, i));
      if (owners && found(owners, from, lower.slice(from, i))) return;
    }
    from = -1;
  }
}

/** Whether an identifier of this length and hash (hashStep) may be a table code, worth slicing out and looking up. */
function codeShaped(compiled: Compiled, length: number, hash: number): boolean {
  const { min, max } = compiled.codeLengths;
  return length >= min && length <= max && compiled.codeHashes[hashSlot(hash)] === 1;
}

function hasTableCode(lower: string, compiled: Compiled): boolean {
  let hit = false;
  scanCodes(lower, compiled, () => {
    hit = true;
    return true;
  });
  return hit;
}

/**
 * Whether the identifier at `at` is the documented code as written there. A code documented in mixed
 * case (authError, InvalidAuthenticationToken) is a name in a case-sensitive world, and another
 * casing of it is another name: Dropbox's Python AuthError is not Google's authError reason. Codes
 * in one case (INVALID_SESSION_ID, invalid_grant) are matched in any case, as people retype them.
 */
function writtenAsDocumented(code: string, text: string, at: number, casesAlign: boolean): boolean {
  const mixedCase = code !== code.toLowerCase() && code !== code.toUpperCase();
  if (!mixedCase) return true;
  // `at` is an offset in the lower-cased text; where lower-casing changed the length (Turkish İ),
  // it is not the text's, and the documented casing anywhere in the text has to do.
  return casesAlign ? text.startsWith(code, at) : text.includes(code);
}

function lookupCode(platform: CompiledPlatform, code: string): CodeEntry | undefined {
  const key = code.toLowerCase();
  return platform.codes.get(key) ?? platform.codes.get(key.split('/')[0] ?? key);
}

/** Whether a code format's match quotes the opening of the row's documented message. */
function carriesMessage(match: string, entry: CodeEntry | undefined): boolean {
  if (!entry?.messageStart) return false;
  return messageWords(match).includes(entry.messageStart);
}

/** How much more than its message is read after a code (separators, quotes, "message":). */
const MESSAGE_AFTER_CODE = 40;

/**
 * Whether the words right after a code (from `end`) are its row's whole documented message: its opening
 * words alone ("the refresh token …") are too common in prose to tell a shared code word's platform.
 */
function messageFollows(text: string, end: number, entry: CodeEntry): boolean {
  if (!entry.messageWords) return false;
  const after = messageWords(text.slice(end, end + entry.messageWords.length + MESSAGE_AFTER_CODE));
  return after === entry.messageWords || after.startsWith(`${entry.messageWords} `);
}

/** Whether every table listing a code documents it as a lapse of the same cause. */
function allOwnersAgree(owners: readonly { entry: CodeEntry }[], cause: CauseId): boolean {
  return owners.length > 0 && owners.every(({ entry }) => entry.cause === cause && !entry.otherKind);
}

/** Whether the text quotes one of the platform's documented lapse messages (CompiledPlatform.lapseMessages). */
function carriesLapseMessage(lower: string, platform: CompiledPlatform | null): boolean {
  if (!platform || platform.lapseMessages.length === 0) return false;
  const words = messageWords(lower);
  return platform.lapseMessages.some((m) => words.includes(m));
}

/**
 * The login wording only says a credential was refused, and nothing plainly says the login had worked;
 * the text tells of setting it up, or a person tells it with no weaker sign that it had worked
 * (signals.refusal): as likely a wrong or new key as a lapsed login.
 */
function onlyRefusal(hits: PhraseHit[], lower: string, compiled: Compiled, passive: boolean): boolean {
  const refusal = compiled.refusal;
  if (refusal === null || (refusal.passiveOnly && !passive)) return false;
  const loginHits = hits.filter((h) => h.phrase.tokenError);
  if (loginHits.length === 0 || !loginHits.every((h) => refusal.wording.test(h.text))) return false;
  if (refusal.lapsed.test(lower)) return false;
  if (refusal.setup.test(lower)) return true;
  return refusal.narrative.test(lower) && !refusal.lapseContext.test(lower);
}

/** Which platform the text comes from: documented code shapes and signatures outrank names. */
function findPlatform(text: string, lower: string, runnable: number[], compiled: Compiled): Found {
  const scores = new Map<
    number,
    { score: number; first: number; dataSource: string | null; evidence: Span[] }
  >();
  const bump = (
    index: number,
    points: number,
    at: number,
    evidence: Span | null,
    dataSource: string | null,
  ) => {
    const s = scores.get(index) ?? {
      score: 0,
      first: Number.MAX_SAFE_INTEGER,
      dataSource: null,
      evidence: [],
    };
    s.score += points;
    s.first = Math.min(s.first, at);
    if (dataSource && !s.dataSource) s.dataSource = dataSource;
    if (evidence) s.evidence.push(evidence);
    scores.set(index, s);
  };
  const codes = new Map<number, { code: string; match: string; entry?: CodeEntry }>();
  // Per platform, its first code format that matches, then its first signature that matches (the
  // patterns come platform by platform, code formats before signatures).
  let codeFoundFor = -1;
  let signatureFoundFor = -1;
  for (const id of runnable) {
    const ref = compiled.gates.patterns[id];
    if (!ref || ref.kind === 'phrase') continue;
    const index = ref.platform;
    if (ref.kind === 'code') {
      if (codeFoundFor === index) continue;
      const m = ref.gated.re.exec(text);
      if (!m) continue;
      codeFoundFor = index;
      const p = compiled.platforms[index] as CompiledPlatform;
      const code = codeOf(m);
      const entry = lookupCode(p, code);
      codes.set(index, { code, match: m[0], entry });
      // A code several tables list (every OAuth platform's invalid_grant, a number two APIs use) is
      // evidence of a login error, not of whose, unless the match carries the platform's documented
      // message for it ({code: 215, message: Bad Authentication data} is X's). The code with its
      // documented message outweighs the same code word alone in another platform's shape (Power BI's
      // {code: TokenExpired, message: Access token has expired…} against Xero's bare TokenExpired).
      const withMessage = carriesMessage(m[0], entry);
      if (!compiled.sharedCodes.has(code.toLowerCase()) || withMessage) {
        bump(index, withMessage ? 5 : 4, m.index, { text: m[0], at: m.index, rank: 0 }, null);
      }
    } else {
      if (signatureFoundFor === index) continue;
      const sig = ref.gated.re.exec(text);
      if (!sig) continue;
      signatureFoundFor = index;
      bump(index, 3, sig.index, { text: sig[0], at: sig.index, rank: 2 }, null);
    }
  }
  // Table codes written as one identifier: a code one platform documents is strong evidence of it;
  // one several document is not. Its table row outranks a code shape the platform has no row for.
  // One pass over the text's words finds the identifiers shaped like table codes and the names (a pass
  // over a chat line costs about as much as what it looks up); the codes are counted first.
  const words = readWords(text, lower, compiled);
  const codeBumped = new Set<number>();
  // A code word every table that lists it documents with the same login cause (NetSuite's and Twilio's
  // AccessTokenExpired) is a login error of that cause even when nothing tells whose it is (a shared
  // code whose cause is unknown says no more than the wording does).
  let agreed: { code: string; entry: CodeEntry; at: number } | null = null;
  const casesAlign = text.length === lower.length;
  for (let k = 0; k < words.codeSpans.length; k += 2) {
    const at = words.codeSpans[k] as number;
    const allOwners = compiled.codeIndex.get(lower.slice(at, words.codeSpans[k + 1]));
    if (!allOwners) continue;
    const owners = allOwners.filter(({ entry }) => writtenAsDocumented(entry.code, text, at, casesAlign));
    if (owners.length === 0) continue;
    const shared = owners.length > 1 || compiled.sharedCodes.has(owners[0]?.entry.code.toLowerCase() ?? '');
    const first = owners[0]?.entry;
    if (
      shared &&
      agreed === null &&
      first?.cause &&
      first.cause !== 'unknown' &&
      !compiled.genericCodes.has(first.code.toLowerCase()) &&
      allOwnersAgree(allOwners, first.cause)
    )
      agreed = { code: first.code, entry: first, at };
    for (const { platform, entry } of owners) {
      const before = codes.get(platform);
      const beforeKnown = before !== undefined && before.entry !== undefined;
      if (!beforeKnown) {
        const match = text.slice(at, at + entry.code.length);
        codes.set(platform, { code: entry.code, match, entry });
      }
      // A code word two tables list, followed by one table's documented message, is that platform's
      // (NetSuite's "AccessTokenExpired (The access token is expired.)"); not a generic OAuth code,
      // whose messages are RFC 6749's wording ("invalid_grant: Invalid refresh token" is anyone's).
      const withMessage =
        shared &&
        !compiled.genericCodes.has(entry.code.toLowerCase()) &&
        messageFollows(text, at + entry.code.length, entry);
      if ((!shared || withMessage) && !codeBumped.has(platform)) {
        codeBumped.add(platform);
        // The codeFormats pass already counted this platform's code when it found one with a row.
        if (!beforeKnown) {
          const match = text.slice(at, at + entry.code.length);
          bump(platform, withMessage ? 5 : 4, at, { text: match, at, rank: 0 }, null);
        }
      }
    }
  }
  for (const { hit, at } of words.names) bump(hit.platform, hit.dataSource ? 2 : 1, at, null, hit.dataSource);
  let best: number | null = null;
  for (const [index, s] of scores) {
    const b = best === null ? undefined : scores.get(best);
    if (!b || s.score > b.score || (s.score === b.score && s.first < b.first)) best = index;
  }
  if (best === null)
    return {
      platform: null,
      platformIndex: -1,
      dataSource: null,
      code: agreed?.code ?? null,
      codeEntry: agreed?.entry,
      evidence: agreed ? [{ text: agreed.code, at: agreed.at, rank: 0 }] : [],
    };
  const platform = compiled.platforms[best] ?? null;
  const chosen = scores.get(best);
  const code = codes.get(best);
  return {
    platform,
    platformIndex: best,
    dataSource: chosen?.dataSource ?? null,
    code: code?.code ?? null,
    codeEntry: code?.entry,
    evidence: chosen?.evidence ?? [],
  };
}

/**
 * The shortest name found glued into an identifier: "QuickbooksClient" and "processSalesforceResponse"
 * name their platforms, but "getMetaData" is not Meta's and "isFbUser" not Facebook's.
 */
const MIN_GLUED_NAME = 5;

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLowerLetter = (c: number) => c >= 97 && c <= 122;
const isLetter = (c: number) => isUpper(c) || isLowerLetter(c);

/**
 * Calls back for each part of the word text[from, to) that a capital after a small letter sets off
 * (Quickbooks|Client, process|Salesforce|Response) and that is a one-word name of at least
 * MIN_GLUED_NAME letters. A word with no such capital costs one scan of its characters.
 */
function gluedNames(
  text: string,
  lower: string,
  from: number,
  to: number,
  compiled: Compiled,
  found: (key: string, hit: NameHit, at: number) => void,
): void {
  let part = from;
  for (let k = from + 1; k <= to; k++) {
    if (k < to && !(isUpper(text.charCodeAt(k)) && isLowerLetter(text.charCodeAt(k - 1)))) continue;
    if (part === from && k === to) return; // no inner capital: the word is one part, read as a word
    if (k - part >= MIN_GLUED_NAME) {
      const key = lower.slice(part, k);
      const hit = compiled.nameIndex.get(key);
      if (hit) found(key, hit, part);
    }
    part = k;
  }
}

/**
 * Whether the capital of the word at `at` marks a name: not when the word opens a sentence or a line,
 * and not after another capitalised word, where it is part of a title or another name ("Check Box",
 * "Times Square", "Refresh Token Expired On Box").
 */
function capitalMarksName(text: string, at: number): boolean {
  for (let k = at - 1; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (c === 32 || c === 9) continue;
    // . ! ? : newline, and the quotes, brackets and list marks a sentence may open with
    if (c === 46 || c === 33 || c === 63 || c === 58 || c === 10 || c === 13) return false;
    if (c === 40 || c === 91 || c === 39 || c === 45 || c === 62 || c === 35) continue;
    // a comma or semicolon ends the clause or list item before: the capital after it is mid-sentence,
    // not part of a title with the word before it ("Since Monday, Zoom says …")
    if (c === 44 || c === 59) return true;
    // the word before: read back to its first letter
    let first = k;
    while (first > 0 && isLetter(text.charCodeAt(first - 1))) first--;
    if (!isUpper(text.charCodeAt(first))) return true;
    // a question's opening word is capitalised for the sentence, not as part of a title with the name
    // after it: "Did Ring change the expiration period?", "Does Box issue a new refresh token?" (but
    // not when a capital follows too: "Is Linear Regression …" is a title or another name)
    return (
      QUESTION_OPENERS.has(text.slice(first, k + 1).toLowerCase()) &&
      opensSentence(text, first) &&
      !capitalFollows(text, at)
    );
  }
  return false;
}

/** The auxiliaries and question words a question opens with, before its subject. */
const QUESTION_OPENERS = new Set(
  'did does do is are was were has have had can could will would should why how when where'.split(' '),
);

/** Whether the word after the word at `at` (on the same line) starts with a capital. */
function capitalFollows(text: string, at: number): boolean {
  let k = at;
  while (k < text.length && isLetter(text.charCodeAt(k))) k++;
  while (text.charCodeAt(k) === 32) k++;
  return isUpper(text.charCodeAt(k));
}

/** What may stand between a sentence's end and its first word: blanks, quotes, brackets, list marks. */
const BEFORE_FIRST_WORD = " \t(['->#*";

/** Characters that end a sentence or a line. */
const SENTENCE_ENDS = '.!?:\n\r';

/** Whether the word at `at` opens the text, a line or a sentence (quotes, brackets and list marks aside). */
function opensSentence(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && BEFORE_FIRST_WORD.includes(text.charAt(k))) k--;
  return k < 0 || SENTENCE_ENDS.includes(text.charAt(k));
}

/**
 * Whether the word text[from, to) stands alone in square brackets: a log line's tag naming the service
 * or plugin that wrote it ("[12/7/2020, 12:06:08 PM] [Ring] HTTPError: …", Homebridge's and many
 * loggers' prefix), a name wherever it stands, though the capital opens a line or follows "PM]".
 */
function logTag(text: string, from: number, to: number): boolean {
  return text.charCodeAt(from - 1) === 91 && text.charCodeAt(to) === 93;
}

/** Words that end a noun phrase: what follows "the Canvas" in "the Canvas and …", "a Box for …", "the Canvas I …". */
const PHRASE_ENDERS = new Set(
  'and or but nor so then for with without to from in on at of by about into onto over under as than that which who where when while because if i we you they he she it is was are were be been has have had will would can could should does did'.split(
    ' ',
  ),
);

/** Characters that close the phrase after a name. */
const PHRASE_CLOSERS = '.,;:!?)\n\r';

/** Verbs of connecting an integration, in any tense (re-authorize read from its last word). */
const CONNECTING_VERB = /^(?:re|dis)?(?:connect|link|sync|authori[sz]e?|integrate?)(?:s|es|ed|d|ing)?$/;

/**
 * Whether the one-word name lower[from, to) stands alone after an article ("in the Canvas.", "a Box
 * and …"): a common noun then (a Slack canvas, a box). As a name it takes no article ("with Canvas") or
 * modifies the noun after it ("the Canvas API", "the Zoom token").
 */
function commonNounAfterArticle(lower: string, from: number, to: number): boolean {
  let k = from - 1;
  while (k >= 0 && lower.charCodeAt(k) === 32) k--;
  const articleEnd = k + 1;
  while (k >= 0 && isLowerLetter(lower.charCodeAt(k))) k--;
  const article = lower.slice(k + 1, articleEnd);
  if (article !== 'the' && article !== 'a' && article !== 'an') return false;
  // What one connects, syncs or re-authorizes is a product: "reconnect the Zoom", "syncing the Box:".
  while (k >= 0 && lower.charCodeAt(k) === 32) k--;
  const verbEnd = k + 1;
  while (k >= 0 && isLowerLetter(lower.charCodeAt(k))) k--;
  if (CONNECTING_VERB.test(lower.slice(k + 1, verbEnd))) return false;
  let next = to;
  while (lower.charCodeAt(next) === 32) next++;
  if (next >= lower.length) return true;
  // . , ; : ! ? ) and line ends close the phrase; a dash or an apostrophe joins the name to more
  if (PHRASE_CLOSERS.includes(lower.charAt(next))) return true;
  let wordEnd = next;
  while (wordEnd < lower.length && isLowerLetter(lower.charCodeAt(wordEnd))) wordEnd++;
  return wordEnd > next && PHRASE_ENDERS.has(lower.slice(next, wordEnd));
}

/** What one pass over the text's words finds. */
interface WordsRead {
  /**
   * Identifiers (runs of a-z, 0-9 and _, as scanCodes reads them) that may be table codes (codeShaped),
   * as pairs of where each starts and ends.
   */
  codeSpans: number[];
  /** Every platform or product name in the text, each once, in the order they are found. */
  names: { hit: NameHit; at: number }[];
}

/** The text's table-code candidates and names, by walking its words once. */
function readWords(text: string, lower: string, compiled: ReturnType<typeof compile>): WordsRead {
  const codeSpans: number[] = [];
  const names: { hit: NameHit; at: number }[] = [];
  // Names inside links don't count: a pasted github.com or facebook.com link is not the platform.
  const urls = lower.includes('http')
    ? [...lower.matchAll(URL)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length] as const)
    : [];
  const inUrl = (at: number) => urls.some(([from, to]) => at >= from && at < to);
  // The words (runs of WORD's characters, a-z and 0-9), read by a scan rather than regex matches: a
  // long paste has thousands, and a match object per word was the engine's largest allocation under
  // load (e2e bench heap profile). Each word is looked at as the scan ends it, with its hash taken on
  // the way (hashStep): a word that starts no name is turned down by table reads, without being sliced
  // out and looked up (most words of a chat line), and nothing is kept per word.
  let seen: Set<string> | null = null;
  // Where the text's first "{" is, looked up once and only when a name stands before a colon.
  let braceAt: number | undefined;
  const firstBrace = () => {
    if (braceAt === undefined) {
      const at = lower.indexOf('{');
      braceAt = at < 0 ? Number.POSITIVE_INFINITY : at;
    }
    return braceAt;
  };
  const foundOnce = (key: string, hit: NameHit, at: number) => {
    seen ??= new Set<string>();
    if (seen.has(key)) return;
    seen.add(key);
    names.push({ hit, at });
  };
  // Lower-casing keeps positions unless some character changes length (rare scripts): then the
  // capitals can't be read off the same positions, and glued and proper names are not looked for.
  const casesAlign = text.length === lower.length;
  /** Words that start before this were read as the later words of a name. */
  let readUpTo = 0;
  let from = -1;
  let hash = 0;
  // The identifier being read: words joined by underscores.
  let identifierFrom = -1;
  let identifierHash = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    const inWord = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (inWord || c === 95) {
      if (identifierFrom < 0) {
        identifierFrom = i;
        identifierHash = 0;
      }
      identifierHash = hashStep(identifierHash, c);
    } else if (identifierFrom >= 0) {
      if (codeShaped(compiled, i - identifierFrom, identifierHash)) codeSpans.push(identifierFrom, i);
      identifierFrom = -1;
    }
    if (inWord) {
      if (from < 0) {
        from = i;
        hash = 0;
      }
      hash = hashStep(hash, c);
      continue;
    }
    if (from < 0) continue;
    const at = from;
    from = -1;
    if (at < readUpTo || (urls.length > 0 && inUrl(at))) continue;
    if (casesAlign && i - at > MIN_GLUED_NAME) gluedNames(text, lower, at, i, compiled, foundOnce);
    const shape = wordShape(i - at, lower.charCodeAt(at));
    if (
      casesAlign &&
      compiled.properNameShapes[shape] === 1 &&
      isUpper(text.charCodeAt(at)) &&
      (logTag(text, at, i) || (capitalMarksName(text, at) && !commonNounAfterArticle(lower, at, i)))
    ) {
      const key = lower.slice(at, i);
      const platform = compiled.properNames.get(key);
      if (platform !== undefined) foundOnce(key, { platform, dataSource: null }, at);
    }
    // Most words can't start a name, told by their length, first letter and hash.
    if (compiled.nameStartShapes[shape] !== 1 || compiled.nameStartHashes[hashSlot(hash)] !== 1) continue;
    const first = lower.slice(at, i);
    const most = compiled.nameStarts.get(first);
    if (!most) continue;
    // "X-" opens an extension header's name (X-Api-Key, X-Api-Version: RFC 6648), not the platform X:
    // a dashed name going on past its second word. "X-Ads" and "X-API returns" still name X.
    if (first === 'x' && lower.charCodeAt(i) === 45 && dashedPastNextWord(lower, i + 1)) continue;
    // It and the words after it, as many as its longest name has (words in links left out, as above),
    // up to the first word no name has after its first: no longer name can match from there.
    const words: [number, number][] = [[at, i]];
    while (words.length < most) {
      const next = wordAfter(
        lower,
        (words[words.length - 1] as [number, number])[1],
        urls.length > 0 ? inUrl : null,
      );
      if (!next || compiled.nameLaterHashes[hashSlot(next[2])] !== 1) break;
      words.push([next[0], next[1]]);
    }
    // Longest name first, so "facebook ads" wins over "facebook" at the same place.
    for (let n = words.length; n >= 1; n--) {
      let key = first;
      for (let j = 1; j < n; j++) {
        const [start, end] = words[j] as [number, number];
        key += ` ${lower.slice(start, end)}`;
      }
      const hit = compiled.nameIndex.get(key);
      if (!hit) continue;
      const end = (words[n - 1] as [number, number])[1];
      // An object's key is a field's name, not the platform's: {"meta": {"code": 401}} (JSON:API,
      // Instagram's legacy API and many others wrap status in "meta").
      if (objectKey(lower, at, end, firstBrace)) break;
      foundOnce(key, hit, at);
      readUpTo = (words[n - 1] as [number, number])[1];
      break;
    }
  }
  return { codeSpans, names };
}

/**
 * Whether lower[from, to) stands as an object's key: after "{" or "," and before ":", quoted or not
 * (normalize() has already dropped double quotes; single quotes and JSON's \" escapes may remain).
 */
function objectKey(lower: string, from: number, to: number, firstBrace: () => number): boolean {
  let k = to;
  while (k < lower.length && isKeyQuote(lower.charCodeAt(k))) k++;
  while (lower.charCodeAt(k) === 32) k++;
  if (lower.charCodeAt(k) !== 58) return false;
  k = from - 1;
  while (k >= 0 && (isKeyQuote(lower.charCodeAt(k)) || lower.charCodeAt(k) === 32)) k--;
  const before = lower.charCodeAt(k);
  // A comma is one between an object's members only after an object opened: in chat, "Hey team,
  // Salesforce: …" and "HubSpot, Salesforce: …" name the platform.
  return before === 123 || (before === 44 && firstBrace() < k);
}

/** A quote or backslash around a key: ' " \ */
const isKeyQuote = (c: number) => c === 39 || c === 34 || c === 92;

/** Whether the word right at `from` is followed by a dash: `x-api-key` read from "api". */
function dashedPastNextWord(lower: string, from: number): boolean {
  const next = wordAfter(lower, from, null);
  return next !== null && next[0] === from && lower.charCodeAt(next[1]) === 45;
}

/**
 * The first word (run of a-z and 0-9) at or after `from`, not starting in a link, as where it starts,
 * where it ends and its hash (hashStep); null when none is left.
 */
function wordAfter(
  lower: string,
  from: number,
  inUrl: ((at: number) => boolean) | null,
): [number, number, number] | null {
  let start = -1;
  let hash = 0;
  for (let i = from; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) {
        start = i;
        hash = 0;
      }
      hash = hashStep(hash, c);
      continue;
    }
    if (start < 0) continue;
    if (!inUrl?.(start)) return [start, i, hash];
    start = -1;
  }
  return null;
}

interface PhraseHit {
  phrase: CompiledPhrase;
  text: string;
  at: number;
}

/** How far back from a phrase its clause is read for a hedge (below). */
const HEDGE_WINDOW = 80;
/**
 * Words that take the login wording right after them out of play, read at the end of the clause
 * before it: the writer rules it out ("I don't believe the issue is an invalid token", "not caused
 * by an expired session", "I never changed my password", "I have not revoked access"). Read on a short window, so the cost stays linear in the text.
 * Suppositions ("if the token expires, …") are not hedges: on the tune split as many real reports
 * as design notes are written that way ("the booking may fail if the Zoom token is expired").
 */
const HEDGE_BEFORE =
  /(?:\b(?:don.t|do not|didn.t|did not) (?:believe|think|suspect) (?:that )?(?:[\w'-]{1,20} ){0,3}(?:is|was|are|were|be|it.s) (?:due to |caused by |because of )?(?:an? |the )?|\b(?:not|never|no longer) (?:due to|because of|caused by|related to|about|an?)|\b(?:rule[sd]? out|other than|rather than|instead of|nothing to do with|unrelated to)|\b(?:never|have not|haven.t|has not|hasn.t|did not|didn.t|nobody|no one))[\s*_`"']{0,3}(?:[\w-]{1,20} ){0,2}$/i;

function hedged(text: string, at: number): boolean {
  let window = text.slice(Math.max(0, at - HEDGE_WINDOW), at);
  const clause = Math.max(
    window.lastIndexOf('.'),
    window.lastIndexOf('!'),
    window.lastIndexOf('?'),
    window.lastIndexOf('\n'),
    window.lastIndexOf(','),
    window.lastIndexOf(';'),
  );
  if (clause >= 0) window = window.slice(clause + 1);
  return HEDGE_BEFORE.test(window);
}

/** Up to this many of a split phrase's branches are run one by one rather than the phrase whole (findPhrases). */
const FEW_BRANCHES = 2;

/** The platform's own phrases, then the signals' phrases, that match (the order they are tried in). */
function findPhrases(text: string, runnable: number[], compiled: Compiled, platform: number): PhraseHit[] {
  const hits: PhraseHit[] = [];
  const { patterns } = compiled.gates;
  for (let k = 0; k < runnable.length; k++) {
    const ref = patterns[runnable[k] as number];
    if (!ref?.phrase || (ref.platform !== platform && ref.platform !== -1)) continue;
    // A phrase split into branches (compilePhrase) has consecutive ids. When a few of its branches may
    // match, those are run, and the phrase matches where the leftmost of them does (the earlier branch
    // on a tie), as the whole alternation would; when more may, the whole phrase is, in one pass.
    let last = k;
    while (last + 1 < runnable.length && patterns[runnable[last + 1] as number]?.phrase === ref.phrase)
      last++;
    let m: RegExpExecArray | null;
    if (last - k + 1 > FEW_BRANCHES) m = ref.phrase.re.exec(text);
    else {
      m = ref.gated.re.exec(text);
      for (let b = k + 1; b <= last; b++) {
        const branch = patterns[runnable[b] as number]?.gated.re.exec(text) ?? null;
        if (branch && (!m || branch.index < m.index)) m = branch;
      }
    }
    k = last;
    if (m && !(ref.phrase.otherKind === undefined && hedged(text, m.index)))
      hits.push({ phrase: ref.phrase, text: m[0], at: m.index });
  }
  return hits;
}

const CAUSE_ORDER = new Map<CauseId, number>(CAUSE_IDS.map((c, i) => [c, i]));
const PRIOR: CauseId[] = CAUSE_IDS.filter((c) => c !== 'unknown');

function notTokenError(
  secretsRedacted: number,
  found: Partial<Found> = {},
  otherKind: OtherKind | null = null,
  evidence: string[] = [],
): Diagnosis {
  return {
    isTokenError: false,
    platform: found.platform?.info.id ?? null,
    dataSource: found.dataSource ?? null,
    cause: null,
    confidence: 0,
    alternatives: [],
    errorCode: found.code ?? null,
    evidence,
    secretsRedacted,
    otherKind,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Causes named by wording, strongest first (more hits, then the article's order). */
function rankWording(hits: PhraseHit[]): { cause: CauseId; count: number }[] {
  const counts = new Map<CauseId, number>();
  for (const h of hits) {
    const c = h.phrase.cause;
    if (c && c !== 'unknown') counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([cause, count]) => ({ cause, count }))
    .sort((a, b) => b.count - a.count || (CAUSE_ORDER.get(a.cause) ?? 0) - (CAUSE_ORDER.get(b.cause) ?? 0));
}

export interface Analysis {
  diagnosis: Diagnosis;
  /** The line of the (redacted, normalised) text that decided it, for quoting on a card. */
  excerpt: string | null;
  /** What decided the cause (and so its confidence); null when it is not a login error. */
  decidedBy: DecisionPath | null;
  /**
   * Set when the refusal check (settings.refusalCheck) held back what would otherwise be a login error:
   * a credential merely refused, with nothing saying it had worked. Passive listening then stays quiet
   * and reads no screenshot instead; an ask of the same message gets the card.
   */
  refusalHeldBack?: true;
}

const EXCERPT_CHARS = 300;

/**
 * The line holding the first evidence, so a long paste is shown by its decisive line only. When
 * lower-casing keeps the text's length, its offsets are the text's, and the line is found by one
 * search in the whole text lower-cased instead of splitting it and lower-casing line by line.
 */
function decisiveLine(text: string, lower: string, diagnosis: Diagnosis): string | null {
  const first = diagnosis.evidence[0];
  if (!first) return null;
  const probe = first.replace(/…$/, '').toLowerCase();
  const found = lower.length === text.length ? lower.indexOf(probe) : -2;
  let line: string;
  if (found >= 0) {
    // The probe (evidence, its blanks folded) holds no line break.
    const end = text.indexOf('\n', found);
    line = text.slice(found === 0 ? 0 : text.lastIndexOf('\n', found - 1) + 1, end < 0 ? text.length : end);
  } else {
    const lines = text.split('\n');
    line =
      (found === -1 ? undefined : lines.find((l) => l.toLowerCase().includes(probe))) ??
      lines.find((l) => l.trim()) ??
      '';
  }
  const trimmed = line.trim();
  if (trimmed.length <= EXCERPT_CHARS) return trimmed || null;
  // Center a long line on the evidence.
  const at = Math.max(0, trimmed.toLowerCase().indexOf(probe) - 80);
  return `${at > 0 ? '…' : ''}${sliceGraphemes(trimmed, at, EXCERPT_CHARS - 2)}…`;
}

/** Text in, Diagnosis out. Pure: no I/O, no Slack. */
export function diagnose(input: string, knowledge: Knowledge): Diagnosis {
  return analyze(input, knowledge).diagnosis;
}

/**
 * How a message is read: `passive`, heard unasked by passive listening (settings.refusalCheck may then
 * apply where it does not to asks); `plainExit: false` takes the whole path (see analyzeMasked).
 */
export interface ReadOptions {
  plainExit?: boolean;
  passive?: boolean;
}

/**
 * The diagnosis plus the decisive line. Secrets are masked first, so nothing after this line
 * (evidence, excerpt, logs, cards) can see them.
 */
export function analyze(input: string, knowledge: Knowledge, options: ReadOptions = {}): Analysis {
  const raw = typeof input === 'string' ? input : String(input ?? '');
  if (options.plainExit !== false && quietText(raw, compile(knowledge)))
    return { diagnosis: notTokenError(0), excerpt: null, decidedBy: null };
  return analyzeMasked(redactSecrets(raw), knowledge, options);
}

/**
 * Whether the message is plain chat with no trigger word and nothing the redactor would mask: one
 * pass of the quiet gate (compile.ts) over the text finds none of the prefilter's words, none of the
 * redactor's cues (MASK_CUES, redact.ts) and nothing normalize() would join (JOINABLE_CUES, with the
 * no-break space asked apart), and the redactor's checks that are not cues (key=value pairs, long runs)
 * say no. No secret can escape: redactSecrets would return such a text as it is with a count of 0
 * (every rule's check needs a cue or is asked here), and nothing of the text is quoted in the answer,
 * which is the plain exit's in analyzeMasked (normalizingCannotJoin, no trigger word), with 0 masked.
 */
function quietText(raw: string, compiled: Compiled): boolean {
  return !compiled.quietGate.mayMatch(raw) && !raw.includes('\u00a0') && !mayMaskWithoutCues(raw);
}

/**
 * analyze() on what the redactor made of the message (`redactSecrets(message)`, nothing else: this is
 * where secrets stay masked), for a caller that reads the masked text too (the learned model, in
 * src/diagnosis/asked.ts), so it is masked once.
 */
export function analyzeMasked(
  masked: Redaction,
  knowledge: Knowledge,
  { plainExit = true, passive = false }: ReadOptions = {},
): Analysis {
  const { text: redacted, count: secretsRedacted } = masked;
  // Plain chat, most of what a channel carries: normalising it can't make a trigger word (it only cuts
  // at line starts and trims), so with none in the masked text there is none after normalising either,
  // and the answer is the one decide() gives then. Skips normalising. `plainExit: false` takes the
  // whole path, for the test that shows both answer the same (test/diagnosis/plain-exit.test.ts).
  const plain = plainExit && normalizingCannotJoin(redacted);
  const triggered = plain ? hasTriggerWord(compile(knowledge), redacted) : undefined;
  if (triggered === false)
    return { diagnosis: notTokenError(secretsRedacted), excerpt: null, decidedBy: null };
  const marked = normalizeMarkup(redacted, { unescaped: true });
  // Chat with markup, code spans, quotes or doubled blanks: what normalising does after the markup
  // (normalizeRest) only takes out DROPPED_OR_BLANK's characters between two it keeps on a line, so a
  // trigger word in the normalised text is in the marked-up one with only those between its characters,
  // which prefilterThroughGaps reads through. Not with a carriage return (a log prefix is cut after
  // it, as after a line feed, and it then becomes a space: the cut joins words), nor with a no-break
  // space (folded with a blank, and not ASCII), nor with an underscore (decide looks up table codes).
  // With no trigger word, decide answers as here. `plainExit: false` takes the whole path.
  const compiled = compile(knowledge);
  if (
    plainExit &&
    triggered === undefined &&
    !(compiled.underscoreCodesBypassPrefilter && marked.includes('_')) &&
    !CR_OR_NBSP.test(marked) &&
    !compiled.prefilterThroughGaps.mayMatch(marked)
  )
    return { diagnosis: notTokenError(secretsRedacted), excerpt: null, decidedBy: null };
  const text = normalizeRest(marked);
  // Normalising plain text mostly changes nothing: then the prefilter's answer is the one just found.
  const { diagnosis, decidedBy, lower, refusalHeldBack } = decide(
    text,
    secretsRedacted,
    knowledge,
    passive,
    text === redacted ? triggered : undefined,
  );
  const excerpt =
    diagnosis.evidence.length > 0 ? decisiveLine(text, lower ?? text.toLowerCase(), diagnosis) : null;
  return refusalHeldBack
    ? { diagnosis, excerpt, decidedBy, refusalHeldBack }
    : { diagnosis, excerpt, decidedBy };
}

/** The diagnosis and the path that decided its cause (null when it is not a login error). */
interface Decision {
  diagnosis: Diagnosis;
  decidedBy: DecisionPath | null;
  /** The text lower-cased, when deciding needed it: the excerpt reads it again instead of lower-casing twice. */
  lower?: string;
  /** Analysis.refusalHeldBack. */
  refusalHeldBack?: true;
}

const undecided = (diagnosis: Diagnosis, lower?: string): Decision => ({ diagnosis, decidedBy: null, lower });

/** `triggered`: the prefilter's answer on this very text, when it was found already. */
function decide(
  text: string,
  secretsRedacted: number,
  knowledge: Knowledge,
  passive: boolean,
  triggered?: boolean,
): Decision {
  const compiled = compile(knowledge);
  if (!text) return undecided(notTokenError(secretsRedacted));
  let lowerText: string | null = null;
  if (!(triggered ?? hasTriggerWord(compiled, text))) {
    // A table code with no prefilter word in it (account_inactive) still gets its look.
    if (!(compiled.underscoreCodesBypassPrefilter && text.includes('_')))
      return undecided(notTokenError(secretsRedacted));
    lowerText = text.toLowerCase();
    if (!hasTableCode(lowerText, compiled)) return undecided(notTokenError(secretsRedacted));
  }

  const lower = lowerText ?? text.toLowerCase();
  const runnable = runnablePatterns(compiled.gates, lower);
  const found = findPlatform(text, lower, runnable, compiled);
  const hits = findPhrases(text, runnable, compiled, found.platformIndex);
  // Picked only for an answer that shows it (most chat is neither a login error nor another kind).
  const pickedEvidence = () =>
    pickEvidence([
      ...found.evidence,
      ...hits.map((h) => ({
        text: h.text,
        at: h.at,
        rank: h.phrase.cause ? 1 : h.phrase.tokenError ? 3 : 4,
      })),
    ]);

  const firstToken = hits.find((h) => h.phrase.tokenError);
  const otherHit = hits.filter((h) => h.phrase.otherKind).sort((a, b) => a.at - b.at)[0];
  const wording = rankWording(hits);
  const entry = found.codeEntry;

  // A documented code decides; then wording. When the text has both login wording and another
  // problem's wording (a log with several errors), the one it leads with wins, unless the login
  // wording also names a cause.
  const loginFirst = firstToken !== undefined && (otherHit === undefined || firstToken.at < otherHit.at);
  // Someone designing or describing software (a user story, a pull request) talks about logins
  // without reporting one; only a documented code with a cause outweighs that.
  const documentedCause = entry?.cause !== undefined && entry.cause !== 'unknown';
  const designTalk = hits.some((h) => h.phrase.designTalk) && !documentedCause;
  // The platform's own message that the login expired or was revoked ("Token has been expired or
  // revoked") is as good as its code: another problem's wording beside it (a retired sign-in method
  // the writer moved off, a one-time code) does not outweigh it. Another kind's documented code does.
  const documentedLapse =
    otherHit !== undefined && !entry?.otherKind && carriesLapseMessage(lower, found.platform);
  // Another problem's wording that explains the login words (a refused client secret or
  // authorization code while connecting) holds wherever it stands; a documented cause or lapse, or
  // wording that names a cause, still decides.
  const overriding =
    documentedCause || documentedLapse || wording.length > 0
      ? undefined
      : hits.find((h) => h.phrase.overridesLogin);
  const readsAsLapse =
    !designTalk &&
    overriding === undefined &&
    (documentedLapse ||
      (entry?.cause === 'unknown'
        ? firstToken !== undefined || otherHit === undefined || wording.length > 0
        : entry?.cause !== undefined ||
          (!entry?.otherKind && (loginFirst || (firstToken !== undefined && wording.length > 0)))));
  // What reads as a lapse but is only a person's refused credential with nothing saying it had worked
  // (no code or cause wording outweighs): held back by the refusal check, where it applies.
  const refusalHeldBack =
    readsAsLapse &&
    entry === undefined &&
    !documentedLapse &&
    wording.length === 0 &&
    onlyRefusal(hits, lower, compiled, passive);
  const isTokenError = readsAsLapse && !refusalHeldBack;
  if (!isTokenError) {
    const otherKind = entry?.otherKind ?? overriding?.phrase.otherKind ?? otherHit?.phrase.otherKind ?? null;
    const decision = undecided(
      notTokenError(secretsRedacted, found, otherKind, otherKind ? pickedEvidence() : []),
      lower,
    );
    return refusalHeldBack ? { ...decision, refusalHeldBack } : decision;
  }

  let cause: CauseId;
  let decidedBy: DecisionPath;
  let alternatives: RankedCause[];
  const top = wording[0];
  if (entry?.cause && entry.cause !== 'unknown') {
    cause = entry.cause;
    decidedBy = 'documentedCode';
    alternatives = wording
      .filter((w) => w.cause !== cause)
      .slice(0, 3)
      .map((w, i) => ({ cause: w.cause, confidence: round(0.35 - i * 0.08) }));
  } else if (top) {
    cause = top.cause;
    const contested = wording.length > 1 && wording[1]?.count === top.count;
    decidedBy = contested
      ? 'wordingContested'
      : top.count >= 3
        ? 'wordingThreeOrMoreHits'
        : top.count === 2
          ? 'wordingTwoHits'
          : 'wordingOneHit';
    const stated = knowledge.confidence[decidedBy];
    alternatives = wording.slice(1, 4).map((w, i) => ({
      cause: w.cause,
      confidence: round(contested && i === 0 ? stated - 0.02 : 0.3 - i * 0.08),
    }));
  } else {
    cause = 'unknown';
    decidedBy = entry ? 'codeWithoutCause' : 'noCause';
    alternatives = PRIOR.slice(0, PRIOR_WEIGHTS.length).map((c, i) => ({
      cause: c,
      confidence: PRIOR_WEIGHTS[i] ?? 0,
    }));
  }
  // Measured per path on the tune split (knowledge/calibration.yml), so a card that says 0.9 is right
  // about nine times in ten; alternatives always rank below it.
  const confidence = round(knowledge.confidence[decidedBy]);

  const evidence = pickedEvidence();
  return {
    diagnosis: {
      isTokenError: true,
      platform: found.platform?.info.id ?? null,
      dataSource: found.dataSource,
      cause,
      confidence,
      alternatives: belowTop(confidence, alternatives),
      errorCode: found.code,
      evidence,
      secretsRedacted,
      otherKind: null,
    },
    decidedBy,
    lower,
  };
}
