/**
 * How far careful readers of a text alone agree with each other and with the corpus's labels
 * (test/fixtures/agreement/readings.yml: two readings of each of 500 tune items, by readers blind to
 * the label, to each other and to the engine). The corpus's labels were written by people who had the
 * whole source page; the engine, like a support agent in Slack, has only the text. So the readings
 * bound what any reader of the text can score against those labels.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CAUSE_IDS } from '../diagnosis/types';
import { type CorpusCase, FIXTURES_DIR, isPositive } from './corpus';

export const AGREEMENT_FILE = join(FIXTURES_DIR, 'agreement', 'readings.yml');

const ReadingSchema = z.strictObject({
  label: z.enum(['positive', 'negative']),
  cause: z.enum(CAUSE_IDS).nullable(),
  /** False when the reader thought a careful colleague could label it the other way. */
  sure: z.boolean(),
});

const FileSchema = z.strictObject({
  readings: z.array(
    z.strictObject({ id: z.string().min(1), readers: z.tuple([ReadingSchema, ReadingSchema]) }),
  ),
});

export type Reading = z.infer<typeof ReadingSchema>;
export interface ReadItem {
  item: CorpusCase;
  readers: [Reading, Reading];
}

/** The readings joined to their corpus items; an id the corpus lacks is an error naming it. */
export function loadReadings(corpus: readonly CorpusCase[], file = AGREEMENT_FILE): ReadItem[] {
  const parsed = FileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const byId = new Map(corpus.map((c) => [c.id, c]));
  return parsed.data.readings.map((r, i) => {
    const item = byId.get(r.id);
    if (!item) throw new Error(`${file}: readings.${i}.id: ${r.id} is not a corpus item`);
    return { item, readers: r.readers };
  });
}

export interface Share {
  n: number;
  of: number;
}

export interface Agreement {
  items: number;
  /** The two readers give the same label. */
  readersAgree: Share;
  /** Cohen's kappa of the two readers (agreement beyond what their label rates give by chance). */
  readersKappa: number;
  /** Each reading against the corpus label (two per item). */
  corpusAgree: Share;
  corpusKappa: number;
  /** Of the readings of corpus positives, how many read positive: a text reader's "detection". */
  positivesReadPositive: Share;
  /** Of the readings of corpus negatives, how many read positive: a text reader's "false alarms". */
  negativesReadPositive: Share;
  /** Of the readings of corpus positives read positive, how many name a cause the corpus accepts. */
  causeAccepted: Share;
  /** Items both readers label alike, against the corpus: [corpus positive, corpus negative]. */
  bothAgainstCorpus: [number, number];
  /** Items both readers label alike, and both call sure. */
  bothSure: number;
}

function kappa(pairs: [boolean, boolean][]): number {
  const n = pairs.length;
  if (n === 0) return 0;
  const observed = pairs.filter(([a, b]) => a === b).length / n;
  const a = pairs.filter(([x]) => x).length / n;
  const b = pairs.filter(([, y]) => y).length / n;
  const chance = a * b + (1 - a) * (1 - b);
  return chance === 1 ? 1 : (observed - chance) / (1 - chance);
}

export function measureAgreement(read: readonly ReadItem[]): Agreement {
  const readerPairs: [boolean, boolean][] = [];
  const corpusPairs: [boolean, boolean][] = [];
  const posRead = { n: 0, of: 0 };
  const negRead = { n: 0, of: 0 };
  const cause = { n: 0, of: 0 };
  const against: [number, number] = [0, 0];
  let bothSure = 0;
  for (const { item, readers } of read) {
    const truth = isPositive(item);
    const [a, b] = readers.map((r) => r.label === 'positive') as [boolean, boolean];
    readerPairs.push([a, b]);
    if (a === b && a !== truth) against[truth ? 0 : 1]++;
    if (a === b && readers.every((r) => r.sure)) bothSure++;
    for (const r of readers) {
      const saysPositive = r.label === 'positive';
      corpusPairs.push([truth, saysPositive]);
      const tally = truth ? posRead : negRead;
      tally.of++;
      if (saysPositive) tally.n++;
      if (saysPositive && isPositive(item)) {
        cause.of++;
        if (r.cause !== null && item.causes.includes(r.cause)) cause.n++;
      }
    }
  }
  return {
    items: read.length,
    readersAgree: { n: readerPairs.filter(([x, y]) => x === y).length, of: readerPairs.length },
    readersKappa: kappa(readerPairs),
    corpusAgree: { n: corpusPairs.filter(([x, y]) => x === y).length, of: corpusPairs.length },
    corpusKappa: kappa(corpusPairs),
    positivesReadPositive: posRead,
    negativesReadPositive: negRead,
    causeAccepted: cause,
    bothAgainstCorpus: against,
    bothSure,
  };
}

/**
 * A yes/no judge (the engine) scored on the items against two sets of labels: the corpus's, and the
 * readers' where both agree (items they split on are left out of both rows, so the rows compare).
 */
export function judgeTwoWays(
  read: readonly ReadItem[],
  says: (item: CorpusCase) => boolean,
): { byCorpus: { detected: Share; falseAlarms: Share }; byReaders: { detected: Share; falseAlarms: Share } } {
  const tally = () => ({ detected: { n: 0, of: 0 }, falseAlarms: { n: 0, of: 0 } });
  const byCorpus = tally();
  const byReaders = tally();
  for (const { item, readers } of read) {
    const [a, b] = readers.map((r) => r.label === 'positive');
    if (a !== b) continue;
    const verdict = says(item);
    for (const [t, truth] of [
      [byCorpus, isPositive(item)],
      [byReaders, a === true],
    ] as const) {
      const row = truth ? t.detected : t.falseAlarms;
      row.of++;
      if (verdict) row.n++;
    }
  }
  return { byCorpus, byReaders };
}
