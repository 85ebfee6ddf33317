/**
 * First readings: what the rules made of a batch of corpus items the first time they met it, before
 * anyone could write a rule from it. Each batch is read by the rules of the commit that added its files
 * (`npm run first-reading`, run right after; such a commit changes no rule), and the reading is kept in
 * test/fixtures/first-readings.yml.
 *
 * Why: the rules are written from the tune split, so today's rules on tune items measure how well they
 * fit the messages they were written from, not how they do on a message they have never seen. The
 * stated confidence (`npm run calibrate`) is measured on first readings instead, so that a card's
 * confidence says how often the rules were right on new messages. Only tune items are kept: the blind
 * split is never read to set anything.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { DECISION_PATHS, type DecisionPath } from '../diagnosis/confidence';
import { CAUSE_IDS, type CauseId } from '../diagnosis/types';
import { noCards, type PathCount } from './calibration';
import { type CorpusCase, FIXTURES_DIR, isPositive } from './corpus';

export const FIRST_READINGS_FILE = join(FIXTURES_DIR, 'first-readings.yml');

/**
 * The fixture files added before the rules stated a decision path (commit 5b69f00, when calibration
 * began): they can have no first reading. Every other corpus file must have one (a test checks), so a
 * new batch is read before a rule can be written from it.
 */
export const BEFORE_FIRST_READINGS: ReadonlySet<string> = new Set([
  'corpus/help-article.yml',
  'corpus/negatives.yml',
  'corpus/negatives-b.yml',
  'corpus/negatives-c.yml',
  'corpus/positives-a.yml',
  'corpus/positives-b.yml',
  'corpus/positives-c.yml',
  'corpus/positives-docs.yml',
  'corpus/positives-words.yml',
  'corpus/positives-words-2.yml',
  'corpus/positives-words-3.yml',
  'corpus/positives-words-4.yml',
  'holdout/positives.yml',
  'holdout/negatives.yml',
]);

/** A commit as git abbreviates it, or whole. */
const COMMIT = /^[0-9a-f]{7,40}$/;
/** A fixture file as the corpus names it, relative to test/fixtures. */
const FIXTURE_FILE = /^[\w-]+\/[\w.-]+\.yml$/;

/** A card as the rules of that commit gave it: "<decision path> <cause>". */
const CARD = new RegExp(`^(${DECISION_PATHS.join('|')}) (${CAUSE_IDS.join('|')})$`);

const ReadingSchema = z
  .object({
    /** The commit whose rules read the batch (the one that added its files, which changed no rule). */
    rulesAt: z.string().regex(COMMIT, 'a commit hash'),
    /** The batch's fixture files, relative to test/fixtures. */
    batch: z.array(z.string().regex(FIXTURE_FILE, 'a fixture file such as corpus/x.yml')).min(1),
    /** How many of the batch's tune items were read (cards or not). */
    tuneItems: z.number().int().nonnegative(),
    /** Every tune item the rules gave a card, by id; an item given none is not listed. */
    cards: z.record(z.string(), z.string().regex(CARD, 'a card: "<decision path> <cause>"')),
  })
  .strict();
const FirstReadingsSchema = z.object({ readings: z.array(ReadingSchema) }).strict();

export type FirstReading = z.infer<typeof ReadingSchema>;

export class FirstReadingsError extends Error {}

/** The readings in the file, validated: a problem names the file and where it is. */
export function loadFirstReadings(file = FIRST_READINGS_FILE): FirstReading[] {
  return checkedReadings(parse(readFileSync(file, 'utf8')), file);
}

