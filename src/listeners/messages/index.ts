import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';
import { registerPassive } from './passive';

export function registerMessages(router: ListenerRouter, deps: ListenerDeps): void {
  registerPassive(router, deps);
}
