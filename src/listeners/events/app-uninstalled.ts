/**
 * `app_uninstalled` and `tokens_revoked`: the install's tokens go at once (OAuth mode), and on an
 * uninstall what the store kept about the workspace goes with them (for an org-wide install, about
 * every workspace recorded as served through it, but one with an install of its own; for a workspace's
 * own install, unless the org-wide install it was recorded under is still installed and serves it). Bolt runs these two events without authorization
 * (the tokens are already dead): the context's team/enterprise come from the event's
 * `authorizations`. With a single SLACK_BOT_TOKEN there is no installation to delete, but the store
 * (DATABASE_URL) still holds the workspace's diagnoses, votes, settings and reminders: they go too,
 * through Memory's unbounded store calls (as team_access_revoked's): not cut by the store-call timeout
 * nor skipped during the back-off after a slow call; a failure is logged (ids and the error's code).
 */
import { errorFields } from '../../log';
import type { InstallContext, ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

function who(context: InstallContext) {
  return {
    team: context.teamId,
    enterprise: context.enterpriseId,
    isEnterpriseInstall: context.isEnterpriseInstall === true,
  };
}

export function registerAppUninstalled(router: ListenerRouter, deps: ListenerDeps): void {
  router.event('app_uninstalled', async ({ context }) => {
    const log = deps.log.child({ entry: 'app_uninstalled', ...who(context) });
    const orgWide = context.isEnterpriseInstall === true;
    if (!deps.installs) {
      const forgotten = orgWide
        ? await deps.memory.forgetEnterprise(context.enterpriseId)
        : await deps.memory.forgetTeam(context.teamId);
      log.warn('app uninstalled: SLACK_BOT_TOKEN no longer works; reinstall the app to use it again', {
        // For an org-wide install (isEnterpriseInstall, logged with it): its workspaces' data.
        workspaceDataDeleted: forgotten,
      });
      if (!forgotten)
        log.error(`could not delete the uninstalled ${orgWide ? 'org' : 'workspace'}’s data from the store`);
      return;
    }
    try {
      const outcome = await deps.installs.uninstalled(context);
      if (orgWide) deps.memory.dropEnterpriseNotes(context.enterpriseId);
      deps.memory.dropTeamCaches(outcome.forgotten);
      if (outcome.keptForOrg)
        log.info('app uninstalled: installation deleted; workspace data kept for the org-wide install', {
          keptForOrg: outcome.keptForOrg,
        });
      else log.info(`app uninstalled: installation and ${orgWide ? 'org' : 'workspace'} data deleted`);
    } catch (error) {
      // The event is already acknowledged: the log is where an operator sees it.
      log.error('could not delete the uninstalled installation', errorFields(error));
    }
  });

  router.event('tokens_revoked', async ({ event, context }) => {
    const tokens = (event as { tokens?: { bot?: unknown; oauth?: unknown } }).tokens ?? {};
    const bots = Array.isArray(tokens.bot) ? tokens.bot.length : 0;
    const log = deps.log.child({ entry: 'tokens_revoked', ...who(context), bots });
    if (!deps.installs) {
      if (bots > 0) log.warn('bot token revoked: SLACK_BOT_TOKEN no longer works');
      return;
    }
    try {
      await deps.installs.tokensRevoked(context, tokens);
      if (bots > 0) log.info('bot token revoked: installation deleted');
    } catch (error) {
      log.error('could not delete the revoked installation', errorFields(error));
    }
  });
}
