/**
 * npm run -s languages — the rules on the TUNE split's items written in a language other than English
 * (point 22 of docs/EVALUATION.md), by language: how many login errors are found, with the right cause
 * and platform, and how many look-alikes are flagged. It never reads a blind item: like `npm run misses`
 * it keeps tune only, whatever it is asked.
 *
 *   npm run -s languages                 the figures per language
 *   npm run -s languages -- missed de    also each missed tune item in German (missed | cause | false | all)
 *
 * The language is guessed from the writing: the script (Cyrillic, kana, Han), else which language's
 * common words the text holds most of. A text mostly English with one foreign word stays English.
 */
import { diagnose } from '../diagnosis/diagnose';
import { loadKnowledge } from '../diagnosis/knowledge';
import type { Diagnosis } from '../diagnosis/types';
import { type CorpusCase, isPositive, loadCorpus } from '../eval/corpus';
import { measure, ratio } from '../eval/measure';

/** Words frequent in one language's prose and rare in the others' (and in English). */
// biome-ignore format: a language's words read best on one line each.
const COMMON: Record<string, string[]> = {
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ich', 'mit', 'wird', 'auf', 'sich', 'ein', 'eine', 'werden', 'auch', 'bei', 'nach', 'wieder', 'kann', 'habe', 'mein', 'wenn', 'aber', 'dass', 'noch', 'immer', 'muss', 'sie', 'ihr', 'ihre', 'zu', 'den', 'dem', 'des', 'von', 'wurde', 'sind'],
  fr: ['le', 'les', 'est', 'pas', 'je', 'une', 'des', 'avec', 'pour', 'que', 'sur', 'dans', 'et', 'il', 'mon', 'ne', 'ce', 'du', 'au', 'mais', 'nous', 'vous', 'plus', 'été', 'votre', 'qui', 'cette', 'sont'],
  es: ['el', 'los', 'las', 'que', 'por', 'para', 'una', 'con', 'está', 'pero', 'del', 'se', 'lo', 'como', 'mi', 'ya', 'hay', 'cuando', 'tengo', 'puedo', 'sesión', 'es', 'tu', 'su', 'al', 'y', 'ha'],
  pt: ['não', 'que', 'com', 'uma', 'para', 'está', 'você', 'em', 'mas', 'quando', 'já', 'meu', 'minha', 'ao', 'sessão', 'então', 'isso', 'estou', 'seu', 'sua', 'foi', 'ou', 'é', 'dos', 'das', 'na', 'no'],
  it: ['il', 'che', 'non', 'di', 'è', 'sono', 'della', 'gli', 'ho', 'anche', 'quando', 'mio', 'questo', 'come', 'viene', 'alla', 'nel', 'più', 'dopo', 'stiamo', 'riesco'],
  nl: ['het', 'een', 'niet', 'van', 'ik', 'zijn', 'met', 'wordt', 'en', 'maar', 'ook', 'dat', 'er', 'bij', 'mijn', 'weer', 'opnieuw', 'moet', 'kan', 'geen', 'heb', 'je', 'deze', 'voor', 'naar', 'u', 'uw', 'worden'],
  pl: ['nie', 'się', 'jest', 'że', 'mam', 'czy', 'już', 'przy', 'ale', 'tak', 'mnie', 'jestem', 'może', 'został', 'ponownie', 'dla', 'oraz', 'lub', 'jak', 'od', 'przez', 'są', 'tego', 'aby'],
  // Languages not among point 22's ten, so that their texts are not taken for one of them.
  other: ['og', 'ikke', 'jeg', 'det', 'er', 'du', 'til', 'på', 'att', 'och', 'inte', 'är', 'som', 'je', 'na', 'se', 'po', 'nebo', 'při', 'že', 'yang', 'dan', 'tidak', 'saya', 'bisa', 'ini', 'itu', 'és', 'nem', 'hogy', 'az', 've', 'bir', 'bu'],
  en: ['the', 'is', 'and', 'to', 'it', 'i', 'of', 'a', 'in', 'that', 'this', 'with', 'not', 'my', 'for', 'on', 'have', 'but', 'when', 'after', 'was', 'be', 'are', 'you', 'your', 'if', 'we', 'from', 'an', 'can', 'will', 'or', 'as', 'by'],
};

