/**
 * npm run first-reading — reads a new batch of corpus files with the rules as they stand, before any rule
 * is written from it, and adds that reading to test/fixtures/first-readings.yml (src/eval/first-readings.ts).
 * Run it once per batch, right after its files are added and before any change to knowledge/ or
 * src/diagnosis/. `npm run calibrate` then measures the stated confidence on every first reading.
 *
 *   node dist/bench/first-reading.js [--rules DIST] [--at COMMIT] [--readings FILE] corpus/FILE.yml ...
 *
 * --rules reads with another build's engine and knowledge (a `dist` folder built from an older commit,
 * as the batches added before this script existed were read: docs/EVALUATION.md, "Calibrated confidence");
 * --at names that commit (default: this checkout's HEAD); --readings writes another file than
 * test/fixtures/first-readings.yml.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { analyze } from '../diagnosis/diagnose';
import { loadKnowledge } from '../diagnosis/knowledge';
import { loadCorpus } from '../eval/corpus';
import {
  FIRST_READINGS_FILE,
  FirstReadingsError,
  loadFirstReadings,
  type ReadCard,
  readBatch,
  saveFirstReadings,
} from '../eval/first-readings';

function usage(problem: string): never {
  console.error(`first-reading: ${problem}`);
  console.error('usage: first-reading [--rules DIST] [--at COMMIT] [--readings FILE] corpus/FILE.yml ...');
  process.exit(2);
}

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (!value || value.startsWith('--')) usage(`${name} needs a value`);
  argv.splice(at, 2);
  return value;
};
const rulesDist = option('--rules');
const readingsFile = option('--readings') ?? FIRST_READINGS_FILE;
const givenAt = option('--at');
if (argv.length === 0) usage('name the batch’s fixture files');
const at = givenAt ?? headCommit();

function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return usage('not a git checkout: name the commit whose rules read the batch with --at');
  }
}

/** The engine that reads: this build's, or the one in --rules (its own knowledge/ beside it). */
function reader(): (text: string) => ReadCard {
  if (!rulesDist) {
    const knowledge = loadKnowledge();
    return (text) => {
      const { diagnosis, decidedBy } = analyze(text, knowledge);
      return { isTokenError: diagnosis.isTokenError, cause: diagnosis.cause, decidedBy };
    };
  }
  const dist = resolve(rulesDist);
  const old = {
    ...(require(join(dist, 'diagnosis', 'diagnose.js')) as { analyze: typeof analyze }),
    ...(require(join(dist, 'diagnosis', 'knowledge.js')) as { loadKnowledge: typeof loadKnowledge }),
  };
  const knowledge = old.loadKnowledge();
  return (text) => {
    const { diagnosis, decidedBy } = old.analyze(text, knowledge);
    return { isTokenError: diagnosis.isTokenError, cause: diagnosis.cause, decidedBy };
  };
}

/** A first reading is by committed rules: refuses while knowledge/ or src/diagnosis/ has edits. */
function refuseUncommittedRules(): void {
  let changed: string;
  try {
    changed = execFileSync('git', ['status', '--porcelain', '--', 'knowledge', 'src/diagnosis'], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
  } catch {
    return; // not a git checkout: --at names the commit, as the usage asks
  }
  if (changed.trim())
    usage('knowledge/ or src/diagnosis/ has uncommitted changes; read with committed rules');
}

try {
  if (!rulesDist) refuseUncommittedRules();
  const readings = loadFirstReadings(readingsFile);
  const again = argv.filter((f) => readings.some((r) => r.batch.includes(f)));
  if (again.length > 0) usage(`${again.join(', ')} already had its first reading`);
  const reading = readBatch(loadCorpus(), argv, at, reader());
  saveFirstReadings([...readings, reading], readingsFile);
  console.log(
    `first reading at ${at}: ${reading.tuneItems} tune items of ${argv.join(', ')}, ${Object.keys(reading.cards).length} cards`,
  );
} catch (e) {
  if (e instanceof FirstReadingsError) usage(e.message);
  throw e;
}
