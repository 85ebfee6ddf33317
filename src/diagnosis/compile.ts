import type { Knowledge } from './knowledge';
import type { Phrase, PlatformInfo } from './knowledge-schema';
import {
  type Gate,
  LiteralScanner,
  passesScriptGate,
  patternGate,
  type Scripts,
  scriptGate,
  scriptsOf,
  topLevelAlternatives,
} from './literal-gate';
import { DROPPED_OR_BLANK, JOINABLE_CUES } from './normalize';
import { MASK_CUES } from './redact';
import type { CauseId, OtherKind } from './types';
import { WordFilter } from './word-filter';

/** Knowledge turned into ready-to-run regular expressions, built once per Knowledge object. */
/** A pattern plus its literal gate (see literal-gate.ts). */
export interface Gated {
  re: RegExp;
  gate: Gate | null;
}

export interface CompiledPhrase extends Gated {
  /**
   * Its top-level alternatives, each a pattern with its own gate, when it has several: only those
   * whose literals the text holds are run (findPhrases in diagnose.ts), instead of every alternative
   * at every place in the text. Null when it has one, or can't be split without changing a match.
   */
  branches: Gated[] | null;
  cause?: CauseId;
  otherKind?: OtherKind;
  tokenError: boolean;
  designTalk: boolean;
  overridesLogin: boolean;
}

export interface CodeEntry {
  /** As the platform's table writes it. */
  code: string;
  cause?: CauseId;
  otherKind?: OtherKind;
  /** The opening words of the documented message, lower-cased: where a number several tables list is
   * read beside them, it is this platform's. */
  messageStart?: string;
  /** The whole documented message's words, lower-cased: a code word several tables list, followed by
   * all of them, is this platform's. */
  messageWords?: string;
}

/** A table code found as a word of the text, with the platform whose table has it. */
export interface CodeOwner {
  platform: number;
  entry: CodeEntry;
}

export interface CompiledPlatform {
  info: PlatformInfo;
  signatures: Gated[];
  codeFormats: Gated[];
  codes: Map<string, CodeEntry>;
  phrases: CompiledPhrase[];
  /**
   * The documented messages (as messageWords) of its rows with a cause whose message tells that the
   * login expired or was revoked: quoted in a text, they are the platform's own word that a login
   * lapsed, which another kind's wording beside them does not outweigh.
   */
  lapseMessages: string[];
}

export interface NameHit {
  platform: number;
  /** Canonical data source name, or null when the words name the platform itself. */
  dataSource: string | null;
}

/** Where a gated pattern sits in the knowledge: whose it is (-1: the signals' own) and what it is for. */
export interface PatternRef {
  gated: Gated;
  platform: number;
  kind: 'code' | 'signature' | 'phrase';
  phrase?: CompiledPhrase;
}

/**
 * Every pattern, in the order the classifier tries them (platform by platform: code formats,
 * signatures, phrases; then the signals' phrases), with their gates' literals in one scanner: a
 * text is read once for all literals, and only the patterns whose literal it holds are run.
 */
export interface PatternGates {
  patterns: PatternRef[];
  scanner: LiteralScanner;
  /** For each literal of the scanner, the patterns it lets through (when their conditions hold). */
  patternsOf: number[][];
  /**
   * The gates' conditions as literal ids, flat: per pattern from conditionAt (-1: none beyond the
   * literal that let it through), the number of alternatives, then per alternative the number of its
   * sets, then per set the number of its literals and the literals. One typed array read in order, not
   * three levels of arrays: this is read for every pattern a text's literals wake.
   */
  conditions: Int32Array;
  conditionAt: Int32Array;
  /** Per-call marks on the literals the text holds (stamped like taken). */
  present: Uint32Array;
  /** Patterns no gate could be read for: they always run. */
  ungated: number[];
  /**
   * Patterns with no ASCII literal to gate on but a script every match needs (Russian, Chinese,
   * Japanese wording): they run only on a text holding a letter of that script.
   */
  byScript: { id: number; scripts: Scripts }[];
  /** Per-call marks on gated patterns (stamped, so nothing needs clearing between texts). */
  taken: Uint32Array;
  stamp: number;
}

