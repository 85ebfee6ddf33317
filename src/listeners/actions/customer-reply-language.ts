/** The language menu in the "Reply to customer" modal: rewrites the reply in the chosen language. */
import { decodeReplyTarget, isCustomerLanguage, renderReplyModal } from '../../cards/customer-reply';
import { ACTION_IDS } from '../../cards/types';
import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

export function registerCustomerReplyLanguage(router: ListenerRouter, deps: ListenerDeps): void {
  router.action(ACTION_IDS.replyLanguage, async ({ ack, body, action, client }) => {
    await ack();
    // A static_select, routed with the buttons: its choice is in selected_option, not value.
    const choice = (action as unknown as { selected_option?: { value?: unknown } }).selected_option?.value;
    const view = (body as { view?: { id?: string; hash?: string; private_metadata?: string } }).view;
    const target = decodeReplyTarget(view?.private_metadata);
    if (!isCustomerLanguage(choice) || !target || !view?.id) return;
    await deps.replies.updateView(client, {
      viewId: view.id,
      ...(view.hash ? { hash: view.hash } : {}),
      view: renderReplyModal(deps.knowledge, target, choice),
      context: { entry: 'customer_reply', user: body.user.id },
    });
  });
}
