import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { routeListeners } from '../router';
import { registerAppHomeOpened } from './app-home-opened';
import { registerAppMention } from './app-mention';
import { registerAppUninstalled } from './app-uninstalled';
import { registerReactionAdded } from './reaction-added';

/** One Bolt listener for all of these (see ../router.ts). */
export function registerEvents(app: App, deps: ListenerDeps): void {
  routeListeners(app, (router) => {
    registerAppMention(router, deps);
    registerReactionAdded(router, deps);
    registerAppHomeOpened(router, deps);
    registerAppUninstalled(router, deps);
  });
}
