/** App Home's Cancel next to a reminder: Slack forgets the scheduled message, the store its id. */
import { ACTION_IDS } from '../../cards/types';
import type { ListenerDeps } from '../deps';
import { publishHome } from '../events/app-home-opened';
import type { ListenerRouter } from '../router';

export function registerCancelReminder(router: ListenerRouter, deps: ListenerDeps): void {
  router.action(ACTION_IDS.cancelReminder, async ({ ack, body, action, client, context }) => {
    await ack();
    const user = body.user.id;
    const team = context.teamId;
    const id = action.value ?? '';
    // Only the person's own reminders can be found, so nobody cancels someone else's.
    const reminder = await deps.memory.removeReminder(team, user, id);
    if (reminder) {
      const deleted = await deps.replies.unschedule(client, {
        channel: reminder.channel,
        id: reminder.id,
        context: { entry: 'reminder', team, user },
      });
      if (!deleted) {
        // Slack still holds it: list it again so the person can retry.
        await deps.memory.addReminder(reminder);
      }
    }
    await publishHome(deps, client, team, user, 'reminder');
  });
}
