import { diagnose, loadKnowledge } from '../../src/diagnosis';
import { CAUSE_IDS, OTHER_KINDS } from '../../src/diagnosis/types';
import { type NegativeCase, negatives, type PositiveCase, positives } from '../support/corpus';

// Every message in test/fixtures/corpus is quoted from a public source named in its `source`;
// the thresholds are the engine issue's acceptance points.
const knowledge = loadKnowledge();
const POS = positives();
const NEG = negatives();

function confusion(rows: { want: string; got: string }[]): string {
  const table = new Map<string, Map<string, number>>();
  for (const { want, got } of rows) {
    const row = table.get(want) ?? new Map<string, number>();
    row.set(got, (row.get(got) ?? 0) + 1);
    table.set(want, row);
  }
  return [...table.entries()]
    .map(([want, row]) => `${want.padEnd(26)} → ${[...row.entries()].map(([g, n]) => `${g}:${n}`).join(' ')}`)
    .join('\n');
}

describe('the corpus itself', () => {
  test('is big and varied enough', () => {
    expect(POS.length).toBeGreaterThanOrEqual(200);
    expect(NEG.length).toBeGreaterThanOrEqual(120);
    expect(new Set(POS.map((c) => c.platform).filter(Boolean)).size).toBeGreaterThanOrEqual(20);
    expect(NEG.filter((c) => c.hard).length / NEG.length).toBeGreaterThan(0.5);
  });

  test.each([...POS, ...NEG].map((c) => [c.id, c] as const))(
    '%s is well formed and cites its source',
    (_id, c) => {
      expect(typeof c.text).toBe('string');
      expect(c.text.trim().length).toBeGreaterThan(0);
      expect(c.source).toMatch(/^(https?:\/\/\S+|seed\/\S+)$/);
      if ('causes' in c) {
        expect(c.causes.length).toBeGreaterThan(0);
        for (const cause of c.causes) expect(CAUSE_IDS).toContain(cause);
      } else if (c.otherKind) {
        expect(OTHER_KINDS).toContain(c.otherKind);
      }
    },
  );

  test('ids are unique and no text appears twice', () => {
    const all = [...POS, ...NEG];
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(new Set(all.map((c) => c.text.trim())).size).toBe(all.length);
  });
});

describe('diagnosis over the corpus', () => {
  const results = POS.map((c: PositiveCase) => ({ c, d: diagnose(c.text, knowledge) }));
  const negResults = NEG.map((c: NegativeCase) => ({ c, d: diagnose(c.text, knowledge) }));

  test('the seven help-article messages are all diagnosed as login errors with an accepted cause', () => {
    const article = results.filter(({ c }) => c.id.startsWith('article-'));
    expect(article).toHaveLength(7);
    for (const { c, d } of article) {
      expect({ id: c.id, isTokenError: d.isTokenError, ok: c.causes.includes(d.cause as never) }).toEqual({
        id: c.id,
        isTokenError: true,
        ok: true,
      });
    }
  });

  test('cause: top-1 within the accepted set for at least 95% of positives', () => {
    const rows = results.map(({ c, d }) => ({
      want: c.causes.join('|'),
      got: d.isTokenError ? String(d.cause) : 'NOT-TOKEN',
      ok: d.isTokenError && c.causes.includes(d.cause as never),
      id: c.id,
    }));
    const rate = rows.filter((r) => r.ok).length / rows.length;
    if (rate < 0.95) {
      console.log(
        `cause accuracy ${(rate * 100).toFixed(1)}%\n${confusion(rows)}\nmisses: ${rows
          .filter((r) => !r.ok)
          .map((r) => r.id)
          .join(', ')}`,
      );
    }
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  test('platform: right for at least 95% of positives', () => {
    const rows = results.map(({ c, d }) => ({ want: String(c.platform), got: String(d.platform), id: c.id }));
    const rate = rows.filter((r) => r.want === r.got).length / rows.length;
    if (rate < 0.95) {
      console.log(
        `platform accuracy ${(rate * 100).toFixed(1)}%\n${confusion(rows)}\nmisses: ${rows
          .filter((r) => r.want !== r.got)
          .map((r) => r.id)
          .join(', ')}`,
      );
    }
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  test('false positives on negatives: at most 1%', () => {
    const wrong = negResults.filter(({ d }) => d.isTokenError);
    if (wrong.length / NEG.length > 0.01) {
      console.log(
        `false positives: ${wrong.map(({ c, d }) => `${c.id} (${d.evidence.join(' | ')})`).join('\n')}`,
      );
    }
    expect(wrong.length / NEG.length).toBeLessThanOrEqual(0.01);
  });

  test('error codes, where the corpus names one, are reported as the platform writes them', () => {
    const withCode = results.filter(({ c }) => c.errorCode);
    const right = withCode.filter(({ c, d }) => d.errorCode?.toLowerCase() === c.errorCode?.toLowerCase());
    if (right.length / withCode.length < 0.9) {
      console.log(
        withCode
          .filter((r) => !right.includes(r))
          .map(({ c, d }) => `${c.id}: want ${c.errorCode} got ${d.errorCode}`)
          .join('\n'),
      );
    }
    expect(right.length / withCode.length).toBeGreaterThanOrEqual(0.9);
  });

  test('otherKind, where the corpus names one, is found for most hard negatives', () => {
    const labelled = negResults.filter(({ c }) => c.otherKind);
    const right = labelled.filter(({ c, d }) => d.otherKind === c.otherKind);
    if (right.length / labelled.length < 0.7) {
      console.log(
        labelled
          .filter((r) => !right.includes(r))
          .map(({ c, d }) => `${c.id}: want ${c.otherKind} got ${d.otherKind}`)
          .join('\n'),
      );
    }
    expect(right.length / labelled.length).toBeGreaterThanOrEqual(0.7);
  });
});
