/**
 * "Reply to customer" on a card: opens a modal with the customer-facing version of the diagnosis, in
 * the customer's language when their message showed it, else the clicking agent's Slack locale, else
 * English. The reply goes to the customer's thread: the card's own thread, or for a private shortcut
 * card the message it was asked about; a slash command's card has no thread, so the channel.
 */
import type { WebClient } from '@slack/web-api';
import { decodeCustomerButton } from '../../cards/card';
import {
  type CustomerLanguage,
  isCustomerLanguage,
  languageFromLocale,
  renderReplyModal,
} from '../../cards/customer-reply';
import { ACTION_IDS } from '../../cards/types';
import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

/** The agent's Slack locale (users.info with include_locale; needs users:read), or null. */
async function agentLanguage(client: WebClient, user: string): Promise<CustomerLanguage | null> {
  try {
    const res = await client.users.info({ user, include_locale: true });
    return languageFromLocale((res.user as { locale?: unknown } | undefined)?.locale);
  } catch {
    return null;
  }
}

interface CardMessage {
  ts?: string;
  thread_ts?: string;
}

export function registerReplyToCustomer(router: ListenerRouter, deps: ListenerDeps): void {
  router.action(ACTION_IDS.replyToCustomer, async ({ ack, body, action, client, context }) => {
    await ack();
    const user = body.user.id;
    const container = (body.container ?? {}) as {
      channel_id?: string;
      thread_ts?: string;
      message_ts?: string;
    };
    const channel = body.channel?.id ?? container.channel_id;
    const log = deps.log.child({ entry: 'customer_reply', team: context.teamId, channel, user });
    const button = decodeCustomerButton(action.value);
    if (!button || !channel) {
      log.warn('reply-to-customer button without a card');
      return;
    }
    const message = (body.message ?? {}) as CardMessage;
    const target = button.target ?? {
      channel,
      // A card in a thread answers in that thread; a top-level card (a private slash command card) in the channel.
      threadTs: message.thread_ts ?? container.thread_ts ?? null,
    };
    const language = isCustomerLanguage(button.language)
      ? button.language
      : ((await agentLanguage(client, user)) ?? 'en');
    const view = renderReplyModal(
      deps.knowledge,
      { channel: target.channel, threadTs: target.threadTs, subject: button.subject },
      language,
    );
    if (!body.trigger_id) {
      log.warn('reply-to-customer click without a trigger_id');
      return;
    }
    await deps.replies.openView(client, body.trigger_id, view, { entry: 'customer_reply', channel, user });
  });
}
