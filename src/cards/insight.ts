/**
 * Pure renderers for what the store adds: outbreak alerts and the pointer to them, the next likely
 * cause after "Still broken", `/tokenfix stats|listen|bots|alerts` answers and announcements, and the figures
 * App Home shows. Data in, Block Kit out; no I/O.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import type { Knowledge } from '../diagnosis/knowledge';
import type { CauseId } from '../diagnosis/types';
import type { ChannelSettings, ListenMode, RecentCount, StoreStats } from '../store/store';
import { platformInfo } from './card';
import { escapeMrkdwn, fill, percent, truncate } from './text';
import { BLOCK_IDS, markFallback, type SlackMessage } from './types';

/** Block ids the feedback listener looks for when it redraws a card. */
export const INSIGHT_BLOCK_IDS = {
  nextCause: 'tokenfix_next_cause',
} as const;

/** How many of one cause, read aloud: "7 Meta security resets". */
const CAUSE_PLURALS: Record<CauseId, string> = {
  token_max_lifetime: 'logins past their time limit',
  refresh_token_inactive: 'logins lapsed from disuse',
  password_changed: 'logins broken by a password change',
  two_factor_enabled: 'logins broken by two-step sign-in',
  app_access_removed: 'logins whose app access was removed',
  user_removed_by_admin: 'logins of removed or disabled users',
  security_invalidation: 'security resets',
  account_unconfirmed: 'logins held until the account is confirmed',
  unknown: 'login errors',
};

export function platformName(knowledge: Knowledge, id: string | null): string {
  return platformInfo(knowledge, id)?.name ?? (id ? id : 'Unknown platform');
}

export function causeTitle(knowledge: Knowledge, id: string | null): string {
  return (id ? knowledge.causes.get(id as CauseId)?.title : undefined) ?? id ?? 'Cause not told';
}

/** "the last hour", "the last 2 hours", "the last 45 minutes". */
export function windowText(minutes: number): string {
  if (minutes === 60) return 'the last hour';
  if (minutes % 60 === 0) return `the last ${minutes / 60} hours`;
  return `the last ${minutes} minutes`;
}

function section(text: string, blockId?: string): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: truncate(text, 3000) },
  };
}

/** A plain name (platform, cause title) inside mrkdwn. */
const plain = escapeMrkdwn;

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 2000) }] };
}

export interface OutbreakArgs {
  platform: string;
  cause: CauseId;
  counts: RecentCount;
  windowMinutes: number;
  minDistinct: number;
}

/** "Possible platform-wide event: 7 Meta security resets in the last hour across 4 channels". */
export function outbreakHeadline(knowledge: Knowledge, a: OutbreakArgs): string {
  const what = `${a.counts.count} ${platformName(knowledge, a.platform)} ${CAUSE_PLURALS[a.cause] ?? 'login errors'}`;
  const spread =
    a.counts.channels >= a.minDistinct || a.counts.channels >= a.counts.users
      ? `across ${a.counts.channels} channel${a.counts.channels === 1 ? '' : 's'}`
      : `from ${a.counts.users} people`;
  return `Possible platform-wide event: ${what} in ${windowText(a.windowMinutes)} ${spread}`;
}

/** The one alert posted to the workspace's alert channel for an outbreak. */
export function renderOutbreakAlert(knowledge: Knowledge, a: OutbreakArgs): SlackMessage {
  const headline = outbreakHeadline(knowledge, a);
  const platform = platformInfo(knowledge, a.platform);
  const cause = knowledge.causes.get(a.cause);
  const name = plain(platform?.name ?? 'the platform');
  const lines = [
    `:rotating_light: *${plain(headline)}*`,
    `*Likely cause:* ${plain(causeTitle(knowledge, a.cause))}. ${fill(cause?.explanation.trim() ?? '', { platform: name })}`,
    `*What to do:* ${fill(cause?.advice.trim() ?? '', { platform: name })}`,
  ];
  if (platform?.statusPage) lines.push(`<${platform.statusPage}|Check ${name}'s status page>`);
  return {
    text: markFallback(headline),
    blocks: [
      section(lines.join('\n'), BLOCK_IDS.alert),
      note(
        `For ${windowText(a.windowMinutes).replace('the last', 'the next')}, new reports of this in channels where I listen get a reaction and a pointer here instead of a full card each.`,
      ),
    ],
  };
}

/** What an outbreak alert is, from the knowledge thresholds: "5 or more reports of one … within the last hour …". */
export function outbreakRule(knowledge: Knowledge): string {
  const o = knowledge.settings.outbreak;
  return `${o.minCount} or more reports of one platform's same login problem within ${windowText(o.windowMinutes)}, from at least ${o.minDistinct} channels or people`;
}

