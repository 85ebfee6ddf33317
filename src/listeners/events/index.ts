import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';
import { registerAppHomeOpened } from './app-home-opened';
import { registerAppMention } from './app-mention';
import { registerAppUninstalled } from './app-uninstalled';
import { registerReactionAdded } from './reaction-added';
import { registerTeamAccessRevoked } from './team-access-revoked';

export function registerEvents(router: ListenerRouter, deps: ListenerDeps): void {
  registerAppMention(router, deps);
  registerReactionAdded(router, deps);
  registerAppHomeOpened(router, deps);
  registerAppUninstalled(router, deps);
  registerTeamAccessRevoked(router, deps);
}
