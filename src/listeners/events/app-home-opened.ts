/**
 * Opening the Home tab shows the workspace's figures (login errors over 7 and 30 days, fix rate, the
 * channels with most errors, cards still broken) and the five ways in. Also re-published after every
 * feedback click, for whoever clicked.
 */
import type { WebClient } from '@slack/web-api';
import { type HomeFigures, type HomeReminders, renderHomeView } from '../../cards/home';
import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

/** Opening the tab again within this time publishes nothing new (the figures barely moved). */
export const HOME_REFRESH_MS = 30_000;

/** Renders the Home tab with fresh figures and publishes it for one person. */
export async function publishHome(
  deps: ListenerDeps,
  client: WebClient,
  team: string | undefined,
  user: string,
  entry: string,
): Promise<boolean> {
  let figures: HomeFigures;
  let reminders: HomeReminders;
  if (deps.memory.durable) {
    [figures, reminders] = await Promise.all([
      deps.memory.homeInsight(team).then((f) => f ?? 'unavailable'),
      deps.memory.pendingReminders(team, user),
    ]);
  }
  return deps.replies.publishHome(client, user, renderHomeView(deps.knowledge, figures, reminders), {
    entry,
    team,
  });
}

export function registerAppHomeOpened(router: ListenerRouter, deps: ListenerDeps): void {
  router.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    if (!(await deps.claims.claim(`home:${context.teamId ?? '-'}:${event.user}`, HOME_REFRESH_MS))) return;
    await publishHome(deps, client, context.teamId, event.user, 'home');
  });
}
