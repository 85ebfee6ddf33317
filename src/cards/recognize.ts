/**
 * Is this message one of tokenfix's own, whoever posted it? Another app that re-posts a card (a
 * forwarder, an echo or digest bot) keeps its blocks — their `tokenfix_` block ids and the contract's
 * action ids — or at least its fallback text, which starts with FALLBACK_MARK. Passive listening must
 * never diagnose these: the card quotes the error, so answering it would answer itself forever.
 */
import type { MessageLike } from '../slack/message-text';
import { ACTION_IDS, BLOCK_ID_PREFIX, FALLBACK_MARK } from './types';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const OUR_ACTION_IDS: ReadonlySet<unknown> = new Set(Object.values(ACTION_IDS));
/** The mark as written, or with the emoji turned into its :key: name as some bridges do. */
const MARKS = [FALLBACK_MARK, FALLBACK_MARK.replace('🔑', ':key:')];

function hasMark(text: unknown): boolean {
  return typeof text === 'string' && MARKS.some((mark) => text.includes(mark));
}

function isOurBlock(block: unknown): boolean {
  if (!isObj(block)) return false;
  if (typeof block.block_id === 'string' && block.block_id.startsWith(BLOCK_ID_PREFIX)) return true;
  return list(block.elements).some((e) => isObj(e) && OUR_ACTION_IDS.has(e.action_id));
}

export function isTokenfixCard(message: MessageLike | null | undefined): boolean {
  if (!message) return false;
  if (hasMark(message.text) || list(message.blocks).some(isOurBlock)) return true;
  return list(message.attachments).some(
    (a) =>
      isObj(a) &&
      (hasMark(a.text) || hasMark(a.fallback) || hasMark(a.pretext) || list(a.blocks).some(isOurBlock)),
  );
}
