import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose, loadKnowledge } from '../../src/diagnosis';
import { CAUSE_IDS, OTHER_KINDS } from '../../src/diagnosis/types';
import {
  BLIND_PERCENT,
  CorpusError,
  evalColumns,
  hashSplit,
  loadCorpus,
  type NegativeCase,
  negativesOf,
  normaliseSource,
  type PositiveCase,
  positivesOf,
  WRITTEN_AFTER_BATCH_F_WAS_READ,
  WRITTEN_AFTER_BATCH_G_WAS_READ,
  WRITTEN_AFTER_BATCH_H_WAS_READ,
  WRITTEN_AFTER_BATCH_I_WAS_READ,
  WRITTEN_AFTER_BATCH_J_WAS_READ,
  WRITTEN_AFTER_BATCH_K_WAS_READ,
  WRITTEN_AFTER_BATCH_L_WAS_READ,
  WRITTEN_AFTER_BATCH_M_WAS_READ,
  WRITTEN_AFTER_BATCH_N_WAS_READ,
  WRITTEN_AFTER_BATCH_O_WAS_READ,
  WRITTEN_AFTER_BATCH_P_WAS_READ,
  WRITTEN_AFTER_BATCH_Q_WAS_READ,
  WRITTEN_AFTER_BATCH_R_WAS_READ,
  WRITTEN_AFTER_BATCH_S_WAS_READ,
  WRITTEN_AFTER_BATCH_T_WAS_READ,
  WRITTEN_AFTER_BATCH_U_WAS_READ,
} from '../../src/eval/corpus';

// Every message in test/fixtures is quoted from a public source named in its `source`.
const knowledge = loadKnowledge();
const CORPUS = loadCorpus();
const POS = positivesOf(CORPUS);
const NEG = negativesOf(CORPUS);

// The thresholds below are the engine issue's acceptance points, held on the tune items the rules were
// written from (test/fixtures/corpus as of commit 1e0af1e). Blind items are measured by `npm run eval`,
// never asserted: a target on them would make them tuning data. Tune items added since are measured
// too and join this guard once the rules have been worked on them.
const GUARDED = CORPUS.filter((c) => c.split === 'tune' && c.seenByRules && c.file.startsWith('corpus/'));
const GUARDED_POS = positivesOf(GUARDED);
const GUARDED_NEG = negativesOf(GUARDED);

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
    // Issue 10's floors: 750 positives, 450 negatives (most hard), 40 platforms, 40% in own words.
    expect(POS.length).toBeGreaterThanOrEqual(750);
    expect(NEG.length).toBeGreaterThanOrEqual(450);
    expect(new Set(POS.map((c) => c.platform).filter(Boolean)).size).toBeGreaterThanOrEqual(40);
    expect(NEG.filter((c) => c.hard).length / NEG.length).toBeGreaterThan(0.75);
    expect(POS.filter((c) => c.category === 'own_words').length / POS.length).toBeGreaterThanOrEqual(0.4);
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

  test('every item says how it was written: pasted, own words or documented', () => {
    for (const c of CORPUS) expect(['pasted', 'own_words', 'documented']).toContain(c.category);
  });

  test('ids are unique and no text appears twice', () => {
    const all = [...POS, ...NEG];
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(new Set(all.map((c) => c.text.trim())).size).toBe(all.length);
  });
});

