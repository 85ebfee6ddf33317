import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { registerCustomerReplyView } from './customer-reply';

/** Modal submissions (`view_submission`), one file per modal. */
export function registerViews(app: App, deps: ListenerDeps): void {
  registerCustomerReplyView(app, deps);
}
