/**
 * "Reply to customer" over signed HTTP: the card's button opens a modal (views.open) in the customer's
 * language, the language menu rewrites it (views.update), and sending posts the agent's edited text in
 * the customer's thread, credited to the agent (view_submission → chat.postMessage).
 */
import { ACTION_IDS, BLOCK_IDS } from '../../src/cards';
import { REPLY_MODAL } from '../../src/cards/customer-reply';
import { startBot, type TestBot } from '../support/bot';
import {
  blockAction,
  CHANNEL,
  eventCallback,
  messageEvent,
  slashCommand,
  viewSelectAction,
  viewSubmission,
} from '../support/payloads';

type Block = {
  type: string;
  block_id?: string;
  elements?: Array<Record<string, unknown>>;
  element?: { initial_value?: string };
  accessory?: { initial_option?: { value?: string } };
};
type View = { callback_id: string; private_metadata: string; blocks: Block[] };

// A German customer's message with the Meta error (the error text from the help article's example).
const GERMAN =
  'Hallo, seit gestern funktioniert unsere Verbindung nicht mehr und wir bekommen diesen Fehler: Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';
const ENGLISH = 'Error validating access token: Session has expired on Monday, 03-Nov-25 04:00:00 PST.';

const buttonValue = (blocks: Block[], actionId: string) =>
  blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)?.value as string;
const replyText = (view: View) => view.blocks.find((b) => b.block_id?.startsWith(REPLY_MODAL.textBlock));

