/**
 * The test corpus: real messages in test/fixtures, each quoted verbatim from the public page its
 * `source` names, and its split into `tune` and `blind` by source page. This is the one loader: the
 * corpus test, `npm run eval` and the development scripts all read the corpus through it.
 *
 * The split is a hash of the normalised source URL (SHA-256, first four bytes mod 100 < 30 → blind),
 * so nobody chooses which items are blind and all items quoted from one page land on the same side.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CAUSE_IDS, type CauseId, OTHER_KINDS, type OtherKind } from '../diagnosis/types';

export const FIXTURES_DIR = join(__dirname, '..', '..', 'test', 'fixtures');

/** How the message came to be written; the engine's figures differ a lot between them. */
export const CATEGORIES = ['pasted', 'own_words', 'documented'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_TITLES: Record<Category, string> = {
  pasted: 'pasted errors and reports',
  own_words: 'in their own words',
  documented: "platforms' documentation",
};

export type Split = 'tune' | 'blind';
export const BLIND_PERCENT = 30;

interface Common {
  id: string;
  /** pasted: an error message as a tool printed it (with or without words around it); own_words: a
   * person describing the problem without the platform's error text; documented: the platform's own
   * reference of its error codes and messages. */
  category: Category;
  source: string;
  text: string;
  /** The fixture file, relative to test/fixtures. */
  file: string;
  split: Split;
  /** Read when the rules were written (the files listed in SEEN_BY_RULES): never blind in spirit, see there. */
  seenByRules: boolean;
}

export interface PositiveCase extends Common {
  platform: string | null;
  /** Every cause an expert would accept for this text, best first. */
  causes: CauseId[];
  errorCode?: string;
  dataSource?: string;
}

export interface NegativeCase extends Common {
  /** What the text is instead, when it is recognisably another connector problem. */
  otherKind: OtherKind | null;
  platform?: string;
  /** Looks like a login error to a keyword matcher (codes, "token", 401/403…) but is not one. */
  hard?: boolean;
}

export type CorpusCase = PositiveCase | NegativeCase;

export const isPositive = (c: CorpusCase): c is PositiveCase => 'causes' in c;

/**
 * The files the rules were written from (commits 8e1601b and 1e0af1e). Items in them whose page hashes
 * to `blind` are measured on the blind side, but the rules have seen them, so `npm run eval` also
 * prints the blind figures on the items written after the rules ("blind, unseen").
 */
const SEEN_BY_RULES = new Set([
  'corpus/help-article.yml',
  'corpus/positives-a.yml',
  'corpus/positives-b.yml',
  'corpus/negatives.yml',
  'holdout/positives.yml',
  'holdout/negatives.yml',
]);

/**
 * Files written after the learned model began answering explicit asks (its shipping was decided after
 * a look at the blind split): their blind items are the untouched measurement of both operating points.
 */
export const WRITTEN_AFTER_MODEL_SHIPPED = new Set([
  'corpus/positives-words-7.yml',
  'corpus/positives-c3.yml',
  'corpus/negatives-e.yml',
  'corpus/positives-words-8.yml',
  'corpus/positives-c4.yml',
  'corpus/negatives-f.yml',
  'corpus/positives-words-9.yml',
  'corpus/positives-c5.yml',
  'corpus/negatives-g.yml',
  'corpus/positives-words-10.yml',
  'corpus/positives-c6.yml',
  'corpus/negatives-h.yml',
  'corpus/positives-words-11.yml',
  'corpus/positives-c7.yml',
  'corpus/negatives-i.yml',
]);

/**
 * Files written after the "fresh" figures above had been read, in aggregate, to decide what ships (batch
 * E, 2026-12-05): their blind items are read once, at the end of the session that collected them.
 */
export const WRITTEN_AFTER_FRESH_WAS_READ = new Set([
  'corpus/positives-words-12.yml',
  'corpus/positives-c8.yml',
  'corpus/negatives-j.yml',
  'corpus/positives-words-13.yml',
  'corpus/positives-c9.yml',
  'corpus/negatives-k.yml',
]);

/**
 * Batch F (2026-12-06), written after batch E's blind part had been read to decide what ships: its blind
 * items are read once, at the end of the session that collected them (docs/EVALUATION.md, point 7).
 */
export const WRITTEN_AFTER_BATCH_E_WAS_READ = new Set([
  'corpus/positives-words-14.yml',
  'corpus/positives-words-15.yml',
  'corpus/positives-c10.yml',
  'corpus/negatives-l.yml',
  'corpus/negatives-m.yml',
]);

/**
 * Batch G (2026-12-06), written after batch F's blind part had been read to decide what ships: its blind
 * items are read once, at the end of the session that collected them (docs/EVALUATION.md, point 8).
 */
export const WRITTEN_AFTER_BATCH_F_WAS_READ = new Set([
  'corpus/positives-words-16.yml',
  'corpus/positives-words-17.yml',
  'corpus/positives-c11.yml',
  'corpus/negatives-n.yml',
  'corpus/negatives-o.yml',
]);

/**
 * Batch H (2026-12-06), written after batch G's blind part had been read to decide what ships: its blind
 * items are read once, at the end of the session that collected them (docs/EVALUATION.md, point 9).
 */
export const WRITTEN_AFTER_BATCH_G_WAS_READ = new Set([
  ...['18', '19', '20', '21', '22', '23'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['p', 'q', 'r', 's', 't', 'u'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch I (2026-12-06), written after batch H's blind part had been read to decide what ships: its blind
 * items are read once, at the end of the session that collected them (docs/EVALUATION.md, point 10).
 */
export const WRITTEN_AFTER_BATCH_H_WAS_READ = new Set([
  ...['24', '25', '26', '27'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['v', 'w', 'x', 'y'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch J (2026-12-06), written after batch I's blind part had been read to decide what ships: its blind
 * items are read once, at the end of the session that collected them (docs/EVALUATION.md, point 11).
 */
export const WRITTEN_AFTER_BATCH_I_WAS_READ = new Set([
  ...['28', '29', '30', '31', '32', '33', '34', '35', '36'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z1', 'z2', 'z3', 'z4', 'z5', 'z6', 'z7', 'z8', 'z9'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch K (2026-12-06), written after batch J's blind part had been read and before this session's
 * calibration from first readings was computed: its blind items are read once, at the end of the
 * session that collected them (docs/EVALUATION.md, point 13).
 */
export const WRITTEN_AFTER_BATCH_J_WAS_READ = new Set([
  ...['37', '38', '39', '40'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z10', 'z11', 'z12', 'z13'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch L (2026-12-06), written after batch K's blind part had been read: its tune part is read first
 * (first readings) and the calibration refitted before its blind items are read, once, at the end of the
 * session that collected them (docs/EVALUATION.md, point 14).
 */
export const WRITTEN_AFTER_BATCH_K_WAS_READ = new Set([
  ...['41', '42', '43', '44'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z14', 'z15', 'z16', 'z17'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch M (2026-12-06), written after batch L's blind part had been read: its tune part is first read by
 * the rules before this session's rule changes, and the calibration refitted, before its blind items are
 * read, once, at the end of the session that collected them (docs/EVALUATION.md, point 15).
 */
export const WRITTEN_AFTER_BATCH_L_WAS_READ = new Set([
  ...['45', '46', '47', '48'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z18', 'z19', 'z20', 'z21'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch N (2026-12-07), written after batch M's blind part had been read: its tune part is first read by
 * the rules before this session's rule changes, and the calibration refitted, before its blind items are
 * read, once, at the end of the session that collected them (docs/EVALUATION.md, point 16).
 */
export const WRITTEN_AFTER_BATCH_M_WAS_READ = new Set([
  ...['49', '50', '51', '52'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z22', 'z23', 'z24', 'z25'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch O (2026-12-07), written after batch N's blind part had been read: its tune part is first read by
 * the rules before this session's rule changes, and the calibration refitted, before its blind items are
 * read, once, at the end of the session that collected them (docs/EVALUATION.md, point 17).
 */
export const WRITTEN_AFTER_BATCH_N_WAS_READ = new Set([
  ...['53', '54', '55', '56'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z26', 'z27', 'z28', 'z29'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch P (2026-12-07), written after batch O's blind part had been read: its tune part is first read by
 * the rules before this session's change, and the calibration refitted, before its blind items are read,
 * once, at the end of the session that collected them (docs/EVALUATION.md, point 18).
 */
export const WRITTEN_AFTER_BATCH_O_WAS_READ = new Set([
  ...['57', '58', '59', '60'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z30', 'z31', 'z32', 'z33'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch Q (2026-12-07), written after batch P's blind part had been read: its tune part is first read by
 * the rules before this session's change, and the calibration refitted, before its blind items are read,
 * once, at the end of the session that collected them (docs/EVALUATION.md, point 19).
 */
export const WRITTEN_AFTER_BATCH_P_WAS_READ = new Set([
  ...['61', '62', '63', '64', '65', '66', '67', '68', '69', '70', '71'].map(
    (n) => `corpus/positives-words-${n}.yml`,
  ),
  ...['z34', 'z35', 'z36', 'z37', 'z38', 'z39', 'z40', 'z41', 'z42', 'z43', 'z44'].map(
    (x) => `corpus/negatives-${x}.yml`,
  ),
]);

/**
 * Batch R (2026-12-07), written after batch Q's blind part had been read: its tune part is first read by
 * the rules before point 20's knowledge, and the calibration refitted, before its blind items are read,
 * once, at the end of the session that collected them (docs/EVALUATION.md, point 20).
 */
export const WRITTEN_AFTER_BATCH_Q_WAS_READ = new Set([
  ...['72', '73', '74', '75', '76'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z45', 'z46', 'z47', 'z48', 'z49'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch S (2026-12-07), written after batch R's blind part had been read, with the items held back from
 * batch R (positives-words-77, -78, -r-held, negatives-z50, -z51: written before that reading, never run):
 * its tune part is first read by the rules of the commit that adds it, and the calibration refitted,
 * before its blind items are read, once, at the end of the session (docs/EVALUATION.md, point 21).
 */
export const WRITTEN_AFTER_BATCH_R_WAS_READ = new Set([
  ...['77', '78', 'r-held', '79', '80', '81', '82'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z50', 'z51', 'z52', 'z53', 'z54', 'z55', 'z56'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch T (2026-12-07): reports and look-alikes written in languages other than English, written after
 * batch S's blind part had been read: its tune part is first read by the rules of the commit that adds it,
 * and the calibration refitted, before its blind items are read, once, at the end of the session
 * (docs/EVALUATION.md, point 22).
 */
export const WRITTEN_AFTER_BATCH_S_WAS_READ = new Set([
  ...['84', '85', '86', '87'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z57', 'z58', 'z59', 'z60'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch U (2026-12-07): reports and look-alikes written in languages other than English, written after
 * batch T's blind part had been read: its tune part is first read by the rules of the commit that adds it,
 * and the calibration refitted, before its blind items are read, once, at the end of the session
 * (docs/EVALUATION.md, point 23).
 */
export const WRITTEN_AFTER_BATCH_T_WAS_READ = new Set([
  ...['89', '90', '91'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z61', 'z62', 'z63'].map((x) => `corpus/negatives-${x}.yml`),
]);

/**
 * Batch V (2026-12-07): reports and look-alikes written in English, most reports in people's own words,
 * written after batch U's blind part had been read: its tune part is first read by the rules of the
 * commit that adds it, and the calibration refitted, before its blind items are read, once, at the end
 * of the session (docs/EVALUATION.md, point 24).
 */
export const WRITTEN_AFTER_BATCH_U_WAS_READ = new Set([
  ...['92', '93', '94', '95'].map((n) => `corpus/positives-words-${n}.yml`),
  ...['z64', 'z65'].map((x) => `corpus/negatives-${x}.yml`),
]);

/** A column of `npm run eval`: its items, and for a blind part, what sets it apart (printed under the counts). */
export interface EvalColumn {
  title: string;
  items: CorpusCase[];
  note?: string;
}

/**
 * The columns `npm run eval` prints: tune, then the blind split and its parts (written after the rules,
 * after the model shipped, after the fresh figures were read, after batch E's, F's, G's, H's, I's, J's, K's, L's, M's, N's, O's, P's, Q's, R's, S's, T's and U's were); a part with no
 * item is left out. `tuneOnly` (`--tune`) gives the tune column alone, so no blind figure can be computed.
 */
export function evalColumns(corpus: CorpusCase[], tuneOnly: boolean): EvalColumn[] {
  const columns: EvalColumn[] = [{ title: 'tune', items: corpus.filter((c) => c.split === 'tune') }];
  if (tuneOnly) return columns;
  const blind = corpus.filter((c) => c.split === 'blind');
  columns.push({ title: 'blind', items: blind });
  /** The blind items of the files written after a given reading. */
  const writtenAfter = (title: string, files: ReadonlySet<string>, note: string): EvalColumn => ({
    title,
    items: blind.filter((c) => files.has(c.file)),
    note,
  });
  const parts: EvalColumn[] = [
    {
      title: 'blind, unseen',
      items: blind.filter((c) => !c.seenByRules),
      note: 'blind items written after the rules were (the others were read when the rules were written).',
    },
    writtenAfter(
      'blind, fresh',
      WRITTEN_AFTER_MODEL_SHIPPED,
      'blind items written after the model began answering explicit asks.',
    ),
    writtenAfter(
      'blind, new',
      WRITTEN_AFTER_FRESH_WAS_READ,
      'blind items written after the "fresh" figures had been read to decide what ships (batch E).',
    ),
    writtenAfter(
      'blind, batch F',
      WRITTEN_AFTER_BATCH_E_WAS_READ,
      "blind items written after batch E's blind figures had been read (2026-12-06).",
    ),
    writtenAfter(
      'blind, batch G',
      WRITTEN_AFTER_BATCH_F_WAS_READ,
      "blind items written after batch F's blind figures had been read (2026-12-06).",
    ),
    writtenAfter(
      'blind, batch H',
      WRITTEN_AFTER_BATCH_G_WAS_READ,
      "blind items written after batch G's blind figures had been read (2026-12-06).",
    ),
    writtenAfter(
      'blind, batch I',
      WRITTEN_AFTER_BATCH_H_WAS_READ,
      "blind items written after batch H's blind figures had been read (2026-12-06).",
    ),
    writtenAfter(
      'blind, batch J',
      WRITTEN_AFTER_BATCH_I_WAS_READ,
      "blind items written after batch I's blind figures had been read (2026-12-06).",
    ),
    writtenAfter(
      'blind, batch K',
      WRITTEN_AFTER_BATCH_J_WAS_READ,
      "blind items written after batch J's blind figures had been read (2026-12-06).",
    ),
    writtenAfter(
      'blind, batch L',
      WRITTEN_AFTER_BATCH_K_WAS_READ,
      "blind items written after batch K's blind figures had been read (2026-12-06).",
    ),
    writtenAfter(
      'blind, batch M',
      WRITTEN_AFTER_BATCH_L_WAS_READ,
      "blind items written after batch L's blind figures had been read (2026-12-06).",
    ),
    writtenAfter(
      'blind, batch N',
      WRITTEN_AFTER_BATCH_M_WAS_READ,
      "blind items written after batch M's blind figures had been read (2026-12-07).",
    ),
    writtenAfter(
      'blind, batch O',
      WRITTEN_AFTER_BATCH_N_WAS_READ,
      "blind items written after batch N's blind figures had been read (2026-12-07).",
    ),
    writtenAfter(
      'blind, batch P',
      WRITTEN_AFTER_BATCH_O_WAS_READ,
      "blind items written after batch O's blind figures had been read (2026-12-07).",
    ),
    writtenAfter(
      'blind, batch Q',
      WRITTEN_AFTER_BATCH_P_WAS_READ,
      "blind items written after batch P's blind figures had been read (2026-12-07).",
    ),
    writtenAfter(
      'blind, batch R',
      WRITTEN_AFTER_BATCH_Q_WAS_READ,
      "blind items written after batch Q's blind figures had been read (2026-12-07).",
    ),
    writtenAfter(
      'blind, batch S',
      WRITTEN_AFTER_BATCH_R_WAS_READ,
      "blind items written after batch R's blind figures had been read, and batch R's held-back ones (2026-12-07).",
    ),
    writtenAfter(
      'blind, batch T',
      WRITTEN_AFTER_BATCH_S_WAS_READ,
      "blind items written after batch S's blind figures had been read, in languages other than English (2026-12-07).",
    ),
    writtenAfter(
      'blind, batch U',
      WRITTEN_AFTER_BATCH_T_WAS_READ,
      "blind items written after batch T's blind figures had been read, in languages other than English (2026-12-07).",
    ),
    writtenAfter(
      'blind, batch V',
      WRITTEN_AFTER_BATCH_U_WAS_READ,
      "blind items written after batch U's blind figures had been read, in English (2026-12-07).",
    ),
  ];
  // "blind, unseen" is always shown (it may be empty only on a corpus with no blind item written after the rules).
  return [...columns, ...parts.filter((p, n) => n === 0 || p.items.length > 0)];
}

/**
 * test/fixtures/holdout was collected as a blind set, then used to tune the rules (commit 1e0af1e): its
 * pages are tune whatever their hash, so that no page that guided a rule is counted as blind.
 */
const ALWAYS_TUNE_DIRS = ['holdout'];

/** The page, not how it was written: scheme, "www.", case, anchor and trailing slashes don't count. */
export function normaliseSource(source: string): string {
  let page = source.trim().toLowerCase();
  const anchor = page.indexOf('#');
  if (anchor >= 0) page = page.slice(0, anchor);
  page = page.replace(/^https?:\/\/(?:www\.)?/, '');
  let end = page.length;
  while (end > 0 && page[end - 1] === '/') end--;
  return page.slice(0, end);
}

export function hashSplit(source: string): Split {
  const digest = createHash('sha256').update(normaliseSource(source)).digest();
  return digest.readUInt32BE(0) % 100 < BLIND_PERCENT ? 'blind' : 'tune';
}

export class CorpusError extends Error {}

function check(c: Record<string, unknown>, file: string, positive: boolean): void {
  const where = `${file}: ${String(c.id)}`;
  if (typeof c.id !== 'string' || !c.id) throw new CorpusError(`${file}: an item has no id`);
  if (typeof c.text !== 'string' || !c.text.trim()) throw new CorpusError(`${where}: no text`);
  if (typeof c.source !== 'string' || !/^(https?:\/\/\S+|seed\/\S+)$/.test(c.source))
    throw new CorpusError(`${where}: source must be the URL of the page quoted`);
  if (!CATEGORIES.includes(c.category as Category))
    throw new CorpusError(`${where}: category must be one of ${CATEGORIES.join(', ')}`);
  if (positive) {
    if (!Array.isArray(c.causes) || c.causes.length === 0) throw new CorpusError(`${where}: no causes`);
    for (const cause of c.causes)
      if (!CAUSE_IDS.includes(cause)) throw new CorpusError(`${where}: unknown cause ${String(cause)}`);
    if (c.platform !== null && typeof c.platform !== 'string') throw new CorpusError(`${where}: platform`);
  } else if (c.otherKind != null && !OTHER_KINDS.includes(c.otherKind as OtherKind)) {
    throw new CorpusError(`${where}: unknown otherKind ${String(c.otherKind)}`);
  }
}

/** Every item of test/fixtures (positives*.yml, help-article.yml, negatives*.yml in each folder). */
export function loadCorpus(dir = FIXTURES_DIR): CorpusCase[] {
  const raw: { r: Record<string, unknown>; file: string; folder: string; positive: boolean }[] = [];
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && ['corpus', ...ALWAYS_TUNE_DIRS].includes(d.name))
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    for (const name of readdirSync(join(dir, folder)).sort()) {
      const positive = /^positives.*\.yml$/.test(name) || name === 'help-article.yml';
      if (!positive && !/^negatives.*\.yml$/.test(name)) continue;
      const file = `${folder}/${name}`;
      const items = (parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>[] | null) ?? [];
      for (const r of items) {
        check(r, file, positive);
        raw.push({ r, file, folder, positive });
      }
    }
  }
  // A page quoted both in an always-tune folder and elsewhere is tune everywhere: one page, one side.
  const pinned = new Set(
    raw.filter((x) => ALWAYS_TUNE_DIRS.includes(x.folder)).map((x) => normaliseSource(x.r.source as string)),
  );
  return raw.map(({ r, file, positive }): CorpusCase => {
    const source = r.source as string;
    const common = {
      file,
      split: pinned.has(normaliseSource(source)) ? ('tune' as const) : hashSplit(source),
      seenByRules: SEEN_BY_RULES.has(file),
    };
    return positive
      ? { ...(r as unknown as PositiveCase), platform: (r.platform as string | null) ?? null, ...common }
      : {
          ...(r as unknown as NegativeCase),
          otherKind: (r.otherKind as OtherKind | null) ?? null,
          ...common,
        };
  });
}

export const positivesOf = (items: readonly CorpusCase[]): PositiveCase[] => items.filter(isPositive);
export const negativesOf = (items: readonly CorpusCase[]): NegativeCase[] =>
  items.filter((c): c is NegativeCase => !isPositive(c));
