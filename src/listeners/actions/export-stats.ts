/**
 * App Home's "Export the last 30 days (CSV)": the workspace's diagnoses per day × channel × platform ×
 * cause with fix votes (ids and counts only, as `tokenfix stats --format csv`), uploaded to the
 * person's DM with the app. Anyone in the workspace may click it, so, as on App Home, only channels
 * known to be public are named; the rest are summed as `private`.
 */
import { ACTION_IDS } from '../../cards/types';
import { hidePrivateChannels, toCsv } from '../../stats-export';
import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

export const EXPORT_DAYS = 30;

export function registerExportStats(router: ListenerRouter, deps: ListenerDeps): void {
  router.action(ACTION_IDS.exportStats, async ({ ack, body, client, context }) => {
    await ack();
    const user = body.user.id;
    const team = context.teamId;
    const all = await deps.memory.exportRows(team, EXPORT_DAYS);
    // Private channels by name (id) only in aggregate, as on App Home: whoever clicks gets the file.
    const channels = [...new Set((all ?? []).flatMap((r) => (r.channel ? [r.channel] : [])))];
    const kinds = all ? await deps.memory.channelKinds(team, channels) : null;
    const rows = all && kinds ? hidePrivateChannels(all, kinds) : null;
    const day = new Date().toISOString().slice(0, 10);
    const sent =
      rows !== null &&
      (await deps.replies.uploadToDm(client, {
        user,
        filename: `tokenfix-${team ?? 'workspace'}-${EXPORT_DAYS}d-${day}.csv`,
        title: `tokenfix: the last ${EXPORT_DAYS} days`,
        content: toCsv(rows),
        comment: `Diagnoses per day, channel, platform and cause over the last ${EXPORT_DAYS} days, with the *Fixed it* and *Still broken* votes on their cards. Ids and counts only; private channels are summed as \`private\`. The same as \`tokenfix stats --since ${EXPORT_DAYS}d --format csv\` otherwise.`,
        context: { entry: 'export', team },
      }));
    if (!sent) deps.log.warn('stats export not sent', { team, user, store: rows !== null });
  });
}
