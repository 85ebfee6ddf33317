import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { registerDiagnoseTokenError } from './diagnose-token-error';

export function registerFunctions(app: App, deps: ListenerDeps): void {
  registerDiagnoseTokenError(app, deps);
}
