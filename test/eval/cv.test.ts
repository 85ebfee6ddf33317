/**
 * Cross-validation on the tune split (src/eval/cv.ts): folds by source page, deterministic, and an
 * item's out-of-fold opinion never depends on the item itself; the combination is chosen only among
 * those that keep the rules' quality.
 */
import { loadKnowledge } from '../../src/diagnosis';
import { RULES_ONLY } from '../../src/diagnosis/second-opinion';
import { type CorpusCase, loadCorpus, normaliseSource } from '../../src/eval/corpus';
import {
  chooseCombination,
  crossFittedConfidence,
  FOLD_SALT,
  FOLDS,
  fitPlatt,
  foldOf,
  keepsRulesAnswers,
  keepsRulesFalseAlarms,
  keepsRulesQuality,
  modelCardsOf,
  NO_WITHDRAWAL,
  outOfFold,
  type PreparedItem,
  prepare,
} from '../../src/eval/cv';
import type { Figures } from '../../src/eval/measure';

const tune = loadCorpus().filter((c) => c.split === 'tune');

describe('folds', () => {
  test('no source page sits in two folds, and every fold holds a fair share of the tune items', () => {
    const foldsOfPage = new Map<string, Set<number>>();
    for (const c of tune) {
      const page = normaliseSource(c.source);
      const seen = foldsOfPage.get(page) ?? new Set<number>();
      seen.add(foldOf(c.source));
      foldsOfPage.set(page, seen);
    }
    for (const [page, folds] of foldsOfPage) expect([page, folds.size]).toEqual([page, 1]);
    const sizes = Array.from({ length: FOLDS }, (_, f) => tune.filter((c) => foldOf(c.source) === f).length);
    for (const size of sizes) {
      expect(size).toBeGreaterThan(tune.length / FOLDS / 2);
      expect(size).toBeLessThan((tune.length / FOLDS) * 2);
    }
  });

  test('are deterministic and read the page, not how its URL was written', () => {
    const url = 'https://community.example.com/t/token-expired/123';
    expect(foldOf(url)).toBe(foldOf(url));
    expect(foldOf('http://www.Community.example.com/t/token-expired/123/#post-4')).toBe(foldOf(url));
    // Fixed values: a change to the fold hash would silently reshuffle every figure chosen on them.
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => foldOf(`https://example.com/page/${i}`))).toEqual([
      4, 0, 4, 0, 4, 0, 3, 0, 3, 1,
    ]);
  });

  test('another salt gives another assignment, still one fold per page (to see how noisy a figure is)', () => {
    const pages = Array.from({ length: 40 }, (_, i) => `https://example.com/page/${i}`);
    const shipped = pages.map((p) => foldOf(p));
    expect(pages.map((p) => foldOf(p, FOLDS, FOLD_SALT))).toEqual(shipped);
    const other = pages.map((p) => foldOf(p, FOLDS, 'another-salt'));
    expect(other.filter((f, i) => f !== shipped[i]).length).toBeGreaterThan(pages.length / 2);
    expect(foldOf(`${pages[0]}/#post-2`, FOLDS, 'another-salt')).toBe(other[0]);
  });
});

function item(id: string, source: string, text: string, positive: boolean): CorpusCase {
  const common = {
    id,
    source,
    text,
    category: 'own_words' as const,
    file: 'x.yml',
    split: 'tune' as const,
    seenByRules: false,
  };
  return positive ? { ...common, platform: null, causes: ['unknown'] } : { ...common, otherKind: null };
}

