/**
 * npm run misses — the rules' misses and false alarms on the TUNE split, item by item, for writing
 * rules from categories of phrasing (issue 10). It never prints a blind item: the blind split is a
 * measurement (`npm run eval`, aggregates only), and reading its misses would make it tuning data.
 *
 *   npm run -s misses                      every kind of miss on tune
 *   npm run -s misses -- missed            login errors not detected
 *   npm run -s misses -- cause             detected, cause not among the accepted ones
 *   npm run -s misses -- platform          detected, platform wrong
 *   npm run -s misses -- false             negatives flagged as login errors
 *   npm run -s misses -- --category own_words   (pasted | own_words | documented)
 */
import { diagnose } from '../diagnosis/diagnose';
import { loadKnowledge } from '../diagnosis/knowledge';
import { CATEGORIES, type Category, isPositive, loadCorpus } from '../eval/corpus';

const KINDS = ['missed', 'cause', 'platform', 'false'] as const;
type Kind = (typeof KINDS)[number];

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.some((a) => /blind/i.test(a)))
  fail('misses: the blind split is never listed item by item (npm run eval prints its aggregate figures).');
const kinds = new Set<Kind>();
let category: Category | null = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === '--category') {
    const c = args[++i];
    if (!CATEGORIES.includes(c as Category)) fail(`misses: --category is one of ${CATEGORIES.join(', ')}`);
    category = c as Category;
  } else if (KINDS.includes(a as Kind)) kinds.add(a as Kind);
  else if (a === 'tune') continue;
  else fail(`misses: unknown argument ${a} (kinds: ${KINDS.join(', ')}; --category <name>)`);
}
if (kinds.size === 0) for (const k of KINDS) kinds.add(k);

const knowledge = loadKnowledge();
// The one filter that matters: tune items only, whatever was asked.
const tune = loadCorpus().filter((c) => c.split === 'tune' && (category === null || c.category === category));

const oneLine = (s: string, max = 400) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

const counts: Record<Kind, number> = { missed: 0, cause: 0, platform: 0, false: 0 };
for (const c of tune) {
  if (c.split !== 'tune') continue; // belt and braces: never print a blind item
  const d = diagnose(c.text, knowledge);
  let kind: Kind | null = null;
  let detail = '';
  if (isPositive(c)) {
    if (!d.isTokenError) {
      kind = 'missed';
      detail = `want ${c.platform}/${c.causes.join('|')}; got ${d.otherKind ?? 'not a login error'} (platform ${d.platform})`;
    } else if (d.cause === null || !c.causes.includes(d.cause)) {
      kind = 'cause';
      detail = `want ${c.causes.join('|')}; got ${d.cause}`;
    } else if (d.platform !== c.platform) {
      kind = 'platform';
      detail = `want ${c.platform}; got ${d.platform}`;
    }
  } else if (d.isTokenError) {
    kind = 'false';
    detail = `negative (${c.otherKind ?? 'none'}) flagged: ${d.platform}/${d.cause}`;
  }
  if (!kind) continue;
  counts[kind]++;
  if (!kinds.has(kind)) continue;
  console.log(`[${kind}] ${c.id} (${c.category}, ${c.file}) ${detail}`);
  if (d.evidence.length) console.log(`  evidence: ${d.evidence.join(' | ')}`);
  console.log(`  ${oneLine(c.text)}`);
  console.log(`  ${c.source}`);
}
console.log(
  `tune${category ? ` (${category})` : ''}: ${tune.length} items; missed ${counts.missed}, cause wrong ${counts.cause}, platform wrong ${counts.platform}, false alarms ${counts.false}`,
);
