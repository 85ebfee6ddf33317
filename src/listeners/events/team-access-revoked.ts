/**
 * `team_access_revoked`: an org admin took some workspaces away from the org-wide (Enterprise Grid)
 * install. Slack: "The team_access_revoked event is sent to your organization-ready app when your token
 * can no longer access a workspace in that organization—in other words, it's been uninstalled from a
 * workspace"; the event holds only `team_ids` (the envelope names the org in `enterprise_id`). It needs
 * no scope, but a subscription ("Subscribe to this event via the Events API … As an app event,
 * subscriptions require no specific OAuth permission scope"): manifest.yml lists it under bot_events.
 * https://docs.slack.dev/reference/events/team_access_revoked/ and
 * https://api.slack.com/events/team_access_revoked
 *
 * What the store kept about those workspaces goes, as on their uninstall (forgetTeam), with their
 * records under the org — but a workspace that still has an install of its own keeps its data (that
 * install still uses it), and so does one recorded under another org whose install serves it. The
 * event names the workspaces itself, so one used through the org before they were recorded
 * (team_enterprises, migration 9) is forgotten too. The org's installation stays (it still serves the
 * others; app_uninstalled removes it). Runs without a token: app.ts authorizes it as Bolt does
 * app_uninstalled.
 *
 * Without an org id (neither the envelope's `enterprise_id` nor the context's; Slack's examples always
 * have one) the org that lost access can't be told from any other: a workspace recorded under an org
 * whose install is still here — even this very org — keeps its data and its record, and a warning is
 * logged. Its data then goes with that org's uninstall, or with the workspace's own.
 *
 * Not handled: `app_uninstalled_team` (https://docs.slack.dev/reference/events/app_uninstalled_team/)
 * needs the admin scope `admin.apps:read` and tells an admin app about any app's uninstall; this app asks
 * for no admin scopes, and its own uninstall from a workspace of the org arrives as this event.
 */
import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

/** The revoked workspaces named by the event (ids only; anything else is left out). */
export function revokedTeams(event: unknown): string[] {
  const ids = (event as { team_ids?: unknown }).team_ids;
  return Array.isArray(ids)
    ? ids.filter((t): t is string => typeof t === 'string' && /^T[A-Z0-9]{1,31}$/.test(t))
    : [];
}

export function registerTeamAccessRevoked(router: ListenerRouter, deps: ListenerDeps): void {
  router.event('team_access_revoked', async ({ event, body, context }) => {
    const teams = revokedTeams(event);
    // The envelope names the org; the context (from `authorizations`) as a fallback.
    const envelope = (body as { enterprise_id?: unknown }).enterprise_id;
    const enterprise = typeof envelope === 'string' && envelope ? envelope : context.enterpriseId;
    const log = deps.log.child({ entry: 'team_access_revoked', enterprise, teams: teams.length });
    if (teams.length === 0) {
      log.warn('team_access_revoked without workspace ids: nothing forgotten');
      return;
    }
    if (!enterprise)
      log.warn(
        'team_access_revoked without an org id: a workspace recorded under an installed org keeps its data (the org that lost access cannot be told apart)',
      );
    const result = await deps.memory.forgetRevokedTeams(enterprise, teams);
    if (!result) {
      log.error('could not delete the data of workspaces the org-wide install lost access to', {
        teamIds: teams.slice(0, 50),
      });
      return;
    }
    log.info('org-wide install lost access to workspaces: their data deleted', {
      forgotten: result.forgotten.length,
      // Kept: another install (their own, or another org's) still serves them.
      kept: result.kept,
    });
  });
}
