/**
 * "Remind me before it expires" on a card whose login reached its fixed lifetime: the reconnect is
 * taken to happen about now, so Slack is asked to post the reconnect steps a few days before the
 * renewed login ends (chat.scheduleMessage): in the card's thread for a public card, in the person's
 * DM for a private one. Slack keeps the message; the store keeps its id, so App Home lists it with
 * Cancel, across restarts.
 */
import { reminderConfirmation, reminderPlan, renderReminder } from '../../cards/reminder';
import { ACTION_IDS } from '../../cards/types';
import { failureNotice } from '../../slack/replies';
import type { ListenerDeps } from '../deps';
import type { ListenerRouter } from '../router';

function platformOf(value: string | undefined): string | null {
  try {
    const p = (JSON.parse(value ?? '') as { p?: unknown }).p;
    return typeof p === 'string' && p.length <= 64 ? p : null;
  } catch {
    return null;
  }
}

export function registerRemindBeforeExpiry(router: ListenerRouter, deps: ListenerDeps): void {
  router.action(ACTION_IDS.remindBeforeExpiry, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const user = body.user.id;
    const team = context.teamId;
    const container = (body.container ?? {}) as { channel_id?: string; is_ephemeral?: boolean };
    const channel = body.channel?.id ?? container.channel_id;
    const tell = (text: string) =>
      deps.replies.respond(
        respond,
        { response_type: 'ephemeral', replace_original: false, text },
        { entry: 'reminder' },
      );
    const plan = reminderPlan(deps.knowledge, platformOf(action.value), Date.now());
    if (!plan) {
      await tell("I can't tell when this login will end again, so I can't set a reminder for it.");
      return;
    }
    const card = body.message as { ts?: string; thread_ts?: string } | undefined;
    const inThread = !container.is_ephemeral && channel && card?.ts;
    const where = inThread
      ? { channel: channel as string, threadTs: card?.thread_ts ?? card?.ts ?? null }
      : { channel: user, threadTs: null };
    const scheduled = await deps.replies.schedule(client, {
      ...where,
      postAt: plan.postAt,
      message: renderReminder(deps.knowledge, plan, user),
      context: { entry: 'reminder', team, user },
    });
    if (!scheduled.ok) {
      await tell(`:warning: ${failureNotice(scheduled.failure, where.channel)}`);
      return;
    }
    if (team) {
      const kept = await deps.memory.addReminder({
        id: scheduled.id,
        team,
        user,
        channel: scheduled.channel,
        platform: plan.platform,
        postAt: plan.postAt,
      });
      if (!kept) deps.log.warn('reminder scheduled but not listed (store unavailable)', { team, user });
    }
    await tell(reminderConfirmation(plan, inThread ? 'thread' : 'dm'));
  });
}