/** Readings as the file must hold them: the schema, and no fixture file read twice. */
function checkedReadings(data: unknown, file: string): FirstReading[] {
  const parsed = FirstReadingsSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FirstReadingsError(`${file}: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
  }
  const seen = new Map<string, string>();
  for (const r of parsed.data.readings) {
    for (const f of r.batch) {
      const before = seen.get(f);
      if (before)
        throw new FirstReadingsError(
          `${file}: ${f} was first read at ${before}; a batch has one first reading`,
        );
      seen.set(f, r.rulesAt);
    }
  }
  return parsed.data.readings;
}

/** What `analyze` answers that a reading keeps. */
export interface ReadCard {
  isTokenError: boolean;
  cause: CauseId | null;
  decidedBy: DecisionPath | null;
}

/**
 * One batch's reading: the tune items of `files` (named as the corpus names them, e.g.
 * corpus/x.yml), read by `read`. Refuses what could never be a first reading.
 */
export function readBatch(
  corpus: readonly CorpusCase[],
  named: readonly string[],
  rulesAt: string,
  read: (text: string) => ReadCard,
): FirstReading {
  const files = [...new Set(named)].sort();
  if (files.length < named.length) throw new FirstReadingsError('a file is named twice');
  const missing = files.filter((f) => !FIXTURE_FILE.test(f) || !existsSync(join(FIXTURES_DIR, f)));
  if (missing.length > 0)
    throw new FirstReadingsError(`no such fixture file (name it as corpus/FILE.yml): ${missing.join(', ')}`);
  const older = files.filter((f) => BEFORE_FIRST_READINGS.has(f));
  if (older.length > 0)
    throw new FirstReadingsError(`${older.join(', ')} came before first readings began and can have none`);
  if (!COMMIT.test(rulesAt)) throw new FirstReadingsError(`${rulesAt} is not a commit hash`);
  const items = corpus.filter((c) => c.split === 'tune' && files.includes(c.file));
  const cards: Record<string, string> = {};
  for (const item of items) {
    const { isTokenError, cause, decidedBy } = read(item.text);
    if (isTokenError && decidedBy) cards[item.id] = `${decidedBy} ${cause ?? 'unknown'}`;
  }
  return { rulesAt, batch: [...files], tuneItems: items.length, cards };
}

/**
 * Every first-read card, by the path that decided it: right when its cause is one the item accepts
 * today (labels are read now, so a corrected label counts); a card on a negative is wrong. An id no
 * longer in the corpus, or no longer tune, is skipped.
 */
export function countFirstReadings(
  readings: readonly FirstReading[],
  corpus: readonly CorpusCase[],
): Record<DecisionPath, PathCount> {
  const counts = noCards();
  const byId = new Map(corpus.filter((c) => c.split === 'tune').map((c) => [c.id, c]));
  for (const reading of readings) {
    for (const [id, card] of Object.entries(reading.cards)) {
      const item = byId.get(id);
      if (!item || !reading.batch.includes(item.file)) continue;
      const [path, cause] = card.split(' ') as [DecisionPath, CauseId];
      counts[path].cards++;
      if (isPositive(item) && item.causes.includes(cause)) counts[path].right++;
    }
  }
  return counts;
}

/** How the rules did on the batches when they first met them: tune items only, today's labels. */
export interface FirstReadFigures {
  positives: number;
  detected: number;
  causeRight: number;
  negatives: number;
  falseAlarms: number;
}

/** `shown`: which decision paths' cards count as given (all of them by default; see passiveOperatingPoints). */
export function firstReadFigures(
  readings: readonly FirstReading[],
  corpus: readonly CorpusCase[],
  shown: (path: DecisionPath) => boolean = () => true,
): FirstReadFigures {
  const figures = { positives: 0, detected: 0, causeRight: 0, negatives: 0, falseAlarms: 0 };
  for (const reading of readings) {
    for (const item of corpus) {
      if (item.split !== 'tune' || !reading.batch.includes(item.file)) continue;
      const given = reading.cards[item.id];
      const card = given && shown(given.split(' ')[0] as DecisionPath) ? given : undefined;
      if (!isPositive(item)) {
        figures.negatives++;
        if (card) figures.falseAlarms++;
        continue;
      }
      figures.positives++;
      if (!card) continue;
      figures.detected++;
      if (item.causes.includes(card.split(' ')[1] as CauseId)) figures.causeRight++;
    }
  }
  return figures;
}

/** What passive listening would have answered on the first readings with its threshold at `threshold`. */
export interface PassiveOperatingPoint extends FirstReadFigures {
  threshold: number;
}

/**
 * Passive listening answers a card only when its stated confidence reaches `passiveMinConfidence`
 * (knowledge/settings.yml). For 0 and for each confidence a path states, what the first readings would
 * have got: how many login errors answered (and with the right cause), how many look-alikes answered.
 * Read on first readings, not today's rules on tune, for the reason the calibration is.
 */
export function passiveOperatingPoints(
  readings: readonly FirstReading[],
  corpus: readonly CorpusCase[],
  confidence: Readonly<Record<DecisionPath, number>>,
): PassiveOperatingPoint[] {
  const thresholds = [...new Set([0, ...DECISION_PATHS.map((p) => confidence[p])])].sort((a, b) => a - b);
  return thresholds.map((threshold) => ({
    threshold,
    ...firstReadFigures(readings, corpus, (path) => confidence[path] >= threshold),
  }));
}

/** The file's text: a header saying what it holds, then the readings in the order they were taken. */
export function firstReadingsYaml(readings: readonly FirstReading[]): string {
  const header = [
    'First readings (src/eval/first-readings.ts): each batch of corpus files read once by the rules of the',
    'commit that added it, before any rule could be written from it; written by',
    '`npm run first-reading`, never by hand. Tune items only; `cards` lists each item given a card as',
    '"<decision path> <cause>". `npm run calibrate` measures the stated confidence on these cards.',
  ]
    .map((l) => `# ${l}`)
    .join('\n');
  return `${header}\n${stringify({ readings }, { lineWidth: 0 })}`;
}

/** Writes the readings, checked as the loader checks them, so the file always loads again. */
export function saveFirstReadings(readings: readonly FirstReading[], file = FIRST_READINGS_FILE): void {
  writeFileSync(file, firstReadingsYaml(checkedReadings({ readings }, file)));
}
