// Quick corpus report for development: node test/support/evaluate.js [--all]
// (The corpus test in test/diagnosis/corpus.test.ts is what CI holds the engine to.)
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');
const { loadKnowledge, diagnose } = require('../../dist/diagnosis');
const dir = join(__dirname, '..', 'fixtures', 'corpus');
const k = loadKnowledge();
const pos = readdirSync(dir)
  .filter((f) => f.startsWith('positives') || f === 'help-article.yml')
  .flatMap((f) => parse(readFileSync(join(dir, f), 'utf8')) || []);
const neg = parse(readFileSync(join(dir, 'negatives.yml'), 'utf8')) || [];
let detect = 0,
  cause = 0,
  plat = 0,
  fp = 0;
const show = process.argv.includes('--all');
for (const c of pos) {
  const d = diagnose(c.text, k);
  const okD = d.isTokenError,
    okC = okD && c.causes.includes(d.cause),
    okP = d.platform === (c.platform ?? null);
  detect += okD;
  cause += okC;
  plat += okP;
  if (!okD || !okC || !okP)
    console.log(
      `POS ${c.id}: got token=${d.isTokenError} ${d.platform}/${d.cause}${d.otherKind ? ` other=${d.otherKind}` : ''} want ${c.platform}/${c.causes.join('|')} :: ${c.text.replace(/\s+/g, ' ').slice(0, 160)}`,
    );
}
for (const c of neg) {
  const d = diagnose(c.text, k);
  if (d.isTokenError) {
    fp++;
    console.log(
      `NEG ${c.id}: got ${d.platform}/${d.cause} ev=${JSON.stringify(d.evidence)} :: ${c.text.replace(/\s+/g, ' ').slice(0, 160)}`,
    );
  } else if (show && (d.otherKind ?? null) !== (c.otherKind ?? null))
    console.log(`NEGKIND ${c.id}: got ${d.otherKind} want ${c.otherKind}`);
}
console.log(
  `positives ${pos.length}: detected ${detect}, cause ${cause} (${((100 * cause) / pos.length).toFixed(1)}%), platform ${plat} (${((100 * plat) / pos.length).toFixed(1)}%); negatives ${neg.length}: false positives ${fp} (${((100 * fp) / neg.length).toFixed(1)}%)`,
);
