import { messageText } from '../../src/slack/message-text';

describe('messageText', () => {
  it('reads text, and rich_text blocks without repeating what text already says', () => {
    const text = 'Sync failed: invalid_grant';
    const m = {
      text,
      blocks: [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Sync failed: ' },
                { type: 'text', text: 'invalid_grant' },
              ],
            },
          ],
        },
      ],
    };
    expect(messageText(m)).toBe(text);
  });

  it('reads rich_text lists, quotes, code blocks, links, mentions and emoji', () => {
    const m = {
      text: '',
      blocks: [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'user', user_id: 'U1' },
                { type: 'text', text: ' look ' },
                { type: 'emoji', name: 'key' },
              ],
            },
            {
              type: 'rich_text_preformatted',
              elements: [{ type: 'text', text: 'AADSTS700082: The refresh token has expired' }],
            },
            {
              type: 'rich_text_quote',
              elements: [{ type: 'link', url: 'https://graph.facebook.com', text: 'graph' }],
            },
            {
              type: 'rich_text_list',
              style: 'bullet',
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'item one' }] }],
            },
          ],
        },
      ],
    };
    const out = messageText(m);
    expect(out).toContain('<@U1> look :key:');
    expect(out).toContain('AADSTS700082: The refresh token has expired');
    expect(out).toContain('graph (https://graph.facebook.com)');
    expect(out).toContain('• item one');
  });

  it('reads section text and fields, context and header blocks', () => {
    const m = {
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Connector alert' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Source*: LinkedIn Ads' },
          fields: [{ type: 'mrkdwn', text: 'The token used in the request has expired' }],
        },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: 'job 42' },
            { type: 'image', image_url: 'https://x', alt_text: 'x' },
          ],
        },
        { type: 'divider' },
      ],
    };
    expect(messageText(m).split('\n')).toEqual([
      'Connector alert',
      '*Source*: LinkedIn Ads',
      'The token used in the request has expired',
      'job 42',
    ]);
  });

  it('reads attachments: pretext, title, text, fields, nested blocks; fallback only when nothing else', () => {
    const m = {
      text: '',
      attachments: [
        {
          pretext: 'Alert',
          title: 'Facebook Ads',
          text: 'Error validating access token',
          fields: [{ title: 'Code', value: '190' }],
          fallback: 'summary',
        },
        { fallback: 'Only a fallback: invalid_grant' },
        { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'nested block text' } }] },
      ],
    };
    const out = messageText(m);
    expect(out).toContain('Alert');
    expect(out).toContain('Facebook Ads');
    expect(out).toContain('Error validating access token');
    expect(out).toContain('Code: 190');
    expect(out).toContain('Only a fallback: invalid_grant');
    expect(out).toContain('nested block text');
    expect(out).not.toContain('summary');
  });

  it('survives junk shapes and caps the size', () => {
    expect(messageText(null)).toBe('');
    expect(messageText({ text: 5, blocks: 'x', attachments: [null, 3, { fields: 'no' }] })).toBe('');
    expect(
      messageText({
        blocks: [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: null }] }],
      }),
    ).toBe('');
    expect(messageText({ text: 'a'.repeat(100_000) }).length).toBe(60_000);
  });
});
