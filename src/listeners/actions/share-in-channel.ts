/**
 * "Share in channel" on a private /tokenfix card: post a fresh public card (credited to whoever shared
 * it, rebuilt from the redacted diagnosis in the button, never from the pasted text), then delete the
 * private one. Where the bot isn't a member, the response_url posts it in the channel instead.
 */
import { ACTION_IDS, decodeShared } from '../../cards';
import { publicCopy } from '../../slack/explain';
import { failureNotice } from '../../slack/replies';
import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

export function registerShareInChannel(router: ListenerRouter, deps: ListenerDeps): void {
  router.action(ACTION_IDS.shareInChannel, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const user = body.user.id;
    const container = (body.container ?? {}) as { channel_id?: string };
    const channel = body.channel?.id ?? container.channel_id;
    const log = deps.log.child({ entry: 'share', team: context.teamId, channel, user });
    const shared = decodeShared(action.value ?? '');
    if (!shared || !channel) {
      log.warn('share button without a card');
      await deps.replies.respond(
        respond,
        {
          response_type: 'ephemeral',
          replace_original: false,
          text: "Sorry, I couldn't share that card. Run `/tokenfix` again.",
        },
        { entry: 'share' },
      );
      return;
    }
    const message = publicCopy(deps.knowledge, shared, user);
    const posted = await deps.replies.postInThread(client, {
      channel,
      threadTs: null,
      message,
      context: { entry: 'share' },
    });
    if (posted.ok) {
      await deps.replies.respond(respond, { delete_original: true }, { entry: 'share' });
      return;
    }
    // Not a member here (a slash command works anywhere): the response_url may still post publicly.
    const viaUrl = await deps.replies.respond(
      respond,
      { response_type: 'in_channel', replace_original: false, ...message },
      { entry: 'share' },
    );
    if (viaUrl) {
      await deps.replies.respond(respond, { delete_original: true }, { entry: 'share' });
      return;
    }
    await deps.replies.respond(
      respond,
      {
        response_type: 'ephemeral',
        replace_original: false,
        text: `:warning: ${failureNotice(posted.failure, channel)}`,
      },
      { entry: 'share' },
    );
  });
}
