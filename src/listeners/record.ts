/**
 * What every entry point does once it has diagnosed something: keep the diagnosis (never its text),
 * and when that makes one platform+cause an outbreak in its workspace, post the one alert to the
 * workspace's alert channel (`/tokenfix alerts here`, else ALERT_CHANNEL in single-workspace mode;
 * once per platform+cause per window, whichever replica wins the claim).
 */
import type { WebClient } from '@slack/web-api';
import { renderOutbreakAlert } from '../cards/insight';
import type { CauseId } from '../diagnosis/types';
import { type DiagnosisEvent, SETTINGS_MAX_AGE_MS } from '../slack/memory';
import type { ListenerDeps } from './deps';

/** A DM is not a channel: its diagnoses are kept without one (App Home ranks channels). */
export function channelOrNull(channel: string | null | undefined): string | null {
  return channel && !channel.startsWith('D') ? channel : null;
}

/** Records the diagnosis; for a token error newly recorded, checks for an outbreak. True when recorded. */
export async function recordDiagnosis(
  deps: ListenerDeps,
  client: WebClient,
  event: DiagnosisEvent,
): Promise<boolean> {
  const recorded = await deps.memory.record(event);
  if (recorded && event.diagnosis.isTokenError) await announceOutbreak(deps, client, event);
  return recorded;
}

/** Where this workspace's outbreak alerts go (null: none): its own choice, else ALERT_CHANNEL's default. */
export function alertChannelFor(deps: ListenerDeps, team: string | undefined): Promise<string | null> {
  return deps.memory.alertChannel(team, deps.settings.alertChannel, SETTINGS_MAX_AGE_MS);
}

async function announceOutbreak(deps: ListenerDeps, client: WebClient, event: DiagnosisEvent): Promise<void> {
  const { platform, cause } = event.diagnosis;
  if (!platform || !cause) return;
  const alertChannel = await alertChannelFor(deps, event.team);
  if (!alertChannel) return;
  const counts = await deps.memory.outbreakToAnnounce(event.team, platform, cause);
  if (!counts) return;
  const o = deps.knowledge.settings.outbreak;
  const message = renderOutbreakAlert(deps.knowledge, {
    platform,
    cause: cause as CauseId,
    counts,
    windowMinutes: o.windowMinutes,
    minDistinct: o.minDistinct,
  });
  deps.log.warn('outbreak', { team: event.team, platform, cause, ...counts });
  await deps.replies.postInThread(client, {
    channel: alertChannel,
    threadTs: null,
    message,
    context: { entry: 'outbreak', team: event.team },
  });
}
