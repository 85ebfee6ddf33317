// The tune split's misses, for working on the rules: node test/support/evaluate.js [--all]
// (npm run build first). Blind items are never printed: a rule written from a blind miss would make the
// blind figures of `npm run eval` worthless. The corpus test is what CI holds the engine to.
const { loadCorpus, isPositive } = require('../../dist/eval/corpus');
const { loadKnowledge, diagnose } = require('../../dist/diagnosis');

const k = loadKnowledge();
const tune = loadCorpus().filter((c) => c.split === 'tune');
const show = process.argv.includes('--all');
const line = (t) => t.replace(/\s+/g, ' ').slice(0, 160);
let pos = 0;
let neg = 0;
let detect = 0;
let cause = 0;
let plat = 0;
let fp = 0;
for (const c of tune) {
  const d = diagnose(c.text, k);
  if (isPositive(c)) {
    pos++;
    const okC = d.isTokenError && c.causes.includes(d.cause);
    const okP = d.platform === c.platform;
    detect += d.isTokenError;
    cause += okC;
    plat += okP;
    if (!okC || !okP)
      console.log(
        `POS ${c.id}: got token=${d.isTokenError} ${d.platform}/${d.cause}${d.otherKind ? ` other=${d.otherKind}` : ''} want ${c.platform}/${c.causes.join('|')} :: ${line(c.text)}`,
      );
  } else {
    neg++;
    if (d.isTokenError) {
      fp++;
      console.log(
        `NEG ${c.id}: got ${d.platform}/${d.cause} ev=${JSON.stringify(d.evidence)} :: ${line(c.text)}`,
      );
    } else if (show && d.otherKind !== c.otherKind)
      console.log(`NEGKIND ${c.id}: got ${d.otherKind} want ${c.otherKind}`);
  }
}
const pct = (n, of) => `${((100 * n) / of).toFixed(1)}%`;
console.log(
  `tune positives ${pos}: detected ${pct(detect, pos)}, cause ${pct(cause, pos)}, platform ${pct(plat, pos)}; negatives ${neg}: false alarms ${fp} (${pct(fp, neg)})`,
);
