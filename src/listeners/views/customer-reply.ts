/**
 * The "Reply to customer" modal submitted: post the agent's (edited) text in the customer's thread,
 * credited to the agent. In a Slack Connect channel that thread is where the customer reads it.
 * The text is the agent's own: it is posted, never logged or stored.
 */
import type { App } from '@slack/bolt';
import { customerReplyMessage, decodeReplyTarget, REPLY_MODAL } from '../../cards/customer-reply';
import type { ListenerDeps } from '../deps';

type StateValues = Record<string, Record<string, { value?: string | null }>>;

/** The reply text, from whichever language's text block the modal showed last. */
function submittedText(values: StateValues): { blockId: string; text: string } | null {
  for (const [blockId, inputs] of Object.entries(values)) {
    if (!blockId.startsWith(REPLY_MODAL.textBlock)) continue;
    return { blockId, text: inputs[REPLY_MODAL.textInput]?.value ?? '' };
  }
  return null;
}

export function registerCustomerReplyView(app: App, deps: ListenerDeps): void {
  app.view(REPLY_MODAL.callbackId, async ({ ack, body, view, client, context }) => {
    const user = body.user.id;
    const target = decodeReplyTarget(view.private_metadata);
    const submitted = submittedText(view.state.values as StateValues);
    if (!submitted?.text.trim()) {
      await ack({
        response_action: 'errors',
        errors: { [submitted?.blockId ?? `${REPLY_MODAL.textBlock}_en`]: 'Write something to send first.' },
      });
      return;
    }
    if (!target) {
      await ack({
        response_action: 'errors',
        errors: {
          [submitted.blockId]: 'Sorry, I lost track of where this goes. Open it again from the card.',
        },
      });
      return;
    }
    await ack();
    const log = deps.log.child({
      entry: 'customer_reply',
      team: context.teamId,
      channel: target.channel,
      user,
    });
    const posted = await deps.replies.postInThread(client, {
      channel: target.channel,
      threadTs: target.threadTs,
      message: customerReplyMessage(submitted.text, user),
      asker: { user },
      context: { entry: 'customer_reply' },
    });
    if (posted.ok)
      log.info('customer reply sent', { platform: target.subject.platform, cause: target.subject.cause });
  });
}
