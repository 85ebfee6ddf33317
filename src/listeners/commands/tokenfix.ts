/**
 * `/tokenfix <error text>`: a private card with a Share in channel button; alone or `help`: the help card.
 * Channel settings, kept in the store and announced in the channel with who changed them:
 * - `/tokenfix listen reply|react|off`: passive listening there (default `reply`);
 * - `/tokenfix bots on|off`: whether other apps' messages are read there (default: knowledge
 *   `settings.readBotMessages`);
 * - `/tokenfix listen images on|off`: whether passive listening reads screenshots there (default on);
 * - `/tokenfix stats`: the channel's figures, privately.
 * The workspace's outbreak alert channel, `/tokenfix alerts here|off`, is in ./alerts.ts.
 * `listen` or `bots` alone shows what is set.
 */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ACTION_IDS } from '../../cards';
import { renderChannelStats, renderSettingsAnnouncement, renderSettingsStatus } from '../../cards/insight';
import { diagnosisFields } from '../../log';
import { dedupeKeys } from '../../slack/dedupe';
import { answerFor, readAsk } from '../../slack/explain';
import { cardKeys } from '../../slack/memory';
import type { ChannelSettingsChange, ListenMode } from '../../store/store';
import type { ListenerDeps } from '../deps';
import { channelOrNull, recordDiagnosis } from '../record';
import { alertsCommand, readAlertsCommand } from './alerts';

export const COMMAND = '/tokenfix';

export type ChannelCommand =
  | { kind: 'listen'; mode: ListenMode | null }
  | { kind: 'bots'; on: boolean | null }
  | { kind: 'images'; on: boolean | null }
  | { kind: 'stats' }
  | { kind: 'usage'; what: 'listen' | 'bots' | 'images' };

/** `listen react`, `bots off`, `stats`…; null for anything else (an error text to diagnose). */
export function readChannelCommand(text: string): ChannelCommand | null {
  const images = /^\s*listen\s+images(?:\s+(\S+))?\s*$/i.exec(text);
  if (images) {
    const arg = images[1]?.toLowerCase() ?? null;
    if (arg === null) return { kind: 'images', on: null };
    return arg === 'on' || arg === 'off'
      ? { kind: 'images', on: arg === 'on' }
      : { kind: 'usage', what: 'images' };
  }
  const m = /^\s*(listen|bots|stats)(?:\s+(\S+))?\s*$/i.exec(text);
  if (!m) return null;
  const word = (m[1] as string).toLowerCase();
  const arg = m[2]?.toLowerCase() ?? null;
  if (word === 'stats') return arg === null ? { kind: 'stats' } : null;
  if (word === 'listen') {
    if (arg === null) return { kind: 'listen', mode: null };
    return arg === 'reply' || arg === 'react' || arg === 'off'
      ? { kind: 'listen', mode: arg }
      : { kind: 'usage', what: 'listen' };
  }
  if (arg === null) return { kind: 'bots', on: null };
  return arg === 'on' || arg === 'off' ? { kind: 'bots', on: arg === 'on' } : { kind: 'usage', what: 'bots' };
}

const USAGE = {
  listen:
    'Use `/tokenfix listen reply` (I answer login errors in their thread), `/tokenfix listen react` (I only add a reaction) or `/tokenfix listen off`.',
  bots: "Use `/tokenfix bots on` or `/tokenfix bots off`: whether I read other apps' messages in this channel.",
  images:
    'Use `/tokenfix listen images on` or `/tokenfix listen images off`: whether I read screenshots of errors shared in this channel.',
};

