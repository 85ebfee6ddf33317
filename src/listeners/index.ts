/** Every listener, registered on one Bolt app. */
import type { App } from '@slack/bolt';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import type { ListenerDeps } from './deps';
import { registerEvents } from './events';
import { registerFunctions } from './functions';
import { registerMessages } from './messages';
import { registerShortcuts } from './shortcuts';

export type { BotSettings, InstallContext, InstallLifecycle, ListenerDeps } from './deps';

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
  registerEvents(app, deps);
  registerMessages(app, deps);
  registerShortcuts(app, deps);
  registerActions(app, deps);
  registerFunctions(app, deps);
}
