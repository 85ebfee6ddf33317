// The corpus through its one loader (src/eval/corpus.ts), for the tests that only want the messages.
import { loadCorpus, negativesOf, positivesOf } from '../../src/eval/corpus';

export type { CorpusCase, NegativeCase, PositiveCase } from '../../src/eval/corpus';

/** Every positive of test/fixtures, tune and blind. */
export const positives = () => positivesOf(loadCorpus());
/** Every negative of test/fixtures, tune and blind. */
export const negatives = () => negativesOf(loadCorpus());
