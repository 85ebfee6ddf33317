/**
 * Slack request bodies in their documented shapes (Events API envelope, slash command form, message
 * shortcut and block_actions interaction payloads), with small defaults.
 */
import { FAKE_IDENTITY } from './fake-slack';

let counter = 0;
export const nextId = (prefix: string): string => {
  counter += 1;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${counter}`;
};
let tsCounter = 0;
/** A fresh message ts, Slack's "seconds.micro" shape, increasing. */
export const nextTs = (): string => {
  tsCounter += 1;
  return `${1_600_000_000 + tsCounter}.${String(tsCounter).padStart(6, '0')}`;
};

export const TEAM = FAKE_IDENTITY.team_id;
export const USER = 'U0ASKER';
export const CHANNEL = 'C0GENERAL';

export function eventCallback(
  event: Record<string, unknown>,
  eventId = nextId('Ev'),
): Record<string, unknown> {
  return {
    token: 'verification-token',
    team_id: TEAM,
    api_app_id: 'A1',
    event: { event_ts: event.ts ?? nextTs(), ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM,
        user_id: FAKE_IDENTITY.user_id,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: '4-eyJldCI6Im1lc3NhZ2UifQ',
  };
}

export function messageEvent(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'message',
    channel: CHANNEL,
    channel_type: 'channel',
    user: USER,
    ts: nextTs(),
    team: TEAM,
    ...fields,
  };
}

export function mentionEvent(fields: Record<string, unknown>): Record<string, unknown> {
  return { type: 'app_mention', channel: CHANNEL, user: USER, ts: nextTs(), team: TEAM, ...fields };
}

/** A :key: reaction on a message (`reaction_added`); `fields` override any part, e.g. the reacting user. */
export function keyReaction(
  item: { channel: string; ts: string; itemUser: string },
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'reaction_added',
    user: USER,
    reaction: 'key',
    item_user: item.itemUser,
    event_ts: nextTs(),
    item: { type: 'message', channel: item.channel, ts: item.ts },
    ...fields,
  };
}

export function slashCommand(
  text: string,
  responseUrl: string,
  fields: Record<string, string> = {},
): Record<string, string> {
  return {
    token: 'verification-token',
    team_id: TEAM,
    team_domain: 'test',
    channel_id: CHANNEL,
    channel_name: 'general',
    user_id: USER,
    user_name: 'asker',
    command: '/tokenfix',
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    // Each command is a new invocation (the bot answers one trigger_id once).
    trigger_id: nextId('trig'),
    ...fields,
  };
}

export function messageShortcut(
  message: Record<string, unknown>,
  responseUrl: string,
  channel = CHANNEL,
): Record<string, unknown> {
  return {
    type: 'message_action',
    token: 'verification-token',
    action_ts: nextTs(),
    team: { id: TEAM, domain: 'test' },
    user: { id: USER, name: 'asker', username: 'asker', team_id: TEAM },
    channel: { id: channel, name: 'general' },
    is_enterprise_install: false,
    callback_id: 'diagnose_message',
    trigger_id: '1.2.3',
    response_url: responseUrl,
    message_ts: message.ts,
    message: { type: 'message', ...message },
  };
}

export function blockAction(args: {
  actionId: string;
  value: string;
  responseUrl: string;
  blockId?: string;
  message?: Record<string, unknown>;
  ephemeral?: boolean;
  channel?: string;
  user?: string;
}): Record<string, unknown> {
  const channel = args.channel ?? CHANNEL;
  const messageTs = (args.message?.ts as string | undefined) ?? nextTs();
  return {
    type: 'block_actions',
    token: 'verification-token',
    api_app_id: 'A1',
    team: { id: TEAM, domain: 'test' },
    user: { id: args.user ?? 'U0CLICKER', username: 'clicker', name: 'clicker', team_id: TEAM },
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channel,
      is_ephemeral: args.ephemeral ?? false,
    },
    trigger_id: '1.2.3',
    channel: { id: channel, name: 'general' },
    ...(args.message ? { message: { type: 'message', ...args.message } } : {}),
    response_url: args.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: args.actionId,
        block_id: args.blockId ?? 'tokenfix_feedback',
        text: { type: 'plain_text', text: 'button', emoji: true },
        value: args.value,
        action_ts: nextTs(),
      },
    ],
  };
}

/** A select menu changed inside an open modal (block_actions from a view). */
export function viewSelectAction(args: {
  actionId: string;
  blockId: string;
  selected: string;
  view: { id: string; hash?: string; private_metadata?: string; callback_id?: string };
  user?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    token: 'verification-token',
    api_app_id: 'A1',
    team: { id: TEAM, domain: 'test' },
    user: { id: args.user ?? 'U0CLICKER', username: 'clicker', name: 'clicker', team_id: TEAM },
    container: { type: 'view', view_id: args.view.id },
    trigger_id: '1.2.4',
    view: { type: 'modal', team_id: TEAM, state: { values: {} }, ...args.view },
    actions: [
      {
        type: 'static_select',
        action_id: args.actionId,
        block_id: args.blockId,
        selected_option: { text: { type: 'plain_text', text: args.selected }, value: args.selected },
        action_ts: nextTs(),
      },
    ],
  };
}

/** A modal submitted (view_submission), with its input values by block and action id. */
export function viewSubmission(args: {
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, { type: string; value: string | null }>>;
  user?: string;
}): Record<string, unknown> {
  return {
    type: 'view_submission',
    token: 'verification-token',
    api_app_id: 'A1',
    team: { id: TEAM, domain: 'test' },
    user: { id: args.user ?? 'U0CLICKER', username: 'clicker', name: 'clicker', team_id: TEAM },
    trigger_id: '1.2.5',
    is_enterprise_install: false,
    view: {
      id: 'V0MODAL',
      type: 'modal',
      team_id: TEAM,
      callback_id: args.callbackId,
      private_metadata: args.privateMetadata,
      hash: 'h1',
      state: { values: args.values },
    },
  };
}

/**
 * A file shared in a Slack Connect channel by someone from the other organisation, as Slack sends it
 * in the message's `files`: a stub with no type, size or URL, to be looked up with files.info.
 */
export function slackConnectFileStub(id: string): Record<string, unknown> {
  return { id, mode: 'file_access', file_access: 'check_file_info', created: 0, timestamp: 0, user: '' };
}
