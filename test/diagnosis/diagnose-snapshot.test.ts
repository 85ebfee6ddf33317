import { createHash } from 'node:crypto';
import { longInputs } from '../../src/bench/diagnose';
import { analyze, loadKnowledge } from '../../src/diagnosis';
import { type CorpusCase, loadCorpus } from '../../src/eval/corpus';

// analyze()'s whole answer (the diagnosis, the quoted line and the decision path) on every corpus item,
// each line of a multi-line item, each item in capitals, every documented code example and the
// bench's 40,000-character inputs, recorded. It guards work that must not change answers (speed work
// on the classifier): any byte of difference fails.
//
// Rules, knowledge and calibration change answers on purpose. After such a change, regenerate and read
// the diff to see that it changes what was meant:
//   npx tsc -p tsconfig.build.json && npx jest test/diagnosis/diagnose-snapshot.test.ts -u
//
// Blind items (and the lines and capitals made from them) are recorded as one hash of all their answers,
// never per item, so neither the snapshot nor its diff can be read for per-item blind output (issue 10).

const knowledge = loadKnowledge();
const corpus = loadCorpus();

function answer(text: string): string {
  return JSON.stringify(analyze(text, knowledge));
}

function hashed(text: string): string {
  return createHash('sha256').update(answer(text)).digest('hex').slice(0, 16);
}

const key = (c: CorpusCase) => `${c.file} ${c.id}`;
const item = (c: CorpusCase): [string, string] => [key(c), c.text];

/** Inputs made from an item: each of its lines (when it has several) and the whole text in capitals. */
function variants(c: CorpusCase): [string, string][] {
  const lines = c.text.split('\n').filter((l) => l.trim());
  const out: [string, string][] = [];
  if (lines.length > 1) for (const [i, l] of lines.entries()) out.push([`${key(c)} line ${i + 1}`, l]);
  out.push([`${key(c)} upper`, c.text.toUpperCase()]);
  return out;
}

/**
 * One hash over many answers: a change still fails, but the diff can't tell which item changed. Blind
 * items are recorded this way, so regenerating the snapshot never shows per-item blind output.
 */
function oneHash(entries: [string, string][]): string {
  const all = createHash('sha256');
  for (const [key, text] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
    all.update(`${key}\t${answer(text)}\n`);
  return all.digest('hex');
}

function record(entries: [string, string][], show: (text: string) => string): Record<string, string> {
  return Object.fromEntries(entries.map(([key, text]) => [key, show(text)]));
}

describe('analyze() answers, as recorded', () => {
  test('tune items', () => {
    const tune = corpus.filter((c) => c.split === 'tune');
    expect(record(tune.map(item), answer)).toMatchSnapshot();
  });

  test('blind items (one hash of them all)', () => {
    const blind = corpus.filter((c) => c.split === 'blind');
    expect(blind.length).toBeGreaterThan(0);
    expect(oneHash([...blind.map(item), ...blind.flatMap(variants)])).toMatchSnapshot();
  });

  test("tune items' lines and capitals (hashes only)", () => {
    expect(record(corpus.filter((c) => c.split === 'tune').flatMap(variants), hashed)).toMatchSnapshot();
  });

  test('documented code examples', () => {
    const examples = knowledge.platforms.flatMap((p) =>
      p.codes.flatMap((c): [string, string][] => (c.example ? [[`${p.id} ${c.code}`, c.example]] : [])),
    );
    expect(examples.length).toBeGreaterThan(0);
    expect(record(examples, answer)).toMatchSnapshot();
  });

  test("the bench's 40,000-character inputs", () => {
    expect(record(longInputs(), answer)).toMatchSnapshot();
  });
});