/** Where a workspace's alerts go, for `/tokenfix alerts` and App Home. */
export interface AlertsState {
  /** The channel alerts go to; null: none. */
  channel: string | null;
  /** `chosen`: by `/tokenfix alerts here|off` (by `by`); `default`: ALERT_CHANNEL; `none`: nobody chose. */
  source: 'chosen' | 'default' | 'none';
  by: string | null;
}

/** After `/tokenfix alerts here|off`: the announcement in the channel where it was run. */
export function renderAlertsAnnouncement(
  knowledge: Knowledge,
  user: string,
  channel: string | null,
): SlackMessage {
  const text = channel
    ? `<@${user}> chose this channel for tokenfix outbreak alerts: when ${outbreakRule(knowledge)}, I post one alert here.`
    : `<@${user}> turned tokenfix outbreak alerts off for this workspace.`;
  return {
    text,
    blocks: [
      section(`:rotating_light: ${text}`),
      note('Change it with `/tokenfix alerts here` (in the channel you want) or `/tokenfix alerts off`.'),
    ],
  };
}

/** `/tokenfix alerts` alone: where they go now, and how to change it. */
export function renderAlertsStatus(knowledge: Knowledge, state: AlertsState): string {
  const where =
    state.channel === null
      ? state.source === 'chosen'
        ? `Outbreak alerts are *off* in this workspace${state.by ? ` (turned off by <@${state.by}>)` : ''}.`
        : 'Outbreak alerts are *off*: nobody has chosen a channel for them yet.'
      : state.source === 'chosen'
        ? `Outbreak alerts go to <#${state.channel}>${state.by ? ` (chosen by <@${state.by}>)` : ''}.`
        : `Outbreak alerts go to <#${state.channel}> (ALERT_CHANNEL, the default).`;
  return [
    where,
    `An outbreak is ${outbreakRule(knowledge)}: one alert, and meanwhile a reaction and a pointer to it instead of a card per message.`,
    'Change it with `/tokenfix alerts here` (run it in the channel you want) or `/tokenfix alerts off`.',
  ].join('\n');
}

/** Passive listening during an outbreak: a one-line pointer instead of a full card. */
export function renderOutbreakPointer(
  knowledge: Knowledge,
  platform: string,
  cause: CauseId,
  alertChannel: string,
): SlackMessage {
  const text = `This looks like part of a wider ${plain(platformName(knowledge, platform))} event (${plain(causeTitle(knowledge, cause).toLowerCase())}): see the alert in <#${alertChannel}>. Mention me or react with :${knowledge.settings.triggerEmoji}: for the full card.`;
  return { text: markFallback(text), blocks: [section(text, BLOCK_IDS.pointer)] };
}

/** After "Still broken": the next most likely cause, with its advice. */
export function renderNextCause(knowledge: Knowledge, cause: CauseId, platform: string | null): KnownBlock {
  const info = knowledge.causes.get(cause);
  const name = plain(platformInfo(knowledge, platform)?.name ?? 'the platform');
  return section(
    [
      `*Still broken? Next most likely cause: ${plain(causeTitle(knowledge, cause))}*`,
      fill(info?.explanation.trim() ?? '', { platform: name }),
      `*What to do:* ${fill(info?.advice.trim() ?? '', { platform: name })}`,
    ].join('\n'),
    INSIGHT_BLOCK_IDS.nextCause,
  );
}

export const LISTEN_MODE_TEXT: Record<ListenMode, string> = {
  reply: 'I answer login errors in their thread',
  react: `I only add a reaction to login errors; react with it yourself (or use the message menu) for the card`,
  off: 'I stay quiet here; mentions, the slash command, the message menu and reactions still work',
};

/** The announcement in the channel after a change, naming who made it. */
export function renderSettingsAnnouncement(
  user: string,
  change: { listenMode?: ListenMode; readBots?: boolean; readImages?: boolean },
  emoji: string,
): SlackMessage {
  let text: string;
  if (change.readImages !== undefined) {
    text = change.readImages
      ? `<@${user}> turned on reading screenshots here: I read error screenshots shared in this channel too.`
      : `<@${user}> turned off reading screenshots here: I read only the text of messages in this channel (a mention, the message menu or :${emoji}: still read a screenshot).`;
  } else if (change.listenMode !== undefined) {
    const what = LISTEN_MODE_TEXT[change.listenMode].replace('a reaction', `a :${emoji}: reaction`);
    text = `<@${user}> set tokenfix listening in this channel to *${change.listenMode}*: ${what}.`;
  } else {
    text = change.readBots
      ? `<@${user}> turned on reading other apps' messages here: I now diagnose connector alerts posted by bots in this channel too.`
      : `<@${user}> turned off reading other apps' messages here: I diagnose only messages from people in this channel.`;
  }
  return {
    text,
    blocks: [
      section(`:gear: ${text}`, BLOCK_IDS.settings),
      note(
        'Change it with `/tokenfix listen reply|react|off`, `/tokenfix bots on|off` or `/tokenfix listen images on|off`.',
      ),
    ],
  };
}

