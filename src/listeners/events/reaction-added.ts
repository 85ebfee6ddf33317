/**
 * Reacting with :key: (knowledge `settings.triggerEmoji`) to a message diagnoses it and replies in its
 * thread. Works on other apps' messages too; the bot's own reactions and cards are ignored.
 */
import type { App } from '@slack/bolt';
import { diagnosisFields } from '../../log';
import { answerFor, readAsk } from '../../slack/explain';
import { fetchMessage } from '../../slack/fetch-message';
import { messageText } from '../../slack/message-text';
import type { ListenerDeps } from '../deps';
import { claimPassive } from '../messages/passive';

/** `key::skin-tone-2` is still `key`. */
export function reactionName(reaction: string): string {
  return reaction.split('::')[0] ?? reaction;
}

export function registerReactionAdded(app: App, deps: ListenerDeps): void {
  app.event('reaction_added', async ({ event, client, context }) => {
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

    const ask = readAsk(messageText(target), deps.knowledge, false);
    if (ask.kind === 'diagnose') log.info('diagnosed', diagnosisFields(ask.analysis.diagnosis));
    const threadTs = target.thread_ts ?? ts;
    const posted = await deps.replies.postInThread(client, {
      channel,
      threadTs,
      message: answerFor(deps.knowledge, ask),
      asker: { user: event.user },
      context: { entry: 'reaction' },
    });
    if (posted.ok && ask.kind === 'diagnose')
      await claimPassive(deps, channel, threadTs, ask.analysis.diagnosis);
  });
}
