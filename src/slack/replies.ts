/**
 * The one module that posts to Slack. Threaded chat.postMessage, chat.postEphemeral, response_url
 * replies, chat.update and views.publish all go through here, so every failure is handled the same way:
 * - 429 and 5xx are retried by the Web API client under the bounded policy set in app.ts (Retry-After
 *   honoured); response_url posts are retried here, a few times, briefly;
 * - anything still failing (not_in_channel, channel_not_found, is_archived, exhausted retries…) is
 *   logged with its context (ids and codes, never text) and, where the person who asked can still be
 *   reached, they are told privately what went wrong.
 */
import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { HomeView, ModalView } from '@slack/types';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { SlackMessage } from '../cards/types';
import { errorFields, type Fields, type Log } from '../log';

/** Why a call failed, in words that decide what to do next. */
export type FailureKind =
  | 'not_in_channel'
  | 'channel_not_found'
  | 'is_archived'
  | 'ratelimited'
  | 'server_error'
  | 'network'
  | 'expired'
  | 'slack_error';

export interface Failure {
  kind: FailureKind;
  /** Slack's error code or the HTTP status, for the log. */
  code: string;
}

export function classifyError(error: unknown): Failure {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
  if (e?.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown';
    if (code === 'not_in_channel') return { kind: 'not_in_channel', code };
    if (code === 'channel_not_found') return { kind: 'channel_not_found', code };
    if (code === 'is_archived') return { kind: 'is_archived', code };
    if (code === 'ratelimited') return { kind: 'ratelimited', code };
    if (code === 'fatal_error' || code === 'internal_error' || code === 'service_unavailable')
      return { kind: 'server_error', code };
    if (code === 'expired_url' || code === 'used_url') return { kind: 'expired', code };
    return { kind: 'slack_error', code };
  }
  if (e?.code === ErrorCode.RateLimitedError) return { kind: 'ratelimited', code: 'ratelimited' };
  if (e?.code === ErrorCode.HTTPError || typeof e?.statusCode === 'number') {
    const status = e.statusCode ?? 0;
    if (status === 429) return { kind: 'ratelimited', code: '429' };
    if (status === 404 || status === 410) return { kind: 'expired', code: String(status) };
    return { kind: status >= 500 ? 'server_error' : 'slack_error', code: String(status) };
  }
  // After its retries the Web API client wraps a 429 it kept getting in a request error.
  if (e?.code === ErrorCode.RequestError && e.message?.includes('A rate limit was exceeded'))
    return { kind: 'ratelimited', code: 'ratelimited' };
  if (e?.code === ErrorCode.RequestError) return { kind: 'network', code: 'request_error' };
  // After its retries the Web API client rethrows a plain Error for a 429 it kept getting.
  if (typeof e?.message === 'string' && e.message.startsWith('A rate limit was exceeded'))
    return { kind: 'ratelimited', code: 'ratelimited' };
  return { kind: 'network', code: e instanceof Error ? e.name : 'unknown' };
}

/** What to tell the person who asked, in one line. */
export function failureNotice(failure: Failure, channel: string): string {
  switch (failure.kind) {
    case 'not_in_channel':
      return `I couldn't post in <#${channel}> because I'm not a member of it. Invite me with \`/invite @tokenfix\` and try again.`;
    case 'channel_not_found':
      return `I can't see <#${channel}>: private channels need me invited first (\`/invite @tokenfix\`).`;
    case 'is_archived':
      return `<#${channel}> is archived, so I can't post there.`;
    case 'ratelimited':
      return 'Slack asked me to slow down and my reply did not go through. Please try again in a minute.';
    case 'server_error':
    case 'network':
      return 'Slack had a problem accepting my reply. Please try again in a minute.';
    default:
      return `My reply did not go through (Slack said \`${failure.code}\`). Please try again.`;
  }
}

/** Channel-level problems: posting anything else in that channel fails the same way. */
const CHANNEL_GONE: ReadonlySet<FailureKind> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
]);

export type PostResult = { ok: true; ts: string | null } | { ok: false; failure: Failure };

/** Failures that were Slack being slow, rate-limiting or unreachable (after our own retries). */
const PASSING: ReadonlySet<FailureKind> = new Set(['ratelimited', 'server_error', 'network']);