export interface Compiled {
  /** Any of prefilterWords, in any case: a text with none is not looked at further. */
  prefilter: RegExp;
  prefilterWords: string[];
  /** The prefilter's quick "no" (see hasTriggerWord), built once prefilterWords are complete. */
  prefilterQuick: WordFilter;
  /**
   * The prefilter's words with what the redactor (MASK_CUES) and normalize() (JOINABLE_CUES) look for
   * first, in one filter: its "no" is diagnose's earliest exit for plain chat (quietText in diagnose.ts).
   */
  quietGate: WordFilter;
  /**
   * The prefilter's words read through what normalizeRest() drops or folds (DROPPED_OR_BLANK): its "no"
   * on a text after normalizeMarkup() is a "no" on the normalised text (analyzeMasked in diagnose.ts).
   */
  prefilterThroughGaps: WordFilter;
  gates: PatternGates;
  /** Platform and product names by their words ("facebook ads"), found in one pass over the text's words. */
  nameIndex: Map<string, NameHit>;
  /** For each word that starts a name, the most words a name starting with it has. */
  nameStarts: Map<string, number>;
  /** 1 at the wordShape of every word that starts a name. */
  nameStartShapes: Uint8Array;
  /** 1 at the hashSlot of every word that starts a name: other words are not sliced out and looked up. */
  nameStartHashes: Uint8Array;
  /** 1 at the hashSlot of every word a name has after its first: a name runs on only over such words. */
  nameLaterHashes: Uint8Array;
  /** Lower-cased proper names (one word each, see PlatformSchema.properNames) and their platforms. */
  properNames: Map<string, number>;
  /** 1 at the wordShape of every proper name. */
  properNameShapes: Uint8Array;
  platforms: CompiledPlatform[];
  phrases: CompiledPhrase[];
  /** Codes that several platforms document (invalid_grant…): they show a login error, not whose. */
  sharedCodes: Set<string>;
  /** The OAuth codes every platform copies with RFC 6749's wording (signals.genericCodes), lower-cased. */
  genericCodes: Set<string>;
  /**
   * signals.refusal compiled: when a person's refused credential is not taken as a lapse; null when
   * settings.refusalCheck is off. `passiveOnly`: it applies to passive listening alone.
   */
  refusal: {
    wording: RegExp;
    narrative: RegExp;
    lapsed: RegExp;
    lapseContext: RegExp;
    setup: RegExp;
    passiveOnly: boolean;
  } | null;
  /**
   * Table codes shaped like one identifier (OAUTH_TOKEN_EXPIRED, account_inactive, E0000011,
   * AADSTS50076, InvalidAuthenticationToken), lower-cased: found by looking up the text's
   * identifiers in this map, so a table row needs no hand-written codeFormats alternative.
   */
  codeIndex: Map<string, CodeOwner[]>;
  /** Shortest and longest key of codeIndex: identifiers outside these lengths are not looked up. */
  codeLengths: { min: number; max: number };
  /** 1 at the hashSlot of every key of codeIndex: other identifiers are not sliced out and looked up. */
  codeHashes: Uint8Array;
  /**
   * Whether some code with an underscore contains no prefilter word (account_inactive): then a
   * text with an underscore that fails the prefilter still has its identifiers looked up.
   */
  underscoreCodesBypassPrefilter: boolean;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Any of the words, in any case, as one regex factored by common beginnings (`t(?:oken|hrottl|oo many)|…`):
 * it matches the same texts as the words joined by `|`, and at each place in a text tries one branch per
 * first character instead of every word. The prefilter reads every message, so this is worth having.
 */
export function anyWord(words: readonly string[]): RegExp {
  return new RegExp(wordTree(words), 'i');
}

function wordTree(words: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  let endsHere = false;
  for (const word of words) {
    if (word === '') {
      endsHere = true;
      continue;
    }
    const first = word.charAt(0);
    const rests = byFirst.get(first) ?? [];
    rests.push(word.slice(1));
    byFirst.set(first, rests);
  }
  const branches = [...byFirst].map(([first, rests]) => escapeRegex(first) + wordTree(rests));
  if (branches.length === 0) return '';
  if (endsHere) return `(?:${branches.join('|')})?`;
  return branches.length === 1 ? (branches[0] as string) : `(?:${branches.join('|')})`;
}

/**
 * `compiled.prefilter.test(text)`, the question every message is asked first: the word filter's quick
 * "no" answers most chat, and the regex runs only where the filter says a word may be there, so the
 * answer is always the regex's.
 */
export function hasTriggerWord(compiled: Compiled, text: string): boolean {
  return compiled.prefilterQuick.mayMatch(text) && compiled.prefilter.test(text);
}

export const WORD = /[a-z0-9]+/g;

/** A name as the words it is made of: "FB-Ads" and "fb ads" are both "fb ads". */
export function nameKey(s: string): string {
  return (s.toLowerCase().match(WORD) ?? []).join(' ');
}

/**
 * A code the index can find: one identifier of at least 6 characters that a person would not write
 * as an ordinary word: it has an underscore, a digit or an inner capital. "unauthorized" or
 * "forbidden" alone would claim a platform for any chat about access.
 */
const IDENTIFIER = /^[A-Za-z0-9_]{6,80}$/;
export function isScannableCode(code: string): boolean {
  return IDENTIFIER.test(code) && /[A-Za-z]/.test(code) && /[_0-9]|[a-z][A-Z]/.test(code);
}

/** The first three words of a documented message, lower-cased (enough to tell it, short enough to survive a cut quote). */
function messageStart(message: string | undefined): string | undefined {
  const words = message === undefined ? [] : messageWords(message).split(' ');
  return words.length >= 3 ? words.slice(0, 3).join(' ') : undefined;
}

/** Words a documented message tells a lapsed login with. */
const LAPSE_WORDS = /\b(?:expired?|revoked|inactivity|invalidated|no longer valid)\b/i;
/**
 * A message that lists the one-time authorization code or grant among its reasons (RFC 6749's
 * catch-all invalid_grant text, which platforms copy) does not tell a lapse from a refused code.
 */
const CONNECT_FLOW_WORDS = /\bauthori[sz]ation (?:code|grant)\b/i;
/** Microsoft writes its table's messages after the error's name: "ExpiredOrRevokedGrant - The refresh token …". */
const NAME_BEFORE_MESSAGE = /^[A-Za-z]+ ?- /;

/**
 * The words of a row's documented message when it is a lapse (see CompiledPlatform.lapseMessages):
 * its first sentence, the part people quote, without the error's name before it.
 */
function lapseMessage(row: { cause?: CauseId; message?: string }): string | undefined {
  if (row.cause === undefined || row.message === undefined) return undefined;
  const first = row.message.replace(NAME_BEFORE_MESSAGE, '').split(/[.!?](?:\s(?=[A-Z])|$)/)[0] ?? '';
  if (!LAPSE_WORDS.test(first) || CONNECT_FLOW_WORDS.test(first)) return undefined;
  const words = messageWords(first);
  return words.includes(' ') ? words : undefined;
}

/** A message's words, lower-cased and joined by one space: how a documented message and a quote of it are compared. */
export function messageWords(s: string): string {
  return (s.toLowerCase().match(/[a-z0-9']+/g) ?? []).join(' ');
}

function gated(source: string): Gated {
  return { re: new RegExp(source, 'i'), gate: patternGate(source) };
}

/** A back-reference (`\\1`, `\\k<name>`) counts groups across alternatives, so splitting would change it. */
const BACK_REFERENCE = /\\(?:[1-9]|k<)/;

/** A pattern's top-level alternatives as gated patterns of their own (CompiledPhrase.branches), or null. */
export function branchesOf(source: string): Gated[] | null {
  const alternatives = topLevelAlternatives(source);
  if (!alternatives || alternatives.length < 2 || alternatives.includes('') || BACK_REFERENCE.test(source))
    return null;
  try {
    return alternatives.map(gated);
  } catch {
    return null;
  }
}

function compilePhrase(p: Phrase): CompiledPhrase {
  return {
    ...gated(p.pattern),
    branches: branchesOf(p.pattern),
    cause: p.cause,
    otherKind: p.otherKind,
    tokenError: p.tokenError === true,
    designTalk: p.designTalk === true,
    overridesLogin: p.overridesLogin === true,
  };
}

const WORD_SHAPES = 64 * 36;

/** A word of [a-z0-9]+ by its length (64 and over alike) and first character: a small table index. */
export function wordShape(length: number, firstCode: number): number {
  return Math.min(length, 63) * 36 + (firstCode >= 97 ? firstCode - 97 : firstCode - 48 + 26);
}

/**
 * A word's hash, built a character at a time as a scan reads it (`h = hashStep(h, code)` from 0), and
 * its slot in a small table of the words worth looking up: a scan looks up only the words whose slot
 * is marked, and slices nothing out for the others (most words of a chat line).
 */
const HASH_BITS = 12;
export function hashStep(h: number, code: number): number {
  return (Math.imul(h, 31) + code) | 0;
}
export function hashSlot(h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> (32 - HASH_BITS);
}
function wordSlot(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = hashStep(h, word.charCodeAt(i));
  return hashSlot(h);
}

const cache = new WeakMap<Knowledge, Compiled>();

/** signals.refusal.wording as it runs: on the start of a login-wording hit. */
export function refusalWording(wording: string): RegExp {
  return new RegExp(`^(?:${wording})`, 'i');
}

/** A list of cues as one case-insensitive pattern that matches where any of them does. */
function anyOf(cues: readonly string[]): RegExp {
  return new RegExp(cues.map((c) => `(?:${c})`).join('|'), 'i');
}

export function compile(knowledge: Knowledge): Compiled {
  const hit = cache.get(knowledge);
  if (hit) return hit;
  const nameIndex = new Map<string, NameHit>();
  knowledge.platforms.forEach((p, index) => {
    for (const n of p.names)
      if (!nameIndex.has(nameKey(n))) nameIndex.set(nameKey(n), { platform: index, dataSource: null });
    for (const d of p.dataSources) {
      for (const n of [d.name, ...d.names])
        nameIndex.set(nameKey(n), { platform: index, dataSource: d.name });
    }
  });
  nameIndex.delete('');
  const nameStarts = new Map<string, number>();
  const nameLaterHashes = new Uint8Array(1 << HASH_BITS);
  for (const key of nameIndex.keys()) {
    const words = key.split(' ');
    const first = words[0] ?? '';
    nameStarts.set(first, Math.max(nameStarts.get(first) ?? 0, words.length));
    for (const later of words.slice(1)) nameLaterHashes[wordSlot(later)] = 1;
  }
  const nameStartShapes = new Uint8Array(WORD_SHAPES);
  const nameStartHashes = new Uint8Array(1 << HASH_BITS);
  for (const first of nameStarts.keys()) {
    nameStartShapes[wordShape(first.length, first.charCodeAt(0))] = 1;
    nameStartHashes[wordSlot(first)] = 1;
  }
  const properNames = new Map<string, number>();
  const properNameShapes = new Uint8Array(WORD_SHAPES);
  knowledge.platforms.forEach((p, index) => {
    for (const n of p.properNames) {
      const key = n.toLowerCase();
      if (properNames.has(key)) continue;
      properNames.set(key, index);
      properNameShapes[wordShape(key.length, key.charCodeAt(0))] = 1;
    }
  });
  const compiled: Compiled = {
    prefilter: anyWord(knowledge.signals.prefilter),
    prefilterWords: [...knowledge.signals.prefilter],
    prefilterQuick: undefined as unknown as WordFilter,
    quietGate: undefined as unknown as WordFilter,
    prefilterThroughGaps: undefined as unknown as WordFilter,
    gates: undefined as unknown as PatternGates,
    nameIndex,
    nameStarts,
    nameStartShapes,
    nameStartHashes,
    nameLaterHashes,
    properNames,
    properNameShapes,
    platforms: knowledge.platforms.map((p) => ({
      info: p,
      signatures: p.signatures.map(gated),
      codeFormats: p.codeFormats.map(gated),
      codes: new Map(
        p.codes.map((c) => [
          c.code.toLowerCase(),
          {
            code: c.code,
            cause: c.cause,
            otherKind: c.otherKind,
            messageStart: messageStart(c.message),
            messageWords: c.message === undefined ? undefined : messageWords(c.message),
          },
        ]),
      ),
      phrases: p.phrases.map(compilePhrase),
      lapseMessages: [...new Set(p.codes.map(lapseMessage).filter((m): m is string => m !== undefined))],
    })),
    phrases: knowledge.signals.phrases.map(compilePhrase),
    sharedCodes: new Set(),
    genericCodes: new Set(knowledge.signals.genericCodes.map((c) => c.toLowerCase())),
    refusal:
      knowledge.settings.refusalCheck !== 'off' && knowledge.signals.refusal
        ? {
            passiveOnly: knowledge.settings.refusalCheck === 'passive',
            wording: refusalWording(knowledge.signals.refusal.wording),
            narrative: new RegExp(knowledge.signals.refusal.narrative, 'i'),
            lapsed: anyOf(knowledge.signals.refusal.lapsed),
            lapseContext: anyOf(knowledge.signals.refusal.lapseContext),
            setup: anyOf(knowledge.signals.refusal.setup),
          }
        : null,
    codeIndex: new Map(),
    codeLengths: { min: Number.MAX_SAFE_INTEGER, max: 0 },
    codeHashes: new Uint8Array(1 << HASH_BITS),
    underscoreCodesBypassPrefilter: false,
  };
  const owners = new Map<string, number>();
  for (const p of knowledge.platforms) {
    for (const code of new Set(p.codes.map((c) => c.code.toLowerCase())))
      owners.set(code, (owners.get(code) ?? 0) + 1);
  }
  compiled.sharedCodes = new Set([
    ...[...owners].filter(([, n]) => n > 1).map(([code]) => code),
    ...knowledge.signals.genericCodes.map((c) => c.toLowerCase()),
  ]);
  indexCodes(
    compiled,
    knowledge.signals.prefilter,
    new Set(knowledge.signals.commonCodes.map((c) => c.toLowerCase())),
  );
  compiled.prefilterQuick = new WordFilter(compiled.prefilterWords);
  compiled.quietGate = new WordFilter([...compiled.prefilterWords, ...MASK_CUES, ...JOINABLE_CUES]);
  compiled.prefilterThroughGaps = new WordFilter(compiled.prefilterWords, { skip: DROPPED_OR_BLANK });
  compiled.gates = gatePatterns(compiled);
  cache.set(knowledge, compiled);
  return compiled;
}

function gatePatterns(compiled: Compiled): PatternGates {
  const patterns: PatternRef[] = [];
  // A split phrase's branches take consecutive places, in their order (findPhrases relies on it).
  const pushPhrase = (phrase: CompiledPhrase, platform: number) => {
    for (const gated of phrase.branches ?? [phrase])
      patterns.push({ gated, platform, kind: 'phrase', phrase });
  };
  compiled.platforms.forEach((p, platform) => {
    for (const gated of p.codeFormats) patterns.push({ gated, platform, kind: 'code' });
    for (const gated of p.signatures) patterns.push({ gated, platform, kind: 'signature' });
    for (const phrase of p.phrases) pushPhrase(phrase, platform);
  });
  for (const phrase of compiled.phrases) pushPhrase(phrase, -1);
  const literalIds = new Map<string, number>();
  const patternsOf: number[][] = [];
  const ungated: number[] = [];
  const idOf = (literal: string): number => {
    let literalId = literalIds.get(literal);
    if (literalId === undefined) {
      literalId = literalIds.size;
      literalIds.set(literal, literalId);
      patternsOf.push([]);
    }
    return literalId;
  };
  const conditions: number[] = [];
  const conditionAt = new Int32Array(patterns.length).fill(-1);
  const byScript: { id: number; scripts: Scripts }[] = [];
  patterns.forEach(({ gated }, id) => {
    if (!gated.gate) {
      const scripts = scriptGate(gated.re.source);
      if (scripts) byScript.push({ id, scripts });
      else ungated.push(id);
      return;
    }
    for (const literal of gated.gate.literals) patternsOf[idOf(literal)]?.push(id);
    if (!gated.gate.conditions) return;
    conditionAt[id] = conditions.length;
    conditions.push(gated.gate.conditions.length);
    for (const alternative of gated.gate.conditions) {
      conditions.push(alternative.length);
      for (const set of alternative) conditions.push(set.length, ...set.map(idOf));
    }
  });
  return {
    patterns,
    scanner: new LiteralScanner([...literalIds.keys()]),
    patternsOf,
    conditions: Int32Array.from(conditions),
    conditionAt,
    present: new Uint32Array(literalIds.size),
    ungated,
    byScript,
    taken: new Uint32Array(patterns.length),
    stamp: 0,
  };
}

/**
 * Whether some alternative of the conditions read from `at` (PatternGates.conditions) has, for each
 * of its sets, a literal the text holds.
 */
function conditionsHold(conditions: Int32Array, at: number, present: Uint32Array, stamp: number): boolean {
  // Plain loops: this runs for every pattern a chat line's literals wake.
  let k = at;
  const alternatives = conditions[k++] as number;
  for (let a = 0; a < alternatives; a++) {
    const sets = conditions[k++] as number;
    let all = true;
    for (let s = 0; s < sets; s++) {
      const count = conditions[k++] as number;
      let any = false;
      for (let l = 0; l < count; l++) {
        if (present[conditions[k + l] as number] === stamp) {
          any = true;
          break;
        }
      }
      k += count;
      if (!any) {
        all = false;
        // Past the alternative's other sets, to the next alternative.
        for (let rest = s + 1; rest < sets; rest++) k += (conditions[k] as number) + 1;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/** The patterns worth running on a lower-cased text (their gate lets it through), in trying order. */
export function runnablePatterns(gates: PatternGates, lower: string): number[] {
  const ids = gates.ungated.slice();
  if (gates.byScript.length > 0) {
    const scripts = scriptsOf(lower);
    if (scripts.cyrillic || scripts.cjk)
      for (const { id, scripts: needed } of gates.byScript)
        if (passesScriptGate(needed, scripts)) ids.push(id);
  }
  const { taken, present } = gates;
  gates.stamp = gates.stamp === 0xffffffff ? 1 : gates.stamp + 1;
  if (gates.stamp === 1) {
    taken.fill(0);
    present.fill(0);
  }
  const stamp = gates.stamp;
  const found = gates.scanner.find(lower);
  for (const literal of found) present[literal] = stamp;
  for (const literal of found) {
    for (const id of gates.patternsOf[literal] ?? []) {
      if (taken[id] === stamp) continue;
      taken[id] = stamp;
      const at = gates.conditionAt[id] as number;
      if (at >= 0 && !conditionsHold(gates.conditions, at, present, stamp)) continue;
      ids.push(id);
    }
  }
  return sortIds(ids);
}

/** Ascending, in place: by insertion for the few ids of a chat line (no comparator calls), else by sort. */
function sortIds(ids: number[]): number[] {
  if (ids.length > 32) return ids.sort((a, b) => a - b);
  for (let i = 1; i < ids.length; i++) {
    const id = ids[i] as number;
    let j = i - 1;
    while (j >= 0 && (ids[j] as number) > id) {
      ids[j + 1] = ids[j] as number;
      j--;
    }
    ids[j + 1] = id;
  }
  return ids;
}

/**
 * Fills the code index, and keeps the prefilter letting every table code through: a code that
 * contains no prefilter word either has an underscore (the underscore path in diagnose) or is
 * added to the prefilter itself.
 */
function indexCodes(compiled: Compiled, prefilterWords: string[], common: Set<string>): void {
  const words = prefilterWords.map((w) => w.toLowerCase());
  const extraPrefilter = new Set<string>();
  compiled.platforms.forEach((p, platform) => {
    for (const entry of p.codes.values()) {
      const key = entry.code.toLowerCase();
      if (!isScannableCode(entry.code) || common.has(key)) continue;
      const owners = compiled.codeIndex.get(key) ?? [];
      if (owners.some((o) => o.platform === platform)) continue;
      owners.push({ platform, entry });
      compiled.codeIndex.set(key, owners);
      compiled.codeLengths.min = Math.min(compiled.codeLengths.min, key.length);
      compiled.codeLengths.max = Math.max(compiled.codeLengths.max, key.length);
      compiled.codeHashes[wordSlot(key)] = 1;
      if (words.some((w) => key.includes(w))) continue;
      if (key.includes('_')) compiled.underscoreCodesBypassPrefilter = true;
      else extraPrefilter.add(key);
    }
  });
  if (extraPrefilter.size > 0) {
    compiled.prefilterWords = [...prefilterWords, ...extraPrefilter];
    compiled.prefilter = anyWord(compiled.prefilterWords);
  }
}
