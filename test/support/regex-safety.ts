/**
 * What the regex-safety suites share: every regular expression the project runs, by where it is written,
 * and recheck's verdict on one. Every one must run in linear time on any input, checked with recheck (a
 * ReDoS checker whose automaton check is an exact decision and whose fuzzer, used where that can't
 * decide, is a seeded search): the ones written in TypeScript, the ones in the
 * knowledge YAML, and the combined ones the classifier builds from them. Two suites share the list
 * (knowledge/signals.yml's phrases, the slowest to decide, and all the rest) so jest's two workers
 * split the work.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import { compile, refusalWording } from '../../src/diagnosis/compile';
import { loadKnowledge } from '../../src/diagnosis/knowledge';
import { ANY_SHAPE_LITERAL } from '../../src/diagnosis/redact';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Regex literals in TypeScript source: a `/…/flags` after an operator, bracket or `return`. */
const REGEX_LITERAL =
  /(?:^|[=(,:!&|?{};[]|\breturn)\s*\/(?![*/])((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+)\/([dgimsuvy]*)/gm;

function regexLiteralsIn(file: string): { source: string; flags: string }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(REGEX_LITERAL)].map((m) => ({ source: m[1] ?? '', flags: m[2] ?? '' }));
}

/** [where, source, flags] */
export type RegexCase = [string, string, string];

/** The regular expressions written in TypeScript under src/. */
export function codeRegexes(): RegexCase[] {
  const cases: RegexCase[] = [];
  for (const file of sourceFiles(join(__dirname, '..', '..', 'src')))
    for (const r of regexLiteralsIn(file))
      cases.push([file.replace(/^.*\/src\//, 'src/'), r.source, r.flags]);
  return cases;
}

/** knowledge/signals.yml's phrase patterns. */
export function signalRegexes(): RegexCase[] {
  const signals = loadKnowledge().signals;
  const refusal = signals.refusal;
  return [
    ...signals.phrases.map((p): RegexCase => ['knowledge/signals.yml', p.pattern, 'i']),
    ...(refusal
      ? ([
          ['knowledge/signals.yml refusal.wording', refusalWording(refusal.wording).source, 'i'],
          ['knowledge/signals.yml refusal.narrative', refusal.narrative, 'i'],
          ...(['lapsed', 'lapseContext', 'setup'] as const).flatMap((key) =>
            refusal[key].map((cue, i): RegexCase => [`knowledge/signals.yml refusal.${key}[${i}]`, cue, 'i']),
          ),
        ] satisfies RegexCase[])
      : []),
  ];
}

/** The rest of the knowledge's patterns, and the combined ones the classifier and the redactor build. */
export function otherKnowledgeRegexes(): RegexCase[] {
  const knowledge = loadKnowledge();
  const cases: RegexCase[] = [];
  for (const t of knowledge.fixes.traps) if (t.pattern) cases.push(['knowledge/fixes.yml', t.pattern, 'i']);
  for (const p of knowledge.platforms) {
    const file = `knowledge/platforms/${p.id}.yml`;
    for (const s of [...p.signatures, ...p.codeFormats, ...p.phrases.map((x) => x.pattern)])
      cases.push([file, s, 'i']);
  }
  const compiled = compile(knowledge);
  cases.push(['compiled prefilter', compiled.prefilter.source, compiled.prefilter.flags]);
  cases.push(['redactor literal scan (built)', ANY_SHAPE_LITERAL.source, ANY_SHAPE_LITERAL.flags]);
  return cases;
}

/** The automaton's first try: an exact decision, or "unknown" after a second. */
export const AUTOMATON_FIRST_TRY = { checker: 'automaton', timeout: 1_000 } as const;

/**
 * recheck's automaton checker decides a pattern exactly (a proof, not a search) and most of ours in
 * milliseconds, but it gives up on look-around and on very large automata. Its default ("hybrid")
 * mode sends patterns with long bounded repeats ({0,40}) to the fuzzer instead, which takes seconds
 * each; so the automaton gets a first, short try, and whatever it cannot decide there goes to the
 * hybrid check. A pattern passes only on a "safe" verdict from one of them.
 */
export function linearTimeVerdict(source: string, flags: string) {
  const plainFlags = flags.replace(/[gy]/g, '');
  const proof = checkSync(source, plainFlags, AUTOMATON_FIRST_TRY);
  if (proof.status !== 'unknown') return proof;
  // The fuzzer's verdict must not depend on the machine: a fixed seed, and its seeding, incubation and
  // attack phases bounded by their step limits, not by their default wall-clock budgets (100 ms, 250 ms,
  // 1 s). With those, a loaded CI machine cut the search short at different points and one long
  // bounded-repeat pattern came out "vulnerable (fuzz)" there and "safe" on an idle machine, while V8
  // matches its attack string in time linear in its length. The overall budget is only a backstop.
  return checkSync(source, plainFlags, {
    timeout: 180_000,
    randomSeed: 42,
    seedingTimeout: null,
    incubationTimeout: null,
    attackTimeout: null,
  });
}

/** Fails with recheck's finding unless the verdict is "safe". */
export function expectLinearTime(source: string, flags: string): void {
  const result = linearTimeVerdict(source, flags);
  if (result.status !== 'safe') {
    throw new Error(
      `${result.status}: ${JSON.stringify((result as { complexity?: unknown }).complexity ?? result)}`,
    );
  }
}