/**
 * Whether a reply that failed this way should be left to a redelivery of its event (its claim let go)
 * rather than counted as answered. Only passing troubles: a channel that refuses us, or a payload Slack
 * rejects, would fail the same way again (and the asker was already told).
 */
export function redeliveryMayHelp(result: PostResult | null | undefined): boolean {
  return result?.ok === false && PASSING.has(result.failure.kind);
}

/** How to reach the person who asked, if the public reply fails. */
export interface Asker {
  user: string;
  /** Their response_url (slash command, shortcut, button), which works even where the bot isn't a member. */
  respond?: RespondFn;
}

export interface RepliesOptions {
  log: Log;
  /**
   * response_url retries: attempts in all (default 6), the first back-off (default 500 ms, doubled each
   * time, at most 8 s: about 15 s in all, so a short 429/5xx stretch is ridden out), and how long one
   * attempt may take (default 15 s; Bolt's respond() has no time limit of its own).
   */
  respondAttempts?: number;
  respondBackoffMs?: number;
  respondTimeoutMs?: number;
  /** Metrics: a call that failed after retries (method name and failure kind only). */
  onFailure?: (method: string, kind: FailureKind) => void;
  /** Metrics: how long a reply post took, retries included. */
  onReplied?: (method: string, seconds: number) => void;
}

/** The longest pause between two response_url attempts. */
const MAX_RESPOND_BACKOFF_MS = 8_000;

/** An attempt that took too long: counted as a network failure (and retried). */
class RespondTimeout extends Error {
  readonly code = 'respond_timeout';
  constructor(ms: number) {
    super(`response_url did not answer within ${ms} ms`);
    this.name = 'RespondTimeout';
  }
}

/** Block Kit's per-message limit, and a size well under what chat.postMessage accepts. */
const MAX_BLOCKS = 50;
const MAX_BLOCKS_JSON = 11_000;

