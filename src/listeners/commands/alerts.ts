/**
 * `/tokenfix alerts here|off`: where the workspace's outbreak alerts go (kept in the store, so it
 * works for every workspace in OAuth mode); `alerts` alone says where they go now. Without a choice,
 * ALERT_CHANNEL applies in single-workspace mode; `off` overrides it.
 */
import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type AlertsState, renderAlertsAnnouncement, renderAlertsStatus } from '../../cards/insight';
import type { ListenerDeps } from '../deps';

export type AlertsCommand = { kind: 'here' } | { kind: 'off' } | { kind: 'show' } | { kind: 'usage' };

/** `alerts`, `alerts here`, `alerts off`; null for anything else (an error text to diagnose). */
export function readAlertsCommand(text: string): AlertsCommand | null {
  const m = /^\s*alerts(?:\s+(\S+))?\s*$/i.exec(text);
  if (!m) return null;
  const arg = m[1]?.toLowerCase();
  if (arg === undefined) return { kind: 'show' };
  return arg === 'here' || arg === 'off' ? { kind: arg } : { kind: 'usage' };
}

const USAGE =
  'Use `/tokenfix alerts here` in the channel where outbreak alerts should go, or `/tokenfix alerts off`. `/tokenfix alerts` alone says where they go now.';

export async function alertsCommand(
  deps: ListenerDeps,
  client: WebClient,
  respond: RespondFn,
  command: SlashCommand,
  c: AlertsCommand,
  context: Record<string, unknown>,
): Promise<void> {
  const say = (text: string) =>
    deps.replies.respond(respond, { response_type: 'ephemeral', text }, { ...context, sub: 'alerts' });
  const team = command.team_id;
  const channel = command.channel_id;
  const user = command.user_id;
  if (c.kind === 'usage') {
    await say(USAGE);
    return;
  }
  if (c.kind === 'show') {
    const { choice, known } = await deps.memory.alertChoice(team);
    const fallback = deps.settings.alertChannel;
    const state: AlertsState = choice
      ? { channel: choice.channel, source: 'chosen', by: choice.updatedBy }
      : { channel: fallback, source: fallback ? 'default' : 'none', by: null };
    const note = known
      ? ''
      : "\n:warning: I can't reach my store right now, so this may not be the latest choice.";
    await say(`${renderAlertsStatus(deps.knowledge, state)}${note}`);
    return;
  }
  if (c.kind === 'here' && channel.startsWith('D')) {
    await say(
      'Outbreak alerts go to a channel: run `/tokenfix alerts here` in the channel you want them in.',
    );
    return;
  }
  const target = c.kind === 'here' ? channel : null;
  const saved = await deps.memory.setAlertChannel(team, target, user);
  if (!saved) {
    await say(
      ":warning: I couldn't save that just now (my store can't be reached), so nothing changed. Please try again in a minute.",
    );
    return;
  }
  deps.log.info('alert channel changed', { ...context, alertChannel: target ?? 'off' });
  const announcement = renderAlertsAnnouncement(deps.knowledge, user, target);
  if (channel.startsWith('D')) {
    await say(announcement.text);
    return;
  }
  const posted = await deps.replies.postInThread(client, {
    channel,
    threadTs: null,
    message: announcement,
    context: { ...context, sub: 'alerts' },
  });
  if (posted.ok) return;
  // Not a member here: announce through the response_url; alerts need me in the channel to be posted.
  await deps.replies.respond(respond, { response_type: 'in_channel', ...announcement }, context);
  if (target)
    await say(
      "Saved, but I'm not a member of this channel, so I can't post alerts here yet: invite me with `/invite @tokenfix`.",
    );
}
