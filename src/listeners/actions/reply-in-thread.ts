/**
 * "Reply in thread" on the shortcut's private card: post the card publicly in the diagnosed message's
 * thread (credited to whoever clicked), then turn the private card into a short confirmation.
 */
import { ACTION_IDS, decodeShared } from '../../cards';
import { publicCopy } from '../../slack/explain';
import type { ListenerDeps } from '../deps';
import { claimPassive } from '../messages/passive';
import type { ListenerRouter } from '../router';

export function registerReplyInThread(router: ListenerRouter, deps: ListenerDeps): void {
  router.action(ACTION_IDS.replyInThread, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const user = body.user.id;
    const shared = decodeShared(action.value ?? '');
    const target = shared?.target;
    const log = deps.log.child({
      entry: 'reply_in_thread',
      team: context.teamId,
      channel: target?.channel,
      user,
    });
    if (!shared || !target) {
      log.warn('reply button without a card or target');
      await deps.replies.respond(
        respond,
        {
          response_type: 'ephemeral',
          replace_original: false,
          text: "Sorry, I couldn't post that card. Use the shortcut again.",
        },
        { entry: 'reply_in_thread' },
      );
      return;
    }
    const message = publicCopy(deps.knowledge, shared, user);
    const posted = await deps.replies.postInThread(client, {
      channel: target.channel,
      threadTs: target.threadTs,
      message,
      asker: { user, respond },
      context: { entry: 'reply_in_thread' },
    });
    if (!posted.ok) return;
    await claimPassive(deps, target.channel, target.threadTs, shared.diagnosis);
    await deps.replies.respond(
      respond,
      { replace_original: true, text: '✅ Posted the card in the thread.' },
      { entry: 'reply_in_thread' },
    );
  });
}
