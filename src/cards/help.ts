import type { KnownBlock } from '@slack/types';
import type { Knowledge } from '../diagnosis/knowledge';
import { escapeMrkdwn } from './text';
import { BLOCK_IDS, markFallback, type SlackMessage } from './types';

/** Real error texts from the help article, used as examples people can try. */
export const HELP_EXAMPLES = [
  'Error validating access token: Session has expired',
  'The token used in the request has expired',
  'invalid_grant',
] as const;

/** The five ways in, with examples. Shown for `/tokenfix`, `/tokenfix help` and a bare mention. */
export function renderHelpCard(knowledge: Knowledge): SlackMessage {
  const emoji = knowledge.settings.triggerEmoji;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: BLOCK_IDS.help,
      text: { type: 'plain_text', text: '🔑 tokenfix: why did the login break?', emoji: true },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          'Paste a connector error and I tell you which platform it came from, *why* the login broke ' +
          '(expired, unused, password changed, 2FA, access removed…) and how to fix it.',
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*Five ways to ask*',
          // Slack reads <…> as markup even in code: the placeholder is escaped like any plain text.
          `• \`/tokenfix ${escapeMrkdwn('<error text>')}\`: a private answer you can share, e.g. \`/tokenfix ${escapeMrkdwn(HELP_EXAMPLES[0])}\``,
          '• Mention me with the error, or mention me alone in a thread to check its first message',
          '• Message menu (⋯) → *Diagnose token error* on any message, including alerts from other apps',
          `• React with :${emoji}: to a message and I answer in its thread`,
          '• In channels I am in, I answer login errors in their thread by myself (and stay quiet otherwise)',
          '• A screenshot of the error works too: I read the picture (PNG, JPEG or WebP) when its message has no error text',
        ].join('\n'),
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*In a channel*',
          '• `/tokenfix listen reply`: I answer login errors in their thread (the default)',
          `• \`/tokenfix listen react\`: the quiet mode for busy channels: I only add :${emoji}:; react with :${emoji}: yourself or use the message menu for the card`,
          '• `/tokenfix listen off`: I stay quiet unless asked',
          "• `/tokenfix bots on|off`: whether I read other apps' messages there (connector alert bots)",
          '• `/tokenfix listen images on|off`: whether I read screenshots shared there (on by default)',
          '• `/tokenfix stats`: that channel’s login errors and fix rate, just for you',
          '• `/tokenfix alerts here|off`: post outbreak alerts (many reports of one platform’s login problem at once) in that channel, for the whole workspace, or stop them',
          'Changes are announced in the channel with who made them. The figures for the whole workspace are on my Home tab.',
        ].join('\n'),
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'People outside your organisation (Slack Connect) cannot use the slash command; mentions, the message menu and reactions work for them.',
        },
      ],
    },
  ];
  return {
    text: markFallback('paste a connector login error to find out why it broke and how to fix it.'),
    blocks,
  };
}
