/** Every listener, registered on one Bolt app. */
import type { App } from '@slack/bolt';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import type { ListenerDeps } from './deps';
import { registerEvents } from './events';
import { registerFunctions } from './functions';
import { registerMessages } from './messages';
import { routeListeners } from './router';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';

export type { BotSettings, InstallContext, InstallLifecycle, ListenerDeps } from './deps';

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
  // Events, messages and buttons through one router: one Bolt listener per kind (see ./router.ts).
  routeListeners(app, (router) => {
    registerEvents(router, deps);
    registerMessages(router, deps);
    registerActions(router, deps);
  });
  registerShortcuts(app, deps);
  registerViews(app, deps);
  registerFunctions(app, deps);
}
