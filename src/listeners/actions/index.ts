import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';
import { registerCancelReminder } from './cancel-reminder';
import { registerCustomerReplyLanguage } from './customer-reply-language';
import { registerExportStats } from './export-stats';
import { registerFeedback } from './feedback';
import { registerRemindBeforeExpiry } from './remind-before-expiry';
import { registerReplyInThread } from './reply-in-thread';
import { registerReplyToCustomer } from './reply-to-customer';
import { registerShareInChannel } from './share-in-channel';

export function registerActions(router: ListenerRouter, deps: ListenerDeps): void {
  registerFeedback(router, deps);
  registerShareInChannel(router, deps);
  registerReplyInThread(router, deps);
  registerReplyToCustomer(router, deps);
  registerCustomerReplyLanguage(router, deps);
  registerRemindBeforeExpiry(router, deps);
  registerCancelReminder(router, deps);
  registerExportStats(router, deps);
}