describe('the split into tune and blind', () => {
  test('no source page is in both splits', () => {
    const sides = new Map<string, Set<string>>();
    for (const c of CORPUS) {
      const page = normaliseSource(c.source);
      sides.set(page, (sides.get(page) ?? new Set()).add(c.split));
    }
    expect([...sides].filter(([, s]) => s.size > 1).map(([page]) => page)).toEqual([]);
  });

  test('eval --tune builds no column with a blind item; the full eval keeps every blind part', () => {
    const tuneOnly = evalColumns(CORPUS, true);
    expect(tuneOnly.map((c) => c.title)).toEqual(['tune']);
    expect(tuneOnly.flatMap((c) => c.items).every((c) => c.split === 'tune')).toBe(true);
    const all = evalColumns(CORPUS, false);
    // A batch's column appears once its files hold a blind item.
    const hasBlind = (files: ReadonlySet<string>) =>
      CORPUS.some((c) => c.split === 'blind' && files.has(c.file));
    expect(all.map((c) => c.title)).toEqual([
      'tune',
      'blind',
      'blind, unseen',
      'blind, fresh',
      'blind, new',
      'blind, batch F',
      ...(hasBlind(WRITTEN_AFTER_BATCH_F_WAS_READ) ? ['blind, batch G'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_G_WAS_READ) ? ['blind, batch H'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_H_WAS_READ) ? ['blind, batch I'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_I_WAS_READ) ? ['blind, batch J'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_J_WAS_READ) ? ['blind, batch K'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_K_WAS_READ) ? ['blind, batch L'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_L_WAS_READ) ? ['blind, batch M'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_M_WAS_READ) ? ['blind, batch N'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_N_WAS_READ) ? ['blind, batch O'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_O_WAS_READ) ? ['blind, batch P'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_P_WAS_READ) ? ['blind, batch Q'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_Q_WAS_READ) ? ['blind, batch R'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_R_WAS_READ) ? ['blind, batch S'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_S_WAS_READ) ? ['blind, batch T'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_T_WAS_READ) ? ['blind, batch U'] : []),
      ...(hasBlind(WRITTEN_AFTER_BATCH_U_WAS_READ) ? ['blind, batch V'] : []),
    ]);
    expect((all[1] as (typeof all)[number]).items.length).toBe(
      CORPUS.filter((c) => c.split === 'blind').length,
    );
  });

  test('the hash puts 25–35% of the pages it decides on the blind side', () => {
    // Pages quoted in test/fixtures/holdout are tune whatever their hash (they were used for tuning).
    const pinned = new Set(
      CORPUS.filter((c) => c.file.startsWith('holdout/')).map((c) => normaliseSource(c.source)),
    );
    const decided = new Set(CORPUS.map((c) => normaliseSource(c.source)).filter((p) => !pinned.has(p)));
    const blind = CORPUS.filter((c) => !pinned.has(normaliseSource(c.source)) && c.split === 'blind');
    const blindPages = new Set(blind.map((c) => normaliseSource(c.source)));
    expect(blindPages.size / decided.size).toBeGreaterThanOrEqual(0.25);
    expect(blindPages.size / decided.size).toBeLessThanOrEqual(0.35);
    for (const c of CORPUS.filter((x) => x.file.startsWith('holdout/'))) expect(c.split).toBe('tune');
  });

  test('the split is decided by the page alone: anchor, scheme, "www.", case and trailing slash do not move it', () => {
    const url = 'https://github.com/example/repo/issues/12';
    for (const same of [
      `${url}#issuecomment-99`,
      `${url.toUpperCase()}/`,
      url.replace('https://', 'http://www.'),
    ])
      expect(normaliseSource(same)).toBe(normaliseSource(url));
    expect(hashSplit(`${url}#issuecomment-99`)).toBe(hashSplit(url));
    // And it does split: over many pages, about BLIND_PERCENT% are blind.
    const pages = Array.from({ length: 4000 }, (_, i) => `https://github.com/example/repo/issues/${i}`);
    const share = pages.filter((p) => hashSplit(p) === 'blind').length / pages.length;
    expect(Math.abs(share - BLIND_PERCENT / 100)).toBeLessThan(0.03);
  });

  test('a malformed item is refused with its file and id, not loaded half-read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    mkdirSync(join(dir, 'corpus'));
    writeFileSync(
      join(dir, 'corpus', 'positives-x.yml'),
      '- id: x-1\n  category: pasted\n  platform: meta\n  causes: [made_up]\n  source: https://example.com/a\n  text: hi\n',
    );
    expect(() => loadCorpus(dir)).toThrow(CorpusError);
    expect(() => loadCorpus(dir)).toThrow(/positives-x\.yml: x-1: unknown cause made_up/);
  });
});

describe('diagnosis over the corpus (the guarded tune items)', () => {
  const results = GUARDED_POS.map((c: PositiveCase) => ({ c, d: diagnose(c.text, knowledge) }));
  const negResults = GUARDED_NEG.map((c: NegativeCase) => ({ c, d: diagnose(c.text, knowledge) }));

  test('the seven help-article messages are all diagnosed as login errors with an accepted cause', () => {
    // The contract's requirement, whichever split their page fell in.
    const article = POS.filter((c) => c.id.startsWith('article-')).map((c) => ({
      c,
      d: diagnose(c.text, knowledge),
    }));
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
    if (wrong.length / GUARDED_NEG.length > 0.01) {
      console.log(
        `false positives: ${wrong.map(({ c, d }) => `${c.id} (${d.evidence.join(' | ')})`).join('\n')}`,
      );
    }
    expect(wrong.length / GUARDED_NEG.length).toBeLessThanOrEqual(0.01);
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
