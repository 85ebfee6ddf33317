import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { registerAppHomeOpened } from './app-home-opened';
import { registerAppMention } from './app-mention';
import { registerAppUninstalled } from './app-uninstalled';
import { registerReactionAdded } from './reaction-added';

export function registerEvents(app: App, deps: ListenerDeps): void {
  registerAppMention(app, deps);
  registerReactionAdded(app, deps);
  registerAppHomeOpened(app, deps);
  registerAppUninstalled(app, deps);
}
