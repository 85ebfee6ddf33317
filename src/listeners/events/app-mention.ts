/**
 * @tokenfix <error text>: diagnose the text (without the mention) and reply in the thread.
 * A bare mention inside a thread diagnoses the thread's first message (fetched alone); a bare mention
 * elsewhere gets the help card.
 */
import { renderHelpCard } from '../../cards';
import { isTokenfixCard } from '../../cards/recognize';
import { diagnosisFields } from '../../log';
import { dedupeKeys, eventHold, replyHeld } from '../../slack/dedupe';
import { answerFor, isBare, stripMention, wantsHelp } from '../../slack/explain';
import { fetchThreadParent } from '../../slack/fetch-message';
import { cardKeys } from '../../slack/memory';
import { messageText } from '../../slack/message-text';
import { redeliveryMayHelp } from '../../slack/replies';
import { askWithImages, possibleImages, unreadScreenshot } from '../../slack/screenshots';
import type { ListenerDeps } from '../deps';
import { claimPassive } from '../messages/passive';
import { recordDiagnosis } from '../record';
import type { ListenerRouter } from '../router';

export function registerAppMention(router: ListenerRouter, deps: ListenerDeps): void {
  router.event('app_mention', async ({ event, client, context }) => {
    const { channel, ts } = event;
    if (!channel || !ts) return;
    // Our own posts never count (a card quoting "@tokenfix" must not answer itself).
    if (event.user === context.botUserId || (event.bot_id && event.bot_id === context.botId)) return;
    // Another app re-posting our card with a mention would be answered round after round; a person
    // mentioning us on one asked, and is answered (once, like any mention).
    if (event.bot_id && isTokenfixCard(event)) {
      deps.log.debug('own card posted again by an app, not answered', {
        entry: 'mention',
        team: context.teamId,
        channel,
        ts,
      });
      return;
    }
    // Slack also sends this message as a `message` event: one message, one answer. Held (with the
    // event id's claim from app.ts) until the reply is posted.
    const held = await deps.claims.hold([
      { key: dedupeKeys.message(channel, ts), ttlMs: deps.settings.eventTtlMs },
    ]);
    if (held.won === 0) return;

    const threadTs = event.thread_ts ?? ts;
    // The event id's claim (app.ts) is settled with the message's.
    const { ask, text, cardKey, posted } = await replyHeld(
      [held, eventHold(context)],
      async () => {
        const log = deps.log.child({ entry: 'mention', team: context.teamId, channel, user: event.user });
        const mentionText = stripMention(messageText(event), context.botUserId);
        const images = { typed: true, asked: true, client, images: true };
        // The message diagnosed: this one (its text or its screenshot), or the thread's first one for a
        // bare mention in a thread.
        let diagnosedTs = ts;
        let read = await askWithImages(deps, event, mentionText, images);
        if (
          read.ask.kind === 'help' &&
          !wantsHelp(mentionText) &&
          event.thread_ts &&
          event.thread_ts !== ts
        ) {
          const parent = await fetchThreadParent(client, channel, event.thread_ts, log, {});
          const parentText = parent ? stripMention(messageText(parent), context.botUserId) : '';
          if (parent && (!isBare(parentText) || possibleImages(parent).length > 0)) {
            read = await askWithImages(deps, parent, parentText, images);
            diagnosedTs = event.thread_ts;
          }
        }
        const { ask, text } = read;
        const cardKey = cardKeys.message(channel, diagnosedTs);
        const message =
          unreadScreenshot(read) ??
          (ask.kind === 'help'
            ? renderHelpCard(deps.knowledge)
            : answerFor(deps.knowledge, ask, { cardKey }));
        if (ask.kind === 'diagnose') log.info('diagnosed', diagnosisFields(ask.analysis.diagnosis));
        else log.info('help asked');
        const posted = await deps.replies.postInThread(client, {
          channel,
          threadTs,
          message,
          ...(event.user ? { asker: { user: event.user } } : {}),
          context: { entry: 'mention' },
        });
        return { ask, text, cardKey, posted };
      },
      (r) => redeliveryMayHelp(r.posted),
    );
    if (ask.kind !== 'diagnose') return;
    // Passive listening need not repeat this card in the same thread.
    if (posted.ok) await claimPassive(deps, channel, threadTs, ask.analysis.diagnosis);
    await recordDiagnosis(deps, client, {
      team: context.teamId,
      channel,
      user: event.user ?? null,
      entryPoint: 'mention',
      diagnosis: ask.analysis.diagnosis,
      text,
      cardKey,
    });
  });
}