/** `/tokenfix listen` or `bots` without a value: what is set now, and how to change it. */
export function renderSettingsStatus(s: ChannelSettings, emoji: string): SlackMessage {
  const mode = s.listenMode;
  const who = s.updatedBy ? ` (last changed by <@${s.updatedBy}>)` : ' (the default)';
  const text = [
    `*Listening here:* ${mode}: ${LISTEN_MODE_TEXT[mode].replace('a reaction', `a :${emoji}: reaction`)}.${who}`,
    `*Other apps' messages:* ${s.readBots ? 'read' : 'not read'}.`,
    `*Screenshots:* ${s.readImages ? 'read' : 'not read'}.`,
    'Change them with `/tokenfix listen reply|react|off`, `/tokenfix bots on|off` and `/tokenfix listen images on|off`.',
  ].join('\n');
  return { text, blocks: [section(text)] };
}

function pct(n: number, of: number): string {
  return of === 0 ? '–' : percent(n / of);
}

function list(lines: string[], empty: string): string {
  return lines.length > 0 ? lines.join('\n') : `_${empty}_`;
}

/** Lines "• Meta: 12" for the platforms of one window. */
export function platformLines(knowledge: Knowledge, s: StoreStats, top = 10): string[] {
  return s.byPlatform.slice(0, top).map((p) => `• ${plain(platformName(knowledge, p.platform))}: ${p.count}`);
}

export function causeLines(knowledge: Knowledge, s: StoreStats, top = 10): string[] {
  return s.byCause.slice(0, top).map((c) => `• ${plain(causeTitle(knowledge, c.cause))}: ${c.count}`);
}

export function fixRateLines(knowledge: Knowledge, s: StoreStats, top = 10): string[] {
  return s.fixRate
    .slice(0, top)
    .map(
      (f) =>
        `• ${plain(causeTitle(knowledge, f.cause))}: ${f.fixed} of ${f.cards} fixed (${pct(f.fixed, f.cards)})${f.stillBroken > 0 ? `, ${f.stillBroken} still broken` : ''}`,
    );
}

function fields(left: string, right: string): SectionBlock {
  return {
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: truncate(left, 2000) },
      { type: 'mrkdwn', text: truncate(right, 2000) },
    ],
  };
}

/** `/tokenfix stats`: this channel's figures for 7 and 30 days, privately. */
export function renderChannelStats(
  knowledge: Knowledge,
  channel: string,
  week: StoreStats,
  month: StoreStats,
  settings: ChannelSettings,
): SlackMessage {
  const head = (s: StoreStats) =>
    `*Last ${s.sinceDays} days*\n${s.tokenErrors} login error${s.tokenErrors === 1 ? '' : 's'} of ${s.diagnoses} diagnos${s.diagnoses === 1 ? 'is' : 'es'}`;
  const blocks: KnownBlock[] = [
    section(`*tokenfix in <#${escapeMrkdwn(channel)}>*`),
    fields(head(week), head(month)),
    fields(
      `*By cause*\n${list(causeLines(knowledge, week, 5), 'none')}`,
      `*By cause*\n${list(causeLines(knowledge, month, 5), 'none')}`,
    ),
    fields(
      `*By platform*\n${list(platformLines(knowledge, week, 5), 'none')}`,
      `*By platform*\n${list(platformLines(knowledge, month, 5), 'none')}`,
    ),
    fields(
      `*Fixed, from feedback*\n${list(fixRateLines(knowledge, week, 5), 'no feedback yet')}`,
      `*Fixed, from feedback*\n${list(fixRateLines(knowledge, month, 5), 'no feedback yet')}`,
    ),
    note(
      `Listening here: *${settings.listenMode}* · other apps' messages: *${settings.readBots ? 'read' : 'not read'}* · only you can see this.`,
    ),
  ];
  return {
    text: `tokenfix in this channel: ${week.tokenErrors} login errors in 7 days, ${month.tokenErrors} in 30 days.`,
    blocks,
  };
}
