import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { registerDiagnoseMessage } from './diagnose-message';

export function registerShortcuts(app: App, deps: ListenerDeps): void {
  registerDiagnoseMessage(app, deps);
}