/** Never fail to answer because a card is too big: fall back to its text. */
function fitToLimits(message: SlackMessage, log: Log): SlackMessage {
  if (message.blocks.length <= MAX_BLOCKS && JSON.stringify(message.blocks).length <= MAX_BLOCKS_JSON)
    return message;
  log.warn('card over Block Kit limits; sending its text only', { blocks: message.blocks.length });
  return { text: message.text, blocks: [] };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Replies {
  private readonly log: Log;
  private readonly respondAttempts: number;
  private readonly respondBackoffMs: number;
  private readonly respondTimeoutMs: number;

  constructor(private readonly options: RepliesOptions) {
    this.log = options.log;
    this.respondAttempts = options.respondAttempts ?? 6;
    this.respondBackoffMs = options.respondBackoffMs ?? 500;
    this.respondTimeoutMs = options.respondTimeoutMs ?? 15_000;
  }

  /** A public reply in a thread (threadTs null: a new message in the conversation, e.g. a shared card). */
  async postInThread(
    client: WebClient,
    args: { channel: string; threadTs: string | null; message: SlackMessage; asker?: Asker; context: Fields },
  ): Promise<PostResult> {
    const message = fitToLimits(args.message, this.log);
    const started = performance.now();
    try {
      const res = await client.chat.postMessage({
        channel: args.channel,
        ...(args.threadTs ? { thread_ts: args.threadTs } : {}),
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      this.options.onReplied?.('chat.postMessage', (performance.now() - started) / 1000);
      return { ok: true, ts: typeof res.ts === 'string' ? res.ts : null };
    } catch (error) {
      this.options.onReplied?.('chat.postMessage', (performance.now() - started) / 1000);
      const failure = this.failed('chat.postMessage', error, { ...args.context, channel: args.channel });
      if (args.asker) await this.tellPrivately(client, args.channel, args.threadTs, args.asker, failure);
      return { ok: false, failure };
    }
  }

  /** A private card to one person in a channel (chat.postEphemeral), falling back to their response_url. */
  async ephemeral(
    client: WebClient,
    args: {
      channel: string;
      user: string;
      threadTs?: string | null;
      message: SlackMessage;
      respond?: RespondFn;
      context: Fields;
    },
  ): Promise<PostResult> {
    const message = fitToLimits(args.message, this.log);
    try {
      const res = await client.chat.postEphemeral({
        channel: args.channel,
        user: args.user,
        ...(args.threadTs ? { thread_ts: args.threadTs } : {}),
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
      });
      return { ok: true, ts: typeof res.message_ts === 'string' ? res.message_ts : null };
    } catch (error) {
      const failure = this.failed('chat.postEphemeral', error, {
        ...args.context,
        channel: args.channel,
        user: args.user,
      });
      // The response_url reaches the person even where the bot isn't a member.
      if (args.respond) {
        const ok = await this.respond(args.respond, { response_type: 'ephemeral', ...message }, args.context);
        if (ok) return { ok: true, ts: null };
      }
      return { ok: false, failure };
    }
  }

  /** A reply through a response_url, retried briefly on 429/5xx/network errors. True when it arrived. */
  async respond(
    respond: RespondFn | undefined,
    payload: RespondArguments,
    context: Fields,
  ): Promise<boolean> {
    if (!respond) {
      this.log.warn('no response_url to answer on', context);
      return false;
    }
    const p = payload as RespondArguments & { blocks?: SlackMessage['blocks'] };
    let body: RespondArguments = p;
    if (p.blocks && p.text) {
      const fitted = fitToLimits({ text: p.text, blocks: p.blocks }, this.log);
      const { blocks: _dropped, ...rest } = p;
      body = (
        fitted.blocks.length > 0 ? { ...rest, text: fitted.text, blocks: fitted.blocks } : rest
      ) as RespondArguments;
    }
    let delay = this.respondBackoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.respondOnce(respond, body);
        return true;
      } catch (error) {
        const failure = classifyError(error);
        const retryable =
          failure.kind === 'ratelimited' || failure.kind === 'server_error' || failure.kind === 'network';
        if (!retryable || attempt >= this.respondAttempts) {
          this.failed('response_url', error, { ...context, attempts: attempt });
          return false;
        }
        await sleep(delay);
        delay = Math.min(delay * 2, MAX_RESPOND_BACKOFF_MS);
      }
    }
  }

  /** One response_url post, given up after respondTimeoutMs. */
  private async respondOnce(respond: RespondFn, body: RespondArguments): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        respond(body),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new RespondTimeout(this.respondTimeoutMs)), this.respondTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Replace a message the bot posted (e.g. a card whose feedback buttons were used). */
  async update(
    client: WebClient,
    args: { channel: string; ts: string; message: SlackMessage; context: Fields },
  ): Promise<boolean> {
    const message = fitToLimits(args.message, this.log);
    try {
      await client.chat.update({
        channel: args.channel,
        ts: args.ts,
        text: message.text,
        blocks: message.blocks,
      });
      return true;
    } catch (error) {
      this.failed('chat.update', error, { ...args.context, channel: args.channel });
      return false;
    }
  }

  /** Adds the bot's reaction to a message (quiet mode, outbreaks); one that is already there counts as added. */
  async react(
    client: WebClient,
    args: { channel: string; ts: string; name: string; context: Fields },
  ): Promise<boolean> {
    try {
      await client.reactions.add({ channel: args.channel, timestamp: args.ts, name: args.name });
      return true;
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === 'already_reacted') return true;
      this.failed('reactions.add', error, { ...args.context, channel: args.channel });
      return false;
    }
  }

  async publishHome(client: WebClient, user: string, view: HomeView, context: Fields): Promise<boolean> {
    try {
      await client.views.publish({ user_id: user, view });
      return true;
    } catch (error) {
      this.failed('views.publish', error, { ...context, user });
      return false;
    }
  }

  /**
   * Schedules a message (chat.scheduleMessage; Slack keeps it until `postAt`). The channel may be a
   * user id: Slack then posts in the app's DM with that person. Returns Slack's id and channel.
   */
  async schedule(
    client: WebClient,
    args: {
      channel: string;
      threadTs: string | null;
      postAt: number;
      message: SlackMessage;
      context: Fields;
    },
  ): Promise<{ ok: true; id: string; channel: string } | { ok: false; failure: Failure }> {
    const message = fitToLimits(args.message, this.log);
    try {
      const res = await client.chat.scheduleMessage({
        channel: args.channel,
        post_at: Math.floor(args.postAt / 1000),
        ...(args.threadTs ? { thread_ts: args.threadTs } : {}),
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        unfurl_links: false,
      });
      const id = typeof res.scheduled_message_id === 'string' ? res.scheduled_message_id : '';
      return { ok: true, id, channel: typeof res.channel === 'string' ? res.channel : args.channel };
    } catch (error) {
      return {
        ok: false,
        failure: this.failed('chat.scheduleMessage', error, { ...args.context, channel: args.channel }),
      };
    }
  }

  /** Deletes a scheduled message; one Slack no longer holds (already sent or deleted) counts as deleted. */
  async unschedule(
    client: WebClient,
    args: { channel: string; id: string; context: Fields },
  ): Promise<boolean> {
    try {
      await client.chat.deleteScheduledMessage({ channel: args.channel, scheduled_message_id: args.id });
      return true;
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === 'invalid_scheduled_message_id')
        return true;
      this.failed('chat.deleteScheduledMessage', error, { ...args.context, channel: args.channel });
      return false;
    }
  }

  /** Sends a file to a person's DM with the app (conversations.open, then files.uploadV2). */
  async uploadToDm(
    client: WebClient,
    args: {
      user: string;
      filename: string;
      title: string;
      content: string;
      comment: string;
      context: Fields;
    },
  ): Promise<boolean> {
    let method = 'conversations.open';
    try {
      const dm = await client.conversations.open({ users: args.user });
      const channel = (dm.channel as { id?: string } | undefined)?.id;
      if (!channel) throw new Error('conversations.open gave no channel');
      method = 'files.uploadV2';
      await client.files.uploadV2({
        channel_id: channel,
        filename: args.filename,
        title: args.title,
        content: args.content,
        initial_comment: args.comment,
      });
      return true;
    } catch (error) {
      this.failed(method, error, { ...args.context, user: args.user });
      return false;
    }
  }

  /** Opens a modal on a trigger_id (valid for 3 seconds after the click). */
  async openView(client: WebClient, triggerId: string, view: ModalView, context: Fields): Promise<boolean> {
    try {
      await client.views.open({ trigger_id: triggerId, view });
      return true;
    } catch (error) {
      this.failed('views.open', error, context);
      return false;
    }
  }

  /** Replaces an open modal; `hash` makes Slack refuse it if the modal changed meanwhile. */
  async updateView(
    client: WebClient,
    args: { viewId: string; hash?: string; view: ModalView; context: Fields },
  ): Promise<boolean> {
    try {
      await client.views.update({
        view_id: args.viewId,
        ...(args.hash ? { hash: args.hash } : {}),
        view: args.view,
      });
      return true;
    } catch (error) {
      this.failed('views.update', error, args.context);
      return false;
    }
  }

  private failed(method: string, error: unknown, context: Fields): Failure {
    const failure = classifyError(error);
    this.options.onFailure?.(method, failure.kind);
    this.log.warn('slack call failed', {
      method,
      ...context,
      ...errorFields(error),
      kind: failure.kind,
      code: failure.code,
    });
    return failure;
  }

  /** Best effort: response_url first; else an ephemeral note in the channel; else a DM from the app. */
  private async tellPrivately(
    client: WebClient,
    channel: string,
    threadTs: string | null,
    asker: Asker,
    failure: Failure,
  ): Promise<void> {
    const text = `:warning: ${failureNotice(failure, channel)}`;
    const context = { channel, user: asker.user, notice: failure.kind };
    if (asker.respond) {
      if (
        await this.respond(
          asker.respond,
          { response_type: 'ephemeral', replace_original: false, text },
          context,
        )
      )
        return;
    }
    try {
      if (CHANNEL_GONE.has(failure.kind)) {
        // The channel itself refuses us: the app's own DM with the person still works (chat:write).
        await client.chat.postMessage({ channel: asker.user, text });
      } else {
        await client.chat.postEphemeral({
          channel,
          user: asker.user,
          text,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
      }
    } catch (error) {
      this.failed('notice', error, context);
    }
  }
}
