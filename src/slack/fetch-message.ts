/**
 * Reading back one message by its ts, never whole threads: conversations.history/replies are limited
 * to 1 call a minute and 15 messages for new commercially distributed apps.
 */
import type { WebClient } from '@slack/web-api';
import { errorFields, type Fields, type Log } from '../log';
import type { MessageLike } from './message-text';

export interface FetchedMessage extends MessageLike {
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
}

type Messages = { messages?: FetchedMessage[] } | undefined;

const find = (res: Messages, ts: string): FetchedMessage | null =>
  res?.messages?.find((m) => m.ts === ts) ?? null;

/** The first message of a thread (its parent). */
export async function fetchThreadParent(
  client: WebClient,
  channel: string,
  threadTs: string,
  log: Log,
  context: Fields,
): Promise<FetchedMessage | null> {
  try {
    const res = (await client.conversations.replies({ channel, ts: threadTs, limit: 1 })) as Messages;
    return find(res, threadTs) ?? res?.messages?.[0] ?? null;
  } catch (error) {
    log.warn('could not read the thread parent', {
      method: 'conversations.replies',
      channel,
      ...context,
      ...errorFields(error),
    });
    return null;
  }
}

/**
 * Any one message by ts: a top-level one via conversations.history (latest=ts, inclusive, limit 1);
 * if that finds nothing it is a thread reply, read via conversations.replies bounded to that ts.
 */
export async function fetchMessage(
  client: WebClient,
  channel: string,
  ts: string,
  log: Log,
  context: Fields,
): Promise<FetchedMessage | null> {
  try {
    const res = (await client.conversations.history({
      channel,
      latest: ts,
      inclusive: true,
      limit: 1,
    })) as Messages;
    const top = find(res, ts);
    if (top) return top;
    const replies = (await client.conversations.replies({
      channel,
      ts,
      oldest: ts,
      latest: ts,
      inclusive: true,
      limit: 2,
    })) as Messages;
    return find(replies, ts);
  } catch (error) {
    log.warn('could not read the message', { channel, ts, ...context, ...errorFields(error) });
    return null;
  }
}
