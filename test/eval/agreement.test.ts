/**
 * The readers' labels (src/eval/agreement.ts, npm run agreement): the committed readings name tune items
 * only, and the counting behind the printed figures is right on cases worked by hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeTwoWays, loadReadings, measureAgreement, type ReadItem } from '../../src/eval/agreement';
import { type CorpusCase, loadCorpus } from '../../src/eval/corpus';

const base = { category: 'own_words', source: 'https://example.com/x', split: 'tune' } as const;
const pos = (id: string): CorpusCase =>
  ({ ...base, id, text: id, platform: null, causes: ['password_changed'] }) as CorpusCase;
const neg = (id: string): CorpusCase =>
  ({ ...base, id, text: id, otherKind: null, hard: true }) as CorpusCase;
const r = (label: 'positive' | 'negative', cause: string | null = null) =>
  ({ label, cause, sure: true }) as ReadItem['readers'][0];

test('every read item is a tune item of the corpus', () => {
  const read = loadReadings(loadCorpus());
  expect(read.length).toBe(500);
  expect(read.filter((x) => x.item.split !== 'tune').map((x) => x.item.id)).toEqual([]);
});

test('an id the corpus lacks is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agreement-'));
  const file = join(dir, 'readings.yml');
  writeFileSync(
    file,
    `readings:\n- id: nope-001\n  readers:\n  - {label: positive, cause: unknown, sure: true}\n  - {label: negative, cause: null, sure: true}\n`,
  );
  try {
    expect(() => loadReadings([pos('a')], file)).toThrow(/readings\.0\.id: nope-001 is not a corpus item/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('agreement and kappa, worked by hand', () => {
  // Readers agree on 3 of 4 items; corpus: a, b positive, c, d negative.
  const read: ReadItem[] = [
    { item: pos('a'), readers: [r('positive', 'password_changed'), r('positive', 'unknown')] },
    { item: pos('b'), readers: [r('negative'), r('negative')] },
    { item: neg('c'), readers: [r('negative'), r('negative')] },
    { item: neg('d'), readers: [r('positive', 'unknown'), r('negative')] },
  ];
  const a = measureAgreement(read);
  expect(a.readersAgree).toEqual({ n: 3, of: 4 });
  // Reader A says yes on 2 of 4, reader B on 1 of 4: chance 0.5*0.25 + 0.5*0.75 = 0.5; kappa (0.75-0.5)/0.5.
  expect(a.readersKappa).toBeCloseTo(0.5);
  expect(a.positivesReadPositive).toEqual({ n: 2, of: 4 });
  expect(a.negativesReadPositive).toEqual({ n: 1, of: 4 });
  expect(a.causeAccepted).toEqual({ n: 1, of: 2 });
  expect(a.bothAgainstCorpus).toEqual([1, 0]);
  // d is left out (the readers split); the judge says yes to a and c.
  const two = judgeTwoWays(read, (item) => item.id === 'a' || item.id === 'c');
  expect(two.byCorpus).toEqual({ detected: { n: 1, of: 2 }, falseAlarms: { n: 1, of: 1 } });
  expect(two.byReaders).toEqual({ detected: { n: 1, of: 1 }, falseAlarms: { n: 1, of: 2 } });
});
