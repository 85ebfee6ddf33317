/**
 * From text somebody asked about to the message the bot answers with. Pure and local (no I/O), so
 * listeners can run it right after ack().
 */
import { type CardOptions, type decodeShared, renderCard, renderHelpCard, type SlackMessage } from '../cards';
import { type CustomerLanguage, guessLanguage } from '../cards/customer-reply';
import { analyzeAsked, analyzePassive } from '../diagnosis/asked';
import type { Analysis } from '../diagnosis/diagnose';
import type { Knowledge } from '../diagnosis/knowledge';
import { redactSecrets } from '../diagnosis/redact';

export type Ask =
  | { kind: 'help' }
  | {
      kind: 'diagnose';
      analysis: Analysis;
      /** The language the message was written in, when clear (preselects "Reply to customer"). */
      language?: CustomerLanguage | null;
    };

/** `<@U123>` or `<@U123|name>` for this user id. */
function mentionPattern(userId: string): RegExp {
  const id = userId.replace(/[^A-Za-z0-9]/g, '');
  return new RegExp(`<@${id}(?:\\|[^>]*)?>`, 'g');
}

/** The text without mentions of the bot. */
export function stripMention(text: string, botUserId: string | undefined): string {
  return botUserId ? text.replace(mentionPattern(botUserId), ' ') : text;
}

export function mentionsUser(text: string, userId: string | undefined): boolean {
  return userId ? mentionPattern(userId).test(text) : false;
}

/** Nothing to diagnose: no text, or just "help" / "?". */
export function isBare(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === '' || t === 'help' || t === '?' || t === 'hi' || t === 'hello';
}

export function wantsHelp(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === 'help' || t === '?';
}

/**
 * Explicit request: the help card for nothing/"help" (when the person typed it), else a diagnosis
 * (a card, or "not a login problem"). A message picked by :key: or the shortcut is always diagnosed.
 * `asked`: somebody asked; else passive listening reads it unasked. Each takes the learned model where
 * the rules are silent only when its own setting lets it (src/diagnosis/asked.ts).
 */
export function readAsk(text: string, knowledge: Knowledge, typed = true, asked = true): Ask {
  if (typed && isBare(text)) return { kind: 'help' };
  const analysis = asked ? analyzeAsked(text, knowledge) : analyzePassive(text, knowledge);
  // Only a login card offers the customer reply, so only then is the language worth telling.
  return {
    kind: 'diagnose',
    analysis,
    language: analysis.diagnosis.isTokenError ? guessLanguage(text) : null,
  };
}

export function answerFor(knowledge: Knowledge, ask: Ask, options: CardOptions = {}): SlackMessage {
  if (ask.kind === 'help') return renderHelpCard(knowledge);
  return renderCard(knowledge, ask.analysis.diagnosis, {
    excerpt: ask.analysis.excerpt,
    customerLanguage: ask.language ?? null,
    ...options,
  });
}

/** The public copy of a private card someone shared, credited to them; votes on it count for the same diagnosis. */
export function publicCopy(
  knowledge: Knowledge,
  shared: NonNullable<ReturnType<typeof decodeShared>>,
  sharedBy: string,
): SlackMessage {
  // The button's text was masked when its card was made, but by the rules of that day: a private card
  // from before a rule existed can still be shared, so mask it again before it goes public.
  const evidence = Array.isArray(shared.diagnosis.evidence) ? shared.diagnosis.evidence.map(String) : [];
  const diagnosis = { ...shared.diagnosis, evidence: evidence.map((e) => redactSecrets(e).text) };
  const excerpt = shared.excerpt === null ? null : redactSecrets(shared.excerpt).text;
  return renderCard(knowledge, diagnosis, { excerpt, sharedBy, cardKey: shared.key });
}