describe('out-of-fold opinions', () => {
  const knowledge = loadKnowledge();
  const pages = Array.from({ length: 20 }, (_, i) => `https://example.com/thread/${i}`);
  const base = pages.flatMap((page, i) => [
    item(`p${i}`, page, `my connector keeps asking me to log in again, session expired ${i}`, true),
    item(`n${i}`, page, `the dashboard chart is empty and the export is slow ${i}`, false),
  ]);
  const options = { epochs: 40, names: [] };

  test('are deterministic', () => {
    const a = outOfFold(prepare(base, knowledge), options);
    const b = outOfFold(prepare(base, knowledge), options);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  test("an item's opinion does not move when its own label (or anything on its page) changes", () => {
    const before = outOfFold(prepare(base, knowledge), options);
    // Flip every label on page 3: only models that never saw page 3 score it.
    const flipped = base.map((c) =>
      c.source === pages[3] ? item(c.id, c.source, c.text, !('causes' in c)) : c,
    );
    const after = outOfFold(prepare(flipped, knowledge), options);
    const onPage3 = base.flatMap((c, i) => (c.source === pages[3] ? [i] : []));
    expect(onPage3.length).toBe(2);
    for (const i of onPage3) expect(after[i]).toEqual(before[i]);
    // ...while a model that did see page 3 moves: the check above is not vacuous.
    const elsewhere = base.findIndex((c) => foldOf(c.source) !== foldOf(pages[3] as string));
    expect(after[elsewhere]?.pToken).not.toBe(before[elsewhere]?.pToken);
  });
});

describe('choosing the combination', () => {
  const figures = (f: Partial<Figures>): Figures => ({
    positives: 100,
    detected: 80,
    causeRight: 76,
    platformRight: 72,
    negatives: 200,
    hardNegatives: 150,
    falseAlarms: 10,
    hardFalseAlarms: 8,
    ...f,
  });
  const rules = figures({});

  test('allows half a point more false alarms, and no lower cause or platform rate', () => {
    expect(
      keepsRulesQuality(figures({ detected: 90, causeRight: 86, platformRight: 81, falseAlarms: 11 }), rules),
    ).toBe(true);
    expect(
      keepsRulesQuality(figures({ detected: 90, causeRight: 86, platformRight: 81, falseAlarms: 12 }), rules),
    ).toBe(false);
    expect(keepsRulesQuality(figures({ detected: 90, causeRight: 85, platformRight: 81 }), rules)).toBe(
      false,
    );
    expect(keepsRulesQuality(figures({ detected: 90, causeRight: 86, platformRight: 80 }), rules)).toBe(
      false,
    );
  });

  test('the false-alarms-only limit lets cause and platform rates drop', () => {
    expect(
      keepsRulesFalseAlarms(
        figures({ detected: 90, causeRight: 80, platformRight: 70, falseAlarms: 11 }),
        rules,
      ),
    ).toBe(true);
    expect(keepsRulesFalseAlarms(figures({ detected: 90, falseAlarms: 12 }), rules)).toBe(false);
  });

  test('the shipping test counts right answers: more cards with cause unknown pass, fewer right ones fail', () => {
    // rules: 80 detected, 76 with the right cause, 72 with the right platform.
    expect(
      keepsRulesAnswers(figures({ detected: 95, causeRight: 76, platformRight: 72, falseAlarms: 11 }), rules),
    ).toBe(true);
    expect(keepsRulesAnswers(figures({ detected: 95, causeRight: 75, platformRight: 80 }), rules)).toBe(
      false,
    );
    expect(keepsRulesAnswers(figures({ detected: 95, causeRight: 80, platformRight: 71 }), rules)).toBe(
      false,
    );
    expect(
      keepsRulesAnswers(figures({ detected: 95, causeRight: 80, platformRight: 80, falseAlarms: 12 }), rules),
    ).toBe(false);
  });

  test('keeps the rules alone when the model only adds false alarms', () => {
    const knowledge = loadKnowledge();
    const prepared: PreparedItem[] = prepare(
      [
        item('p', 'https://example.com/a', 'Error validating access token: Session has expired', true),
        item('n1', 'https://example.com/b', 'lunch is at noon in the big room', false),
        item('n2', 'https://example.com/c', 'the meeting moved to Tuesday', false),
      ],
      knowledge,
    );
    const sure = { pToken: 0.99, causes: [{ cause: 'unknown' as const, p: 0.9 }] };
    const choice = chooseCombination(prepared, [sure, sure, sure]);
    expect(choice.combination.detectAbove).toBe(RULES_ONLY.detectAbove);
    expect(choice.combination.causeAbove).toBe(RULES_ONLY.causeAbove);
    expect(choice.modelCards).toBe(0);
  });

  test('withdraws a login error the rules found on wording alone when that makes room for the model’s detections (point 21)', () => {
    const knowledge = loadKnowledge();
    // Made-up texts: the rules call n1 a login error on its wording and are silent on p2 and n2.
    const prepared: PreparedItem[] = prepare(
      [
        item('p1', 'https://example.com/a', 'Error validating access token: Session has expired', true),
        item(
          'n1',
          'https://example.com/b',
          'We wrote a test where the refresh token expired on purpose',
          false,
        ),
        item('p2', 'https://example.com/c', 'the dashboard stopped pulling our ads spend last week', true),
        item('n2', 'https://example.com/d', 'the dashboard stopped pulling data during the outage', false),
      ],
      knowledge,
    );
    expect(prepared.map((p) => p.rules.diagnosis.isTokenError)).toEqual([true, true, false, false]);
    const opinion = (pToken: number) => ({ pToken, causes: [{ cause: 'unknown' as const, p: 0.9 }] });
    const opinions = [opinion(0.99), opinion(0.1), opinion(0.9), opinion(0.9)];
    // Without withdrawing, adding p2 would add n2's false alarm: the rules stay alone.
    const before = chooseCombination(prepared, opinions, keepsRulesAnswers, NO_WITHDRAWAL);
    expect(before.combination.detectAbove).toBe(RULES_ONLY.detectAbove);
    // Withdrawing n1 takes a false alarm away, so p2 (and n2) can be called: one more found, none more raised.
    const after = chooseCombination(prepared, opinions);
    expect(after.combination.withdrawBelow).toBeGreaterThan(0.1);
    expect(after.combination.detectAbove).toBeLessThanOrEqual(0.9);
    expect([after.figures.detected, after.figures.falseAlarms]).toEqual([2, 1]);
  });

  test('Platt scaling is deterministic and moves stated confidence towards what the cards show', () => {
    // Cards that say 0.9 and are right half the time.
    const cards = Array.from({ length: 40 }, (_, i) => ({ raw: 0.9, right: i % 2 === 0 }));
    const fit = fitPlatt(cards);
    expect(fitPlatt(cards)).toEqual(fit);
    const stated = 1 / (1 + Math.exp(-(fit.a * Math.log(0.9 / 0.1) + fit.b)));
    expect(stated).toBeGreaterThan(0.4);
    expect(stated).toBeLessThan(0.6);
    expect(fitPlatt([])).toEqual({ a: 1, b: 0 });
  });

  // Texts the rules are silent on (no code, no other problem), so only the model can speak.
  const silent = (i: number, positive: boolean) =>
    item(
      `${positive ? 'p' : 'n'}${i}`,
      `https://example.com/silent/${positive ? 'p' : 'n'}/${i}`,
      positive ? `our weekly report stopped arriving ${i}` : `lunch moved to the small room ${i}`,
      positive,
    );

  test("the model's stated confidence is fitted on the cards it gives, not on every item it could have spoken on", () => {
    const prepared = prepare(
      [
        ...Array.from({ length: 6 }, (_, i) => silent(i, true)),
        ...Array.from({ length: 30 }, (_, i) => silent(i, false)),
      ],
      loadKnowledge(),
    );
    expect(
      prepared.every((p) => !p.rules.diagnosis.isTokenError && p.rules.diagnosis.otherKind === null),
    ).toBe(true);
    // The positives score 0.95, the negatives 0.6: below any threshold that keeps the false alarms.
    const opinions = prepared.map((p) => ({
      pToken: 'causes' in p.item ? 0.95 : 0.6,
      causes: [{ cause: 'unknown' as const, p: 0.9 }],
    }));
    const choice = chooseCombination(prepared, opinions);
    const cards = modelCardsOf(prepared, opinions, choice.combination);
    expect(cards.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(cards.every((c) => c.right)).toBe(true);
    expect(choice.modelCards).toBe(6);
    expect(choice.combination.confidence).toEqual(fitPlatt(cards));
    // The pool it was fitted on before (every item it could have spoken on) would have pulled it down.
    const pool = opinions.map((o, i) => ({ raw: o.pToken, right: i < 6 }));
    expect(fitPlatt(pool)).not.toEqual(choice.combination.confidence);
  });

  test("a card's cross-fitted confidence comes from the other folds' cards only", () => {
    const candidates = Array.from({ length: 40 }, (_, i) => silent(i, true));
    const foldA = foldOf((candidates[0] as CorpusCase).source);
    const inA = candidates.filter((c) => foldOf(c.source) === foldA).slice(0, 10);
    const elsewhere = candidates.filter((c) => foldOf(c.source) !== foldA).slice(0, 10);
    const prepared = prepare([...inA, ...elsewhere], loadKnowledge());
    // Fold A's cards are all right, the others all wrong, at the same raw score.
    const cards = prepared.map((_, index) => ({ index, raw: 0.8, right: index < inA.length }));
    const stated = crossFittedConfidence(prepared, cards);
    expect(crossFittedConfidence(prepared, cards)).toEqual(stated);
    for (let i = 0; i < inA.length; i++) expect(stated[i]).toBeLessThan(0.5);
    const ofA = fitPlatt(cards.slice(0, inA.length));
    expect(1 / (1 + Math.exp(-(ofA.a * Math.log(4) + ofA.b)))).toBeGreaterThan(0.8);
  });
});
