/**
 * First readings (src/eval/first-readings.ts, npm run first-reading): the committed file is valid and
 * current with the corpus, every batch since calibration began has one, and the counting behind the
 * stated confidence reads today's labels.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusCase } from '../../src/eval/corpus';
import { loadCorpus } from '../../src/eval/corpus';
import {
  BEFORE_FIRST_READINGS,
  countFirstReadings,
  type FirstReading,
  FirstReadingsError,
  firstReadFigures,
  firstReadingsYaml,
  loadFirstReadings,
  passiveOperatingPoints,
  readBatch,
} from '../../src/eval/first-readings';
import { ensureBuilt } from '../support/child-process';

const ROOT = join(__dirname, '..', '..');
const corpus = loadCorpus();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenfix-first-readings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the committed test/fixtures/first-readings.yml', () => {
  const readings = loadFirstReadings();
  const byId = new Map(corpus.map((c) => [c.id, c]));

  test('every corpus file added since calibration began has exactly one first reading', () => {
    const read = new Set(readings.flatMap((r) => r.batch));
    const files = [...new Set(corpus.map((c) => c.file))];
    // A new batch is read (`npm run first-reading -- corpus/FILE.yml …`) before any rule is written from it.
    expect(files.filter((f) => !read.has(f) && !BEFORE_FIRST_READINGS.has(f))).toEqual([]);
    expect([...BEFORE_FIRST_READINGS].filter((f) => read.has(f))).toEqual([]);
  });

  test('every card is a tune item of its reading’s files, and each reading counts them right', () => {
    const stale: string[] = [];
    for (const r of readings) {
      for (const id of Object.keys(r.cards)) {
        const item = byId.get(id);
        if (item?.split !== 'tune' || !r.batch.includes(item.file)) stale.push(`${r.rulesAt}: ${id}`);
      }
      const tune = corpus.filter((c) => c.split === 'tune' && r.batch.includes(c.file));
      expect({ at: r.rulesAt, tuneItems: r.tuneItems }).toEqual({ at: r.rulesAt, tuneItems: tune.length });
    }
    expect(stale).toEqual([]);
  });

  test('the file is what its writer writes (no hand edits)', () => {
    expect(readFileSync(join(ROOT, 'test', 'fixtures', 'first-readings.yml'), 'utf8')).toBe(
      firstReadingsYaml(readings),
    );
  });
});

/** A small corpus of made-up items, as loadCorpus shapes them. */
function item(id: string, file: string, split: 'tune' | 'blind', causes?: CorpusCase['id'][]): CorpusCase {
  const common = {
    id,
    category: 'pasted' as const,
    source: `https://example.test/${id}`,
    text: id,
    file,
    split,
  };
  return causes
    ? { ...common, seenByRules: false, platform: null, causes: causes as never }
    : { ...common, seenByRules: false, otherKind: null };
}

