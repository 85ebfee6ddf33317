/**
 * "Remind me before it expires": a login with a fixed lifetime (60-day Meta tokens, 7-day Google apps in
 * "Testing") breaks again on a date anyone can compute from the reconnect. Pure: when to remind, and
 * what the reminder says.
 */
import type { KnownBlock } from '@slack/types';
import type { Knowledge } from '../diagnosis/knowledge';
import type { Diagnosis } from '../diagnosis/types';
import { fixSteps, platformInfo } from './card';
import { escapeMrkdwn } from './text';
import { BLOCK_IDS, markFallback, type SlackMessage } from './types';

const DAY_MS = 86_400_000;
/** chat.scheduleMessage takes post times at most 120 days ahead (time_too_far beyond). */
export const MAX_SCHEDULE_DAYS = 120;

export interface ReminderPlan {
  platform: string;
  /** The renewed login's lifetime, in days, and how it is described ("about 60 days"). */
  days: number;
  lasts: string;
  token: string;
  /** How many days before its end the reminder comes. */
  leadDays: number;
  /** When Slack should post it, ms since the epoch. */
  postAt: number;
  /** When the renewed login is expected to end, ms since the epoch. */
  endsAt: number;
}

/**
 * When to remind, for a login of this platform renewed at `renewedAt`: the shortest fixed lifetime the
 * knowledge gives, less the lead time (never more than half the lifetime). Null when the platform has
 * no such lifetime, or the reminder would fall beyond what Slack can schedule.
 */
export function reminderPlan(
  knowledge: Knowledge,
  platformId: string | null,
  renewedAt: number,
): ReminderPlan | null {
  const platform = platformInfo(knowledge, platformId);
  if (!platform) return null;
  const lifetimes = platform.lifetimes
    .filter((l) => l.cause === 'token_max_lifetime' && l.days !== undefined && l.days >= 2)
    .sort((a, b) => (a.days ?? 0) - (b.days ?? 0));
  const lifetime = lifetimes[0];
  if (!lifetime?.days) return null;
  const leadDays = Math.min(knowledge.settings.reminderLeadDays, Math.floor(lifetime.days / 2));
  const inDays = lifetime.days - leadDays;
  if (inDays > MAX_SCHEDULE_DAYS) return null;
  return {
    platform: platform.id,
    days: lifetime.days,
    lasts: lifetime.lasts,
    token: lifetime.token,
    leadDays,
    postAt: renewedAt + inDays * DAY_MS,
    endsAt: renewedAt + lifetime.days * DAY_MS,
  };
}

/** Offered on a card whose cause is a lifetime reached, for a platform whose lifetime gives a date. */
export function offersReminder(knowledge: Knowledge, d: Pick<Diagnosis, 'cause' | 'platform'>): boolean {
  return d.cause === 'token_max_lifetime' && reminderPlan(knowledge, d.platform, 0) !== null;
}

/** A date in the reader's own time zone (Slack formats it), with a UTC fallback. */
function slackDate(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `<!date^${seconds}^{date_long}|${new Date(ms).toISOString().slice(0, 10)}>`;
}

/** What Slack posts when the reminder comes: when the login ends, and the reconnect steps. */
export function renderReminder(knowledge: Knowledge, plan: ReminderPlan, requestedBy: string): SlackMessage {
  const platform = platformInfo(knowledge, plan.platform);
  const name = platform?.name ?? plan.platform;
  const d: Diagnosis = {
    isTokenError: true,
    platform: plan.platform,
    dataSource: null,
    cause: 'token_max_lifetime',
    confidence: 1,
    alternatives: [],
    errorCode: null,
    evidence: [],
    secretsRedacted: 0,
    otherKind: null,
  };
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: BLOCK_IDS.reminder,
      text: { type: 'plain_text', text: `⏰ Time to reconnect ${name}`, emoji: true },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `The ${escapeMrkdwn(name)} login renewed ${plan.days} days ago (${escapeMrkdwn(plan.token)}: ${escapeMrkdwn(plan.lasts)}) ends around *${slackDate(plan.endsAt)}*. Reconnect before then and the reports that use it keep running.`,
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: fixSteps(knowledge, d, platform) } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Reminder set by <@${requestedBy}> with tokenfix.` }],
    },
  ];
  return {
    text: markFallback(
      `Reminder: the ${name} login ends around ${new Date(plan.endsAt).toISOString().slice(0, 10)}. Reconnect before then.`,
    ),
    blocks,
  };
}

/** The private confirmation after the click. */
export function reminderConfirmation(plan: ReminderPlan, where: 'thread' | 'dm'): string {
  const place = where === 'thread' ? 'in this thread' : 'in a direct message';
  return `:alarm_clock: I'll remind you ${place} on ${slackDate(plan.postAt)}, ${plan.leadDays} day${plan.leadDays === 1 ? '' : 's'} before the renewed login ends. You can cancel it on my Home tab.`;
}