describe('Reply to customer', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });
  afterEach(() => {
    expect(bot.fake.violations).toEqual([]);
    bot.fake.reset();
  });

  it('opens in the language the customer wrote in, rewrites on a language change, and posts in their thread', async () => {
    const customer = messageEvent({ text: GERMAN });
    await bot.post('event', eventCallback(customer));
    await bot.idle();
    const card = bot.fake.okCalls('chat.postMessage')[0]?.body as { thread_ts: string; blocks: Block[] };
    expect(card.thread_ts).toBe(customer.ts);
    const value = buttonValue(card.blocks, ACTION_IDS.replyToCustomer);
    expect(value.length).toBeLessThanOrEqual(2000);
    expect(value).not.toContain('Error validating');

    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.replyToCustomer,
        blockId: BLOCK_IDS.customer,
        value,
        message: { ts: '1600009999.000100', thread_ts: customer.ts as string, bot_id: 'B0TOKENFIX' },
        responseUrl: bot.fake.responseUrl('rc1'),
      }),
    );
    await bot.idle();
    const opened = bot.fake.okCalls('views.open')[0]?.body as { trigger_id: string; view: View };
    expect(opened.trigger_id).toBe('1.2.3');
    expect(opened.view.callback_id).toBe(REPLY_MODAL.callbackId);
    const language = opened.view.blocks.find((b) => b.block_id === REPLY_MODAL.languageBlock);
    expect(language?.accessory?.initial_option?.value).toBe('de');
    const german = replyText(opened.view)?.element?.initial_value ?? '';
    expect(german).toMatch(/^Hallo,/);
    expect(german).toContain('Passwort');
    expect(german).toContain('https://www.facebook.com/help/');
    // Nothing internal: no cause ids, codes or confidence.
    expect(german).not.toMatch(/password_changed|190|confidence|%/);
    // The agent's Slack locale was not needed: the message told the language.
    expect(bot.fake.okCalls('users.info')).toHaveLength(0);

    await bot.post(
      'interactive',
      viewSelectAction({
        actionId: ACTION_IDS.replyLanguage,
        blockId: REPLY_MODAL.languageBlock,
        selected: 'fi',
        view: { id: 'V0MODAL', hash: 'h1', private_metadata: opened.view.private_metadata },
      }),
    );
    await bot.idle();
    const updated = bot.fake.okCalls('views.update')[0]?.body as {
      view_id: string;
      hash: string;
      view: View;
    };
    expect(updated).toMatchObject({ view_id: 'V0MODAL', hash: 'h1' });
    expect(replyText(updated.view)?.element?.initial_value).toMatch(/^Hei,/);

    const edited =
      'Hei! Yhteyden kirjautuminen vanheni. Kirjautukaa uudelleen: https://www.facebook.com/help/405094243235242';
    const res = await bot.post(
      'interactive',
      viewSubmission({
        callbackId: REPLY_MODAL.callbackId,
        privateMetadata: updated.view.private_metadata,
        values: {
          [`${REPLY_MODAL.textBlock}_fi`]: {
            [REPLY_MODAL.textInput]: { type: 'plain_text_input', value: edited },
          },
        },
        user: 'U0AGENT',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await bot.idle();
    const sent = bot.fake.okCalls('chat.postMessage').at(-1)?.body as {
      channel: string;
      thread_ts: string;
      text: string;
      blocks: Block[];
    };
    expect(sent).toMatchObject({ channel: CHANNEL, thread_ts: customer.ts, text: edited });
    expect(JSON.stringify(sent.blocks)).toContain('Sent by <@U0AGENT>');
    // The agent's text is posted, never logged.
    expect(bot.logs.join('\n')).not.toContain('Kirjautukaa uudelleen');
  });

  it("falls back to the agent's Slack locale when the message is English; a private card replies in the channel", async () => {
    bot.fake.userLocales.set('U0FRENCH', 'fr-FR');
    await bot.post('command', slashCommand(ENGLISH, bot.fake.responseUrl('rc2')));
    await bot.idle();
    const privateCard = bot.fake.responseUrlPosts.find((p) => p.id === 'rc2')?.body as { blocks: Block[] };
    const value = buttonValue(privateCard.blocks, ACTION_IDS.replyToCustomer);
    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.replyToCustomer,
        blockId: BLOCK_IDS.customer,
        value,
        ephemeral: true,
        user: 'U0FRENCH',
        responseUrl: bot.fake.responseUrl('rc2-click'),
      }),
    );
    await bot.idle();
    expect(bot.fake.okCalls('users.info')[0]?.body).toMatchObject({ user: 'U0FRENCH' });
    const opened = bot.fake.okCalls('views.open')[0]?.body as { view: View };
    const text = replyText(opened.view)?.element?.initial_value ?? '';
    expect(text).toMatch(/^Bonjour,/);
    expect(JSON.parse(opened.view.private_metadata)).toMatchObject({ c: CHANNEL, t: null });
  });

  it("the agent's text goes out as text: a typed <!channel>, mention or link markup is not live in the post", async () => {
    // A plain_text_input hands back exactly what was typed; the block shows it as plain text, but the
    // post's top-level `text` (notifications, clients without blocks) is read as mrkdwn.
    const typed =
      '<!channel> <@U0CEO> please reconnect here: <https://evil.example/login|facebook.com/help> & thanks';
    const res = await bot.post(
      'interactive',
      viewSubmission({
        callbackId: REPLY_MODAL.callbackId,
        privateMetadata: JSON.stringify({
          c: CHANNEL,
          t: '1600000000.000100',
          s: { platform: 'meta', cause: 'unknown', dataSource: null },
        }),
        values: {
          [`${REPLY_MODAL.textBlock}_en`]: {
            [REPLY_MODAL.textInput]: { type: 'plain_text_input', value: typed },
          },
        },
        user: 'U0AGENT',
      }),
    );
    expect(res.status).toBe(200);
    await bot.idle();
    const sent = bot.fake.okCalls('chat.postMessage').at(-1)?.body as { text: string; blocks: Block[] };
    expect(sent.text).not.toMatch(/<!channel>|<@U0CEO>|<https:/);
    expect(sent.text).toBe(
      '&lt;!channel&gt; &lt;@U0CEO&gt; please reconnect here: &lt;https://evil.example/login|facebook.com/help&gt; &amp; thanks',
    );
    // The block is plain text: shown as typed.
    expect(JSON.stringify(sent.blocks)).toContain('"type":"plain_text"');
  });

  it('an empty reply is refused in the modal, and nothing is posted', async () => {
    const res = await bot.post(
      'interactive',
      viewSubmission({
        callbackId: REPLY_MODAL.callbackId,
        privateMetadata: JSON.stringify({
          c: CHANNEL,
          t: null,
          s: { platform: 'meta', cause: 'unknown', dataSource: null },
        }),
        values: {
          [`${REPLY_MODAL.textBlock}_en`]: {
            [REPLY_MODAL.textInput]: { type: 'plain_text_input', value: '   ' },
          },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response_action: 'errors' });
    await bot.idle();
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);
  });
});
