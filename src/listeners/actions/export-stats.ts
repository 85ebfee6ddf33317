/**
 * App Home's "Export the last 30 days (CSV)": the workspace's diagnoses per day × channel × platform ×
 * cause with fix votes (ids and counts only, as `tokenfix stats --format csv`), uploaded to the
 * person's DM with the app.
 */
import { ACTION_IDS } from '../../cards/types';
import { toCsv } from '../../stats-export';
import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

export const EXPORT_DAYS = 30;

export function registerExportStats(router: ListenerRouter, deps: ListenerDeps): void {
  router.action(ACTION_IDS.exportStats, async ({ ack, body, client, context }) => {
    await ack();
    const user = body.user.id;
    const team = context.teamId;
    const rows = await deps.memory.exportRows(team, EXPORT_DAYS);
    const day = new Date().toISOString().slice(0, 10);
    const sent =
      rows !== null &&
      (await deps.replies.uploadToDm(client, {
        user,
        filename: `tokenfix-${team ?? 'workspace'}-${EXPORT_DAYS}d-${day}.csv`,
        title: `tokenfix: the last ${EXPORT_DAYS} days`,
        content: toCsv(rows),
        comment: `Diagnoses per day, channel, platform and cause over the last ${EXPORT_DAYS} days, with the *Fixed it* and *Still broken* votes on their cards. Ids and counts only. The same as \`tokenfix stats --since ${EXPORT_DAYS}d --format csv\`.`,
        context: { entry: 'export', team },
      }));
    if (!sent) deps.log.warn('stats export not sent', { team, user, store: rows !== null });
  });
}
