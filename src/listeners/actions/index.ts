import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { registerFeedback } from './feedback';
import { registerReplyInThread } from './reply-in-thread';
import { registerShareInChannel } from './share-in-channel';

export function registerActions(app: App, deps: ListenerDeps): void {
  registerFeedback(app, deps);
  registerShareInChannel(app, deps);
  registerReplyInThread(app, deps);
}