export function language(text: string): string {
  if (/[\u3040-\u30ff]/.test(text)) return 'ja';
  const han = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  if (han >= 4) return 'zh';
  const cyr = (text.match(/[а-яё]/gi) ?? []).length;
  if (cyr >= 10) return 'ru';
  const words = text.toLowerCase().match(/[a-zà-ÿąćęłńóśźż]+/g) ?? [];
  const counts = new Map<string, number>();
  for (const [lang, list] of Object.entries(COMMON)) {
    const set = new Set(list);
    counts.set(lang, words.filter((w) => set.has(w)).length);
  }
  let best = 'en';
  let bestCount = 0;
  for (const [lang, n] of counts) {
    if (lang === 'en') continue;
    if (n > bestCount) {
      best = lang;
      bestCount = n;
    }
  }
  // Foreign prose: several of its common words, and more than English ones (a report in English around a
  // foreign log line stays English).
  if (bestCount >= 3 && bestCount > (counts.get('en') ?? 0)) return best;
  return 'en';
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.some((a) => /blind/i.test(a))) {
    console.error('languages: the blind split is never read here.');
    process.exit(2);
  }
  const list = args[0] ?? '';
  const only = args[1] ?? null;
  const knowledge = loadKnowledge();
  const tune = loadCorpus().filter((c: CorpusCase) => c.split === 'tune');
  // Per language, the items with the rules' verdicts: measured as `npm run eval` measures (measure()).
  const groups = new Map<string, { items: CorpusCase[]; verdicts: Diagnosis[] }>();
  for (const c of tune) {
    const lang = language(c.text);
    if (lang === 'en') continue;
    const d = diagnose(c.text, knowledge);
    const group = groups.get(lang) ?? { items: [], verdicts: [] };
    groups.set(lang, group);
    group.items.push(c);
    group.verdicts.push(d);
    const show = isPositive(c)
      ? (list === 'missed' && !d.isTokenError) ||
        (list === 'cause' && d.isTokenError && (d.cause === null || !c.causes.includes(d.cause))) ||
        list === 'all'
      : (list === 'false' && d.isTokenError) || list === 'all';
    if (show && (only === null || only === lang)) {
      const what = isPositive(c)
        ? `want ${c.platform}/${c.causes.join('|')}; got ${d.isTokenError ? `${d.platform}/${d.cause}` : 'not a login error'}`
        : `negative (${c.otherKind ?? 'none'}); got ${d.isTokenError ? `${d.platform}/${d.cause}` : 'quiet'}`;
      console.log(`[${lang}] ${c.id} (${c.file}) ${what}`);
      if (d.evidence.length) console.log(`  evidence: ${d.evidence.join(' | ')}`);
      console.log(`  ${c.text.replace(/\s+/g, ' ').trim().slice(0, 600)}`);
      console.log(`  ${c.source}`);
    }
  }
  const line = (name: string, items: CorpusCase[], verdicts: Diagnosis[]) => {
    const f = measure(items, verdicts);
    console.log(
      `${name.padEnd(6)} found ${ratio(f.detected, f.positives)}, cause right ${f.causeRight}, platform right ${f.platformRight}; false alarms ${ratio(f.falseAlarms, f.negatives)}`,
    );
  };
  const sorted = [...groups].sort(([a], [b]) => a.localeCompare(b));
  for (const [lang, g] of sorted) line(lang, g.items, g.verdicts);
  line(
    'all',
    sorted.flatMap(([, g]) => g.items),
    sorted.flatMap(([, g]) => g.verdicts),
  );
}
