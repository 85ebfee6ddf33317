import type { KnownBlock } from '@slack/types';

/** What the bot posts: a notification/screen-reader fallback plus the Block Kit card. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Action ids fixed by the contract. */
export const ACTION_IDS = {
  fixed: 'feedback_fixed',
  stillBroken: 'feedback_still_broken',
  shareInChannel: 'share_in_channel',
  replyInThread: 'reply_in_thread',
  /** Opens the "Reply to customer" modal. */
  replyToCustomer: 'reply_to_customer',
  /** The language menu inside that modal. */
  replyLanguage: 'customer_reply_language',
  /** Schedules a reminder before a renewed fixed-lifetime login ends. */
  remindBeforeExpiry: 'remind_before_expiry',
  /** App Home: cancels one of the person's reminders. */
  cancelReminder: 'cancel_reminder',
  /** App Home: sends the workspace's figures as a CSV file to the person's DM. */
  exportStats: 'export_stats_csv',
} as const;

/**
 * Block ids: the listeners look for some when they update a card in place, and every message tokenfix
 * posts carries at least one, all starting with BLOCK_ID_PREFIX, so its own cards are known when
 * another app posts them again (src/cards/recognize.ts).
 */
export const BLOCK_IDS = {
  feedback: 'tokenfix_feedback',
  share: 'tokenfix_share',
  customer: 'tokenfix_customer',
  customerReply: 'tokenfix_customer_reply',
  reminder: 'tokenfix_reminder',
  card: 'tokenfix_card',
  help: 'tokenfix_help',
  alert: 'tokenfix_alert',
  pointer: 'tokenfix_pointer',
  settings: 'tokenfix_settings',
} as const;

export const BLOCK_ID_PREFIX = 'tokenfix_';

/**
 * Every fallback text tokenfix posts starts with this, so a re-post of the text alone (the part other
 * apps copy most often) is still known as ours. Readable in a notification.
 */
export const FALLBACK_MARK = '🔑 tokenfix ·';

export function markFallback(text: string): string {
  return `${FALLBACK_MARK} ${text}`;
}
