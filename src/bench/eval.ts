/**
 * npm run eval — the engine's figures on the corpus's tune and blind splits side by side, the ablation
 * (rules alone, the learned model alone, both) and the confidence reliability table on the blind split.
 */
import { loadKnowledge } from '../diagnosis/knowledge';
import { type CorpusItem, loadCorpus } from '../eval/corpus';
import { figureCells, measure, reliability, type Verdict } from '../eval/measure';
import { loadModel } from '../eval/model-file';
import { bothVerdict, modelVerdict, rulesVerdict } from '../eval/opinions';

const knowledge = loadKnowledge();
const model = loadModel();
const corpus = loadCorpus();
const splits = {
  tune: corpus.filter((i) => i.split === 'tune'),
  blind: corpus.filter((i) => i.split === 'blind'),
};

const ways: Array<{ name: string; verdict: (text: string) => Verdict }> = [
  { name: 'rules (shipped)', verdict: (t) => rulesVerdict(t, knowledge) },
];
if (model) {
  ways.push({ name: 'model alone', verdict: (t) => modelVerdict(t, model) });
  ways.push({ name: 'rules + model', verdict: (t) => bothVerdict(t, knowledge, model) });
}

const count = (items: CorpusItem[]) =>
  `${items.filter((i) => i.positive).length} positives, ${items.filter((i) => !i.positive).length} negatives`;
console.log(
  `corpus: tune ${count(splits.tune)}; blind ${count(splits.blind)} (split by a hash of the source page)`,
);
console.log('');
console.log(
  `${'split / way'.padEnd(30)} ${['detected', 'cause', 'platform', 'false alarms'].map((h) => h.padStart(13)).join('')}`,
);
const blindVerdicts = new Map<string, Verdict[]>();
for (const split of ['blind', 'tune'] as const) {
  for (const way of ways) {
    const verdicts = splits[split].map((i) => way.verdict(i.text));
    if (split === 'blind') blindVerdicts.set(way.name, verdicts);
    const cells = figureCells(measure(splits[split], verdicts));
    console.log(`${`${split}: ${way.name}`.padEnd(30)} ${cells.map((c) => c.padStart(13)).join('')}`);
  }
}
if (!model) console.log('(no learned model: knowledge/model.json is absent; `npm run train` writes it)');
console.log('');
console.log('cause and platform are counted on the detected positives; the model names no platform.');
console.log('');
for (const [name, verdicts] of blindVerdicts) {
  console.log(
    `reliability on the blind split, ${name}: stated confidence vs. cause right (false alarms count as wrong)`,
  );
  console.log(
    `${'band'.padEnd(10)}${'n'.padStart(6)}${'stated'.padStart(10)}${'observed'.padStart(10)}${'gap'.padStart(8)}`,
  );
  for (const r of reliability(splits.blind, verdicts)) {
    if (r.n === 0) continue;
    const gap = Math.round(100 * (r.accuracy - r.meanConfidence));
    console.log(
      `${r.band.padEnd(10)}${String(r.n).padStart(6)}${`${(100 * r.meanConfidence).toFixed(0)}%`.padStart(10)}${`${(100 * r.accuracy).toFixed(0)}%`.padStart(10)}${`${gap > 0 ? '+' : ''}${gap}`.padStart(8)}`,
    );
  }
  console.log('');
}
