// Accuracy on the held-out set (test/fixtures/holdout): real messages collected after the rules were
// written and never used to tune them. node test/support/evaluate-holdout.js [--misses]
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');
const { loadKnowledge, diagnose } = require('../../dist/diagnosis');
const dir = join(__dirname, '..', 'fixtures', 'holdout');
const k = loadKnowledge();
const pos = parse(readFileSync(join(dir, 'positives.yml'), 'utf8')) || [];
const neg = parse(readFileSync(join(dir, 'negatives.yml'), 'utf8')) || [];
const misses = process.argv.includes('--misses');
let detected = 0;
let cause = 0;
let platform = 0;
let fp = 0;
let kind = 0;
for (const c of pos) {
  const d = diagnose(c.text, k);
  detected += d.isTokenError;
  const okCause = d.isTokenError && c.causes.includes(d.cause);
  const okPlatform = d.platform === (c.platform ?? null);
  cause += okCause;
  platform += okPlatform;
  if (misses && (!okCause || !okPlatform))
    console.log(
      `POS ${c.id}: got ${d.isTokenError} ${d.platform}/${d.cause} want ${c.platform}/${c.causes.join('|')}`,
    );
}
for (const c of neg) {
  const d = diagnose(c.text, k);
  fp += d.isTokenError;
  kind += (d.otherKind ?? null) === (c.otherKind ?? null);
  if (misses && d.isTokenError)
    console.log(`NEG ${c.id}: got ${d.platform}/${d.cause} evidence ${JSON.stringify(d.evidence)}`);
}
const pct = (n, of) => `${((100 * n) / of).toFixed(1)}%`;
console.log(
  `held-out positives ${pos.length}: detected ${pct(detected, pos.length)}, cause ${pct(cause, pos.length)}, platform ${pct(platform, pos.length)}; ` +
    `negatives ${neg.length}: false positives ${fp} (${pct(fp, neg.length)}), otherKind right ${pct(kind, neg.length)}`,
);
