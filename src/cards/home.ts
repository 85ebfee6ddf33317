/**
 * The App Home tab: what a support lead reads every morning (login errors over 7 and 30 days by platform
 * and cause, fix rate from feedback, the channels with most errors, cards still broken), then the five
 * ways in, each with an example. Pure: knowledge and figures in, view out (≤ 100 blocks).
 */
import type { HomeView, KnownBlock, SectionBlock } from '@slack/types';
import type { Knowledge } from '../diagnosis/knowledge';
import type { Reminder, StoreStats } from '../store/store';
import { HELP_EXAMPLES } from './help';
import { causeLines, causeTitle, fixRateLines, platformLines, platformName } from './insight';
import { escapeMrkdwn, truncate } from './text';
import { ACTION_IDS } from './types';

/** The figures App Home shows; channelKinds: what is known of the channels they name (true = private). */
export interface HomeInsight {
  week: StoreStats;
  month: StoreStats;
  channelKinds: Map<string, boolean>;
}

/** Figures: shown; 'unavailable': the store can't be read right now; undefined: no store at all. */
export type HomeFigures = HomeInsight | 'unavailable' | undefined;

export const HOME_CALLBACK_ID = 'tokenfix_home';

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
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

const orNone = (lines: string[], empty: string): string =>
  lines.length > 0 ? lines.join('\n') : `_${empty}_`;

/** Where a channel is named: public channels by name; private ones (or not known to be public) in aggregate. */
function channelLines(s: StoreStats, kinds: Map<string, boolean>): string[] {
  const lines: string[] = [];
  let hidden = 0;
  for (const c of s.topChannels) {
    if (kinds.get(c.channel) === false) lines.push(`• <#${c.channel}>: ${c.count}`);
    else hidden += c.count;
  }
  if (hidden > 0) lines.push(`• :lock: private channels and DMs: ${hidden}`);
  return lines;
}

function dateText(ms: number): string {
  const d = new Date(ms);
  return `<!date^${Math.floor(ms / 1000)}^{date_short}|${d.toISOString().slice(0, 10)}>`;
}

function statsBlocks(knowledge: Knowledge, f: HomeInsight): KnownBlock[] {
  const { week, month, channelKinds } = f;
  const head = (s: StoreStats) =>
    `*Last ${s.sinceDays} days*\n*${s.tokenErrors}* login error${s.tokenErrors === 1 ? '' : 's'} (${s.diagnoses} diagnos${s.diagnoses === 1 ? 'is' : 'es'} in all)`;
  const blocks: KnownBlock[] = [
    section('*Login errors in this workspace*'),
    fields(head(week), head(month)),
    fields(
      `*By platform*\n${orNone(platformLines(knowledge, week), 'none')}`,
      `*By platform*\n${orNone(platformLines(knowledge, month), 'none')}`,
    ),
    fields(
      `*By cause (top 10)*\n${orNone(causeLines(knowledge, week), 'none')}`,
      `*By cause (top 10)*\n${orNone(causeLines(knowledge, month), 'none')}`,
    ),
    fields(
      `*Fix rate from feedback*\n${orNone(fixRateLines(knowledge, week), 'no feedback yet')}`,
      `*Fix rate from feedback*\n${orNone(fixRateLines(knowledge, month), 'no feedback yet')}`,
    ),
    fields(
      `*Channels with most login errors*\n${orNone(channelLines(week, channelKinds), 'none')}`,
      `*Channels with most login errors*\n${orNone(channelLines(month, channelKinds), 'none')}`,
    ),
  ];
  const unresolved = month.unresolved.slice(0, 10).map((u) => {
    const where =
      u.channel && channelKinds.get(u.channel) === false ? `<#${u.channel}>` : 'a private conversation';
    const people = `${u.votes} ${u.votes === 1 ? 'person' : 'people'}`;
    return `• ${escapeMrkdwn(platformName(knowledge, u.platform))}: ${escapeMrkdwn(causeTitle(knowledge, u.cause).toLowerCase())} · in ${where} · ${dateText(u.at)} · still broken for ${people}`;
  });
  blocks.push(
    section(
      `*Still broken (last 30 days, nobody marked them fixed)*\n${orNone(unresolved, 'none: every card with feedback was fixed')}`,
    ),
  );
  blocks.push(
    note(
      'A card counts as fixed when anyone clicked *Fixed it*. Private channels are counted together, never named. Updated after every feedback click and when you open this tab.',
    ),
  );
  return blocks;
}

/** The person's reminders still to come (null: the store can't be read; undefined: no store). */
export type HomeReminders = readonly Reminder[] | null | undefined;