export function registerTokenfixCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const context = {
      entry: 'command',
      team: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
    };
    // A replay of one signed command (same trigger_id) is answered once, like an event's redelivery.
    const trigger = command.trigger_id;
    if (trigger && !(await deps.claims.claim(dedupeKeys.command(trigger), deps.settings.eventTtlMs))) {
      deps.log.info('command already answered', context);
      return;
    }
    const alerts = readAlertsCommand(command.text ?? '');
    if (alerts) {
      await alertsCommand(deps, client, respond, command, alerts, context);
      return;
    }
    const channelCommand = readChannelCommand(command.text ?? '');
    if (channelCommand) {
      await channelSettingsCommand(deps, client, respond, command, channelCommand, context);
      return;
    }
    const text = command.text ?? '';
    const ask = readAsk(text, deps.knowledge);
    if (ask.kind === 'diagnose')
      deps.log.info('diagnosed', { ...context, ...diagnosisFields(ask.analysis.diagnosis) });
    else deps.log.info('help asked', context);
    // Pasted text has no message of its own: a fresh key for this card.
    const cardKey = ask.kind === 'diagnose' ? cardKeys.pasted() : null;
    const message = answerFor(deps.knowledge, ask, { share: ACTION_IDS.shareInChannel, cardKey });
    await deps.replies.respond(respond, { response_type: 'ephemeral', ...message }, context);
    if (ask.kind === 'diagnose') {
      await recordDiagnosis(deps, client, {
        team: command.team_id,
        channel: channelOrNull(command.channel_id),
        user: command.user_id,
        entryPoint: 'command',
        diagnosis: ask.analysis.diagnosis,
        text,
        cardKey,
      });
    }
  });
}

async function channelSettingsCommand(
  deps: ListenerDeps,
  client: WebClient,
  respond: RespondFn,
  command: SlashCommand,
  c: ChannelCommand,
  context: Record<string, unknown>,
): Promise<void> {
  const say = (text: string) =>
    deps.replies.respond(respond, { response_type: 'ephemeral', text }, { ...context, sub: c.kind });
  const team = command.team_id;
  const channel = command.channel_id;
  const user = command.user_id;
  const emoji = deps.knowledge.settings.triggerEmoji;
  if (c.kind === 'usage') {
    await say(USAGE[c.what]);
    return;
  }
  if (channel.startsWith('D')) {
    await say(
      'Channel settings and figures are per channel: run this in the channel you mean. My Home tab has the figures for the whole workspace.',
    );
    return;
  }
  if (c.kind === 'stats') {
    const [figures, settings] = await Promise.all([
      deps.memory.channelInsight(team, channel),
      deps.memory.channelSettings(team, channel),
    ]);
    if (!figures) {
      await say(
        ":warning: I can't read this channel's figures right now (my store can't be reached). Please try again in a minute.",
      );
      return;
    }
    const message = renderChannelStats(deps.knowledge, channel, figures.week, figures.month, settings);
    await deps.replies.respond(
      respond,
      { response_type: 'ephemeral', ...message },
      { ...context, sub: 'stats' },
    );
    return;
  }
  let change: ChannelSettingsChange | null = null;
  if (c.kind === 'listen' && c.mode !== null) change = { listenMode: c.mode };
  if (c.kind === 'bots' && c.on !== null) change = { readBots: c.on };
  if (c.kind === 'images' && c.on !== null) change = { readImages: c.on };
  if (!change) {
    const current = await deps.memory.channelSettings(team, channel);
    const message = renderSettingsStatus(current, emoji);
    const note = current.known
      ? ''
      : "\n:warning: I can't reach my store right now, so these are the defaults.";
    await say(`${message.text}${note}`);
    return;
  }
  const saved = await deps.memory.setChannelSettings(team, channel, change, user);
  if (!saved) {
    await say(
      ":warning: I couldn't save that setting just now (my store can't be reached), so nothing changed. Please try again in a minute.",
    );
    return;
  }
  deps.log.info('channel settings changed', { ...context, ...change });
  const announcement = renderSettingsAnnouncement(user, change, emoji);
  const posted = await deps.replies.postInThread(client, {
    channel,
    threadTs: null,
    message: announcement,
    context: { ...context, sub: c.kind },
  });
  if (posted.ok) return;
  // Not a member here (slash commands work anywhere): announce through the response_url instead.
  await deps.replies.respond(respond, { response_type: 'in_channel', ...announcement }, context);
  await say(
    "Saved. Note that I'm not a member of this channel, so I don't hear its messages yet: invite me with `/invite @tokenfix`.",
  );
}
