import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { registerPassive } from './passive';

export function registerMessages(app: App, deps: ListenerDeps): void {
  registerPassive(app, deps);
}
