// The corpus through its one loader (src/eval/corpus.ts), for the tests that only want the messages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type CorpusCase, loadCorpus, negativesOf, positivesOf } from '../../src/eval/corpus';

export type { CorpusCase, NegativeCase, PositiveCase } from '../../src/eval/corpus';

/**
 * A corpus item as a failing test may name it: a tune item by file and id, a blind one only as "a blind
 * item". Blind items are compared, never shown (issue 10).
 */
export const itemName = (c: CorpusCase): string =>
  c.split === 'tune' ? `${c.file} ${c.id}` : 'a blind item';

/** Every positive of test/fixtures, tune and blind. */
export const positives = () => positivesOf(loadCorpus());
/** Every negative of test/fixtures, tune and blind. */
export const negatives = () => negativesOf(loadCorpus());
/** Real channel chat (test/fixtures/channel-chat.yml, not part of the corpus): the texts alone. */
export const channelChat = (): string[] =>
  (
    parse(readFileSync(join(__dirname, '..', 'fixtures', 'channel-chat.yml'), 'utf8')) as { text: string }[]
  ).map((e) => e.text);
