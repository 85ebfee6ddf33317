/** The App Home tab: the five ways in, each with an example. Pure: knowledge in, view out (≤ 100 blocks). */
import type { HomeView, KnownBlock } from '@slack/types';
import type { Knowledge } from '../diagnosis/knowledge';
import { HELP_EXAMPLES } from './help';

export const HOME_CALLBACK_ID = 'tokenfix_home';

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

export function renderHomeView(knowledge: Knowledge): HomeView {
  const emoji = knowledge.settings.triggerEmoji;
  const [first, second, third] = HELP_EXAMPLES;
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
      how: 'When a message in a channel I was invited to is a login (token) error, I reply in its thread, once per cause. Anything else gets no reply from me.',
      example:
        'Invite me with `/invite @tokenfix`. You can also write to me here in *Messages*: every message is a question.',
    },
  ];
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: '🔑 tokenfix: why did the connector login break?', emoji: true },
    },
    section(
      'Data connectors stop with errors like _"Error validating access token"_ or `invalid_grant` when their login (access token) ' +
        'is no longer valid. I tell you which platform it is, *why* the login broke (expired, unused, password changed, ' +
        '2FA turned on, access removed…) and the steps that fix it.',
    ),
    { type: 'divider' },
  ];
  for (const way of ways) {
    blocks.push(section(`*${way.title}*\n${way.how}`));
    blocks.push(note(way.example));
  }
  blocks.push({ type: 'divider' });
  blocks.push(
    note(
      ':lock: Access tokens, passwords and keys in what you paste are masked before anything reads it, and I never store or log the text itself.',
    ),
  );
  return { type: 'home', callback_id: HOME_CALLBACK_ID, blocks };
}