/** "Your reminders": each pending one with its date and a Cancel button. */
function reminderBlocks(knowledge: Knowledge, reminders: readonly Reminder[]): KnownBlock[] {
  if (reminders.length === 0) return [];
  const blocks: KnownBlock[] = [section('*Your reminders to reconnect*')];
  for (const r of reminders.slice(0, 10)) {
    const when = `<!date^${Math.floor(r.postAt / 1000)}^{date_long}|${new Date(r.postAt).toISOString().slice(0, 10)}>`;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:alarm_clock: ${platformName(knowledge, r.platform)} login · ${when} in <#${r.channel}>`,
      },
      accessory: {
        type: 'button',
        action_id: ACTION_IDS.cancelReminder,
        text: { type: 'plain_text', text: 'Cancel' },
        value: r.id,
      },
    });
  }
  blocks.push({ type: 'divider' });
  return blocks;
}

/** The export: the workspace's figures as a CSV file in the person's DM. */
function exportBlock(): KnownBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ACTION_IDS.exportStats,
        text: { type: 'plain_text', text: 'Export the last 30 days (CSV)' },
        value: '30',
      },
    ],
  };
}

export function renderHomeView(
  knowledge: Knowledge,
  figures?: HomeFigures,
  reminders?: HomeReminders,
): HomeView {
  const emoji = knowledge.settings.triggerEmoji;
  // Plain strings quoted in mrkdwn.
  const [first, second, third] = HELP_EXAMPLES.map(escapeMrkdwn);
  const ways: Array<{ title: string; how: string; example: string }> = [
    {
      title: '1. Slash command: a private answer you can share',
      how: 'Type `/tokenfix` and paste the error. Only you see the answer; *Share in channel* posts it for everyone.',
      example: `Try: \`/tokenfix ${first}\``,
    },
    {
      title: '2. Mention me',
      how: 'Mention me with the error and I answer in the thread. Mention me alone in a thread and I read its first message.',
      example: `Try: \`@tokenfix ${second}\``,
    },
    {
      title: '3. Message menu: for alerts posted by other apps',
      how: 'On any message, open *⋯ More actions* → *Diagnose token error*. You get a private answer with a *Reply in thread* button.',
      example: `Works on alerts from connector bots too, even when the error is only in an attachment, like \`${third}\`.`,
    },
    {
      title: `4. React with :${emoji}:`,
      how: `Add the :${emoji}: reaction to a message that shows an error, and I answer in its thread. No typing.`,
      example: `Try: react :${emoji}: to a message saying \`${first}\``,
    },
    {
      title: "5. I listen in channels I'm in",
      how: `When a message in a channel I was invited to is a login (token) error, I reply in its thread, once per cause. Anything else gets no reply from me${
        knowledge.settings.refusalCheck === 'off'
          ? '.'
          : `, nor does a key or token merely refused with nothing saying it ever worked (often a first setup): react :${emoji}: for my card.`
      }`,
      example:
        'Invite me with `/invite @tokenfix`. You can also write to me here in *Messages*: every message is a question.',
    },
  ];
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: '🔑 tokenfix: why did the connector login break?', emoji: true },
    },
  ];
  if (figures === 'unavailable') {
    blocks.push(
      section(
        ":warning: The figures can't be shown right now: I can't reach my store. Every way of asking below still works.",
      ),
      { type: 'divider' },
    );
  } else if (figures) {
    blocks.push(...statsBlocks(knowledge, figures), exportBlock(), { type: 'divider' });
  }
  if (reminders) blocks.push(...reminderBlocks(knowledge, reminders));
  blocks.push(
    section(
      'Data connectors stop with errors like _"Error validating access token"_ or `invalid_grant` when their login (access token) ' +
        'is no longer valid. I tell you which platform it is, *why* the login broke (expired, unused, password changed, ' +
        '2FA turned on, access removed…) and the steps that fix it.',
    ),
    { type: 'divider' },
  );
  for (const way of ways) {
    blocks.push(section(`*${way.title}*\n${way.how}`));
    blocks.push(note(way.example));
  }
  blocks.push(
    section(
      "*In a channel:* `/tokenfix listen reply|react|off` sets how I listen there, `/tokenfix bots on|off` whether I read other apps' messages, and `/tokenfix stats` shows its figures privately.",
    ),
  );
  blocks.push({ type: 'divider' });
  blocks.push(
    note(
      ':lock: Access tokens, passwords and keys in what you paste are masked before anything reads it, and I never store or log the text itself.',
    ),
  );
  return { type: 'home', callback_id: HOME_CALLBACK_ID, blocks };
}
