import type { Knowledge } from '../diagnosis/knowledge';
import type { Diagnosis } from '../diagnosis/types';
import { type CardOptions, renderDiagnosisCard, renderNotLoginCard } from './card';
import type { SlackMessage } from './types';

export {
  type CardOptions,
  type CardRef,
  cardRef,
  decodePrivateCard,
  decodeShared,
  encodeShared,
  renderNotLoginCard,
} from './card';
export { HELP_EXAMPLES, renderHelpCard } from './help';
export { ACTION_IDS, BLOCK_IDS, type SlackMessage } from './types';

/** The one renderer every entry point uses: a login card, or the short "not a login problem" card. */
export function renderCard(
  knowledge: Knowledge,
  diagnosis: Diagnosis,
  options: CardOptions = {},
): SlackMessage {
  return diagnosis.isTokenError
    ? renderDiagnosisCard(knowledge, diagnosis, options)
    : renderNotLoginCard(knowledge, diagnosis, options);
}
