/**
 * Reacting with :key: (knowledge `settings.triggerEmoji`) to a message diagnoses it and replies in its
 * thread. Works on other apps' messages too; the bot's own reactions (the quiet `react` listening mode
 * and outbreaks add :key: themselves) and reactions on its cards are ignored.
 */
import { diagnosisFields } from '../../log';
import { eventHold, settleHolds } from '../../slack/dedupe';
import { answerFor } from '../../slack/explain';
import { fetchMessage } from '../../slack/fetch-message';
import { cardKeys } from '../../slack/memory';
import { messageText } from '../../slack/message-text';
import { redeliveryMayHelp } from '../../slack/replies';
import { askWithImages, unreadScreenshot } from '../../slack/screenshots';
import type { ListenerDeps } from '../deps';
import { claimPassive } from '../messages/passive';
import { channelOrNull, recordDiagnosis } from '../record';
import type { ListenerRouter } from '../router';

/** `key::skin-tone-2` is still `key`. */
export function reactionName(reaction: string): string {
  return reaction.split('::')[0] ?? reaction;
}

export function registerReactionAdded(router: ListenerRouter, deps: ListenerDeps): void {
  router.event('reaction_added', async ({ event, client, context }) => {
    if (reactionName(event.reaction) !== deps.knowledge.settings.triggerEmoji) return;
    if (event.item.type !== 'message') return;
    // The bot's own reactions (quiet mode) and reactions on the bot's own cards never trigger it.
    if (event.user === context.botUserId || event.item_user === context.botUserId) return;
    const { channel, ts } = event.item;
    const log = deps.log.child({ entry: 'reaction', team: context.teamId, channel, user: event.user });

    const target = await fetchMessage(client, channel, ts, log, {});
    if (!target) {
      await deps.replies.ephemeral(client, {
        channel,
        user: event.user,
        message: {
          text: ":warning: I couldn't read that message, so I can't diagnose it. Is it in a channel I'm a member of? Try `/tokenfix <error text>` instead.",
          blocks: [],
        },
        context: { entry: 'reaction' },
      });
      return;
    }
    if (target.user === context.botUserId || (target.bot_id && target.bot_id === context.botId)) return;

    const read = await askWithImages(deps, target, messageText(target), {
      typed: false,
      asked: true,
      client,
      images: true,
    });
    const { ask, text } = read;
    if (ask.kind === 'diagnose') log.info('diagnosed', diagnosisFields(ask.analysis.diagnosis));
    const threadTs = target.thread_ts ?? ts;
    // The same key as passive listening's for this message: it is one diagnosis, however many cards.
    const cardKey = cardKeys.message(channel, ts);
    const posted = await deps.replies.postInThread(client, {
      channel,
      threadTs,
      message: unreadScreenshot(read) ?? answerFor(deps.knowledge, ask, { cardKey }),
      asker: { user: event.user },
      context: { entry: 'reaction' },
    });
    // The event id's claim (app.ts) becomes final only now, or is let go for a redelivery.
    await settleHolds([eventHold(context)], redeliveryMayHelp(posted));
    if (ask.kind !== 'diagnose') return;
    if (posted.ok) await claimPassive(deps, channel, threadTs, ask.analysis.diagnosis);
    await recordDiagnosis(deps, client, {
      team: context.teamId,
      channel: channelOrNull(channel),
      user: event.user ?? null,
      entryPoint: 'reaction',
      diagnosis: ask.analysis.diagnosis,
      text,
      cardKey,
    });
  });
}
