/** Opening the Home tab shows the five ways in, with examples. */
import type { App } from '@slack/bolt';
import { renderHomeView } from '../../cards/home';
import type { ListenerDeps } from '../deps';

/** Publishing again within this time adds nothing: the view is the same. */
export const HOME_REFRESH_MS = 5 * 60_000;

export function registerAppHomeOpened(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    if (!(await deps.claims.claim(`home:${context.teamId ?? '-'}:${event.user}`, HOME_REFRESH_MS))) return;
    await deps.replies.publishHome(client, event.user, renderHomeView(deps.knowledge), {
      entry: 'home',
      team: context.teamId,
    });
  });
}