describe('reading and counting', () => {
  const small = [
    item('p1', 'corpus/positives-words-40.yml', 'tune', ['unknown']),
    item('p2', 'corpus/positives-words-40.yml', 'tune', ['password_changed']),
    item('p3', 'corpus/positives-words-40.yml', 'blind', ['unknown']),
    item('n1', 'corpus/negatives-z13.yml', 'tune'),
    item('n2', 'corpus/negatives-z13.yml', 'tune'),
  ];

  /** A reading of the small corpus: a right card, a wrong cause, a false alarm, and two never counted. */
  const READ: FirstReading = {
    rulesAt: 'abc1234',
    batch: ['corpus/positives-words-40.yml', 'corpus/negatives-z13.yml'],
    tuneItems: 4,
    cards: {
      p1: 'noCause unknown',
      p2: 'wordingOneHit two_factor_enabled',
      n1: 'noCause unknown',
      p3: 'noCause unknown', // blind today: never counted
      gone: 'noCause unknown', // no longer in the corpus
    },
  };

  test('a batch’s reading keeps its tune items’ cards only, with path and cause', () => {
    const reading = readBatch(
      small,
      ['corpus/positives-words-40.yml', 'corpus/negatives-z13.yml'],
      'abc1234',
      (text) =>
        text === 'n2'
          ? { isTokenError: false, cause: null, decidedBy: null }
          : {
              isTokenError: true,
              cause: text === 'p2' ? 'two_factor_enabled' : 'unknown',
              decidedBy: 'noCause',
            },
    );
    expect(reading).toEqual({
      rulesAt: 'abc1234',
      batch: ['corpus/negatives-z13.yml', 'corpus/positives-words-40.yml'],
      tuneItems: 4,
      cards: { p1: 'noCause unknown', p2: 'noCause two_factor_enabled', n1: 'noCause unknown' },
    });
  });

  test('refuses what could never be a first reading, naming it', () => {
    const none = () => ({ isTokenError: false, cause: null, decidedBy: null });
    const batchK = 'corpus/positives-words-37.yml';
    expect(() => readBatch(small, ['corpus/nothing-here.yml'], 'abc1234', none)).toThrow(
      /no such fixture file .*: corpus\/nothing-here\.yml/,
    );
    expect(() => readBatch(small, [`./${batchK}`], 'abc1234', none)).toThrow(/no such fixture file/);
    expect(() => readBatch(small, [batchK, batchK], 'abc1234', none)).toThrow(/named twice/);
    expect(() => readBatch(small, ['corpus/positives-a.yml'], 'abc1234', none)).toThrow(
      /positives-a\.yml came before first readings began/,
    );
    expect(() => readBatch(small, [batchK], 'HEAD', none)).toThrow(/HEAD is not a commit hash/);
  });

  test('counts a card right only when today’s labels accept its cause; a card on a negative is wrong', () => {
    const readings = [READ];
    const counts = countFirstReadings(readings, small);
    expect(counts.noCause).toEqual({ cards: 2, right: 1 });
    expect(counts.wordingOneHit).toEqual({ cards: 1, right: 0 });
    // The label corrected to accept the cause the rules named: now right.
    const corrected = small.map((c) =>
      c.id === 'p2' ? { ...c, causes: ['two_factor_enabled'] } : c,
    ) as CorpusCase[];
    expect(countFirstReadings(readings, corrected).wordingOneHit).toEqual({ cards: 1, right: 1 });
  });

  test('first-read figures: positives with a card are detected, negatives with one are false alarms', () => {
    expect(firstReadFigures([READ], small)).toEqual({
      positives: 2,
      detected: 2,
      causeRight: 1,
      negatives: 2,
      falseAlarms: 1,
    });
  });

  test('passive listening at each threshold answers only the cards whose path states at least that much', () => {
    const confidence = {
      documentedCode: 0.9,
      wordingOneHit: 0.6,
      wordingTwoHits: 0.9,
      wordingThreeOrMoreHits: 0.9,
      wordingContested: 0.9,
      codeWithoutCause: 0.9,
      noCause: 0.5,
    };
    const at = (threshold: number, detected: number, causeRight: number, falseAlarms: number) => ({
      threshold,
      positives: 2,
      detected,
      causeRight,
      negatives: 2,
      falseAlarms,
    });
    expect(passiveOperatingPoints([READ], small, confidence)).toEqual([
      at(0, 2, 1, 1),
      at(0.5, 2, 1, 1),
      // Only p2's one-hit card (a wrong cause) is left; n1's no-cause card is not answered.
      at(0.6, 1, 0, 0),
      at(0.9, 0, 0, 0),
    ]);
  });

  test('the loader names the file and the place of a bad card, and refuses a file read twice', () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(
      bad,
      'readings:\n  - rulesAt: abc1234\n    batch: [corpus/x.yml]\n    tuneItems: 1\n    cards:\n      p1: noCause maybe\n',
    );
    expect(() => loadFirstReadings(bad)).toThrow(FirstReadingsError);
    expect(() => loadFirstReadings(bad)).toThrow(/bad\.yml: readings\.0\.cards\.p1: a card/);
    const twice = join(dir, 'twice.yml');
    const one = '  - rulesAt: abc1234\n    batch: [corpus/x.yml]\n    tuneItems: 0\n    cards: {}\n';
    writeFileSync(twice, `readings:\n${one}${one.replace('abc1234', 'def5678')}`);
    expect(() => loadFirstReadings(twice)).toThrow(/corpus\/x\.yml was first read at abc1234/);
  });
});

describe('npm run first-reading', () => {
  beforeAll(() => ensureBuilt());
  const script = join(ROOT, 'dist', 'bench', 'first-reading.js');
  const run = (args: string[]) =>
    spawnSync(process.execPath, [script, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });

  test('reads a batch with this build’s rules and adds it; a second reading of it is refused in one line', () => {
    const file = join(dir, 'readings.yml');
    writeFileSync(file, 'readings: []\n');
    execFileSync(
      process.execPath,
      [script, '--readings', file, '--at', 'abc1234', 'corpus/positives-words-40.yml'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    const [reading] = loadFirstReadings(file);
    expect(reading?.rulesAt).toBe('abc1234');
    expect(reading?.tuneItems).toBe(
      corpus.filter((c) => c.split === 'tune' && c.file === 'corpus/positives-words-40.yml').length,
    );
    expect(Object.keys(reading?.cards ?? {}).length).toBeGreaterThan(0);
    const again = run(['--readings', file, '--at', 'def5678', 'corpus/positives-words-40.yml']);
    expect(again.status).toBe(2);
    expect(again.stderr.split('\n')[0]).toBe(
      'first-reading: corpus/positives-words-40.yml already had its first reading',
    );
  }, 60_000);

  test('with no file named, says what it needs', () => {
    const none = run(['--readings', join(dir, 'unused.yml')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^first-reading: name the batch’s fixture files\n/);
  });
});
