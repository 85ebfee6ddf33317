/**
 * Message shortcut "Diagnose token error" (callback_id `diagnose_message`) on any message, other apps'
 * alerts included (their text is read from blocks and attachments too): the card privately to the
 * person who used it, with a Reply in thread button.
 */
import type { App, MessageShortcut } from '@slack/bolt';
import { ACTION_IDS } from '../../cards';
import { diagnosisFields } from '../../log';
import { answerFor } from '../../slack/explain';
import { cardKeys } from '../../slack/memory';
import { messageText } from '../../slack/message-text';
import { askWithImages, unreadScreenshot } from '../../slack/screenshots';
import type { ListenerDeps } from '../deps';
import { channelOrNull, recordDiagnosis } from '../record';

export const SHORTCUT_CALLBACK_ID = 'diagnose_message';

export function registerDiagnoseMessage(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>(
    { callback_id: SHORTCUT_CALLBACK_ID, type: 'message_action' },
    async ({ shortcut, ack, client, respond, context }) => {
      await ack();
      const channel = shortcut.channel.id;
      const user = shortcut.user.id;
      const log = deps.log.child({ entry: 'shortcut', team: context.teamId, channel, user });
      const read = await askWithImages(deps, shortcut.message, messageText(shortcut.message), {
        typed: false,
        asked: true,
        client,
        images: true,
      });
      const { ask, text } = read;
      if (ask.kind === 'diagnose') log.info('diagnosed', diagnosisFields(ask.analysis.diagnosis));
      const replyTs: string | undefined = shortcut.message.thread_ts;
      const threadTs = replyTs ?? shortcut.message.ts;
      // One key per message, whichever way it was diagnosed (passive, :key:, this shortcut).
      const cardKey = cardKeys.message(channel, shortcut.message.ts);
      const message =
        unreadScreenshot(read) ??
        answerFor(deps.knowledge, ask, {
          share: ACTION_IDS.replyInThread,
          target: { channel, threadTs },
          cardKey,
        });
      await deps.replies.ephemeral(client, {
        channel,
        user,
        // Shown where the person is looking: in the thread when the message is a reply.
        threadTs: replyTs ?? null,
        message,
        respond,
        context: { entry: 'shortcut' },
      });
      if (ask.kind === 'diagnose') {
        await recordDiagnosis(deps, client, {
          team: context.teamId,
          channel: channelOrNull(channel),
          user,
          entryPoint: 'shortcut',
          diagnosis: ask.analysis.diagnosis,
          text,
          cardKey,
        });
      }
    },
  );
}
