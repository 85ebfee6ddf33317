import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { routeListeners } from '../router';
import { registerFeedback } from './feedback';
import { registerReplyInThread } from './reply-in-thread';
import { registerShareInChannel } from './share-in-channel';

/** One Bolt listener for all of these (see ../router.ts). */
export function registerActions(app: App, deps: ListenerDeps): void {
  routeListeners(app, (router) => {
    registerFeedback(router, deps);
    registerShareInChannel(router, deps);
    registerReplyInThread(router, deps);
  });
}
