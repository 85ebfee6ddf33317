/**
 * npm run agreement — how far two careful readers of a text alone agree with each other and with the
 * corpus's labels, on 500 tune items (test/fixtures/agreement/readings.yml), and the rules judged by
 * both sets of labels. Deterministic, no network, seconds; never reads the blind split.
 */
import { diagnose, loadKnowledge } from '../diagnosis';
import { judgeTwoWays, loadReadings, measureAgreement, type Share } from '../eval/agreement';
import { loadCorpus } from '../eval/corpus';

const pct = (s: Share) => `${s.of ? ((100 * s.n) / s.of).toFixed(1) : '–'}% (${s.n}/${s.of})`;

const corpus = loadCorpus();
const read = loadReadings(corpus);
const blind = read.filter((r) => r.item.split !== 'tune');
if (blind.length > 0) {
  console.error(
    `agreement: ${blind.length} read items are on the blind split; the readings must be tune only`,
  );
  process.exit(1);
}
const a = measureAgreement(read);
console.log(
  `tokenfix agreement: ${a.items} tune items, each read twice from its text alone, blind to the label`,
);
console.log(
  `  reader with reader                    ${pct(a.readersAgree)}, kappa ${a.readersKappa.toFixed(2)}`,
);
console.log(
  `  reader with the corpus                ${pct(a.corpusAgree)}, kappa ${a.corpusKappa.toFixed(2)}`,
);
console.log(
  `  corpus login errors read as one       ${pct(a.positivesReadPositive)}   (a text reader's "detected")`,
);
console.log(
  `  corpus look-alikes read as one        ${pct(a.negativesReadPositive)}   (a text reader's "false alarms")`,
);
console.log(`  of those read as one, cause accepted  ${pct(a.causeAccepted)}`);
console.log(
  `  both readers alike, against the corpus ${a.bothAgainstCorpus[0]} login errors read as not, ${a.bothAgainstCorpus[1]} look-alikes read as login errors`,
);
const knowledge = loadKnowledge();
const two = judgeTwoWays(read, (item) => diagnose(item.text, knowledge).isTokenError);
console.log('the rules as they are, on the items both readers label alike:');
console.log(
  `  by the corpus's labels   detected ${pct(two.byCorpus.detected)}, false alarms ${pct(two.byCorpus.falseAlarms)}`,
);
console.log(
  `  by the readers' labels   detected ${pct(two.byReaders.detected)}, false alarms ${pct(two.byReaders.falseAlarms)}`,
);
