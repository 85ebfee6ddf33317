import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { registerTokenfixCommand } from './tokenfix';

export function registerCommands(app: App, deps: ListenerDeps): void {
  registerTokenfixCommand(app, deps);
}
