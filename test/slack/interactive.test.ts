import { ACTION_IDS, BLOCK_IDS, renderCard } from '../../src/cards';
import { analyze } from '../../src/diagnosis/diagnose';
import { openStore, type Store } from '../../src/store';
import { knowledge, startBot, type TestBot } from '../support/bot';
import { blockAction, CHANNEL, messageShortcut, nextTs, slashCommand, USER } from '../support/payloads';

const META_PASSWORD =
  'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';
const MS_INACTIVE =
  'AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2024-01-01 and was inactive for 90.00:00:00.';

type Block = { type: string; block_id?: string; elements?: Array<Record<string, unknown>> };

describe('message shortcut and buttons over signed HTTP', () => {
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

  const ephemerals = () => bot.fake.okCalls('chat.postEphemeral');
  const posts = () => bot.fake.okCalls('chat.postMessage');
  const responses = (id: string) => bot.fake.responseUrlPosts.filter((p) => p.id === id && p.status === 200);
  const buttonValue = (blocks: Block[], actionId: string) =>
    blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)?.value as string;

  describe('Diagnose token error (message shortcut)', () => {
    const alert = () => ({
      ts: nextTs(),
      bot_id: 'B0ALERTS',
      text: '',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Connector sync failed' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Source*\nMicrosoft Ads' },
            { type: 'mrkdwn', text: `*Error*\n${MS_INACTIVE}` },
          ],
        },
      ],
    });

    it('sends the card privately, with a Reply in thread button that posts it publicly', async () => {
      const message = alert();
      const res = await bot.post('interactive', messageShortcut(message, bot.fake.responseUrl('sc1')));
      expect(res.status).toBe(200);
      await bot.idle();
      expect(ephemerals()).toHaveLength(1);
      const eph = ephemerals()[0]?.body as {
        channel: string;
        user: string;
        thread_ts?: string;
        text: string;
        blocks: Block[];
      };
      expect(eph).toMatchObject({ channel: CHANNEL, user: USER });
      expect(eph.thread_ts).toBeUndefined();
      expect(eph.text).toMatch(/Microsoft/);
      const value = buttonValue(eph.blocks, ACTION_IDS.replyInThread);
      expect(value.length).toBeLessThanOrEqual(2000);

      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.replyInThread,
          blockId: BLOCK_IDS.share,
          value,
          ephemeral: true,
          user: USER,
          responseUrl: bot.fake.responseUrl('sc1-click'),
        }),
      );
      await bot.idle();
      expect(posts()).toHaveLength(1);
      expect(posts()[0]?.body).toMatchObject({ channel: CHANNEL, thread_ts: message.ts });
      expect(JSON.stringify(posts()[0]?.body.blocks)).toContain(`Shared by <@${USER}>`);
      expect(responses('sc1-click')[0]?.body).toMatchObject({ replace_original: true });
    });

    it('on a thread reply: shown in that thread, and replies go to that thread', async () => {
      const parent = nextTs();
      const message = { ts: nextTs(), thread_ts: parent, user: 'U0OTHER', text: META_PASSWORD };
      await bot.post('interactive', messageShortcut(message, bot.fake.responseUrl('sc2')));
      await bot.idle();
      const eph = ephemerals()[0]?.body as { thread_ts?: string; blocks: Block[] };
      expect(eph.thread_ts).toBe(parent);
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.replyInThread,
          blockId: BLOCK_IDS.share,
          value: buttonValue(eph.blocks, ACTION_IDS.replyInThread),
          ephemeral: true,
          responseUrl: bot.fake.responseUrl('sc2-click'),
        }),
      );
      await bot.idle();
      expect(posts()[0]?.body.thread_ts).toBe(parent);
    });

    it('falls back to the response_url where chat.postEphemeral is refused', async () => {
      bot.fake.fail('chat.postEphemeral', { error: 'channel_not_found' });
      await bot.post('interactive', messageShortcut(alert(), bot.fake.responseUrl('sc3'), 'C0PRIVATE'));
      await bot.idle();
      expect(responses('sc3')).toHaveLength(1);
      expect(responses('sc3')[0]?.body).toMatchObject({ response_type: 'ephemeral' });
      expect(String(responses('sc3')[0]?.body.text)).toMatch(/Microsoft/);
    });

    it('a message with no readable text gets the short not-a-login card', async () => {
      await bot.post(
        'interactive',
        messageShortcut({ ts: nextTs(), user: 'U0OTHER', text: '' }, bot.fake.responseUrl('sc4')),
      );
      await bot.idle();
      expect(String(ephemerals()[0]?.body.text)).toMatch(/login/i);
    });

    it('Reply in thread where the bot is not a member: the clicker is told privately', async () => {
      await bot.post('interactive', messageShortcut(alert(), bot.fake.responseUrl('sc5')));
      await bot.idle();
      const card = ephemerals()[0]?.body as { blocks: Block[] } | undefined;
      const value = buttonValue(card?.blocks ?? [], ACTION_IDS.replyInThread);
      bot.fake.fail('chat.postMessage', { error: 'not_in_channel' });
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.replyInThread,
          blockId: BLOCK_IDS.share,
          value,
          ephemeral: true,
          responseUrl: bot.fake.responseUrl('sc5-click'),
        }),
      );
      await bot.idle();
      expect(posts()).toHaveLength(0);
      expect(String(responses('sc5-click')[0]?.body.text)).toMatch(/invite/i);
      expect(responses('sc5-click')[0]?.body.replace_original).toBe(false);
    });
  });

  describe('feedback buttons', () => {
    const publicCard = () => {
      const { diagnosis, excerpt } = analyze(MS_INACTIVE, knowledge());
      const card = renderCard(knowledge(), diagnosis, { excerpt });
      return { ts: nextTs(), text: card.text, blocks: card.blocks as unknown as Block[] };
    };

    it.each([
      [ACTION_IDS.fixed, /✅ Fixed — confirmed by <@U0CLICKER>/],
      [ACTION_IDS.stillBroken, /Still broken — noted by <@U0CLICKER>/],
    ])('%s acks and shows who said it on the public card, keeping the buttons', async (actionId, note) => {
      const card = publicCard();
      const value = buttonValue(card.blocks, actionId);
      const res = await bot.post(
        'interactive',
        blockAction({ actionId, value, message: card, responseUrl: bot.fake.responseUrl('fb') }),
      );
      expect(res.status).toBe(200);
      await bot.idle();
      const updates = bot.fake.okCalls('chat.update');
      expect(updates).toHaveLength(1);
      expect(updates[0]?.body).toMatchObject({ channel: CHANNEL, ts: card.ts });
      const blocks = updates[0]?.body.blocks as Block[];
      // The buttons stay, so others can vote and a second click can change a vote.
      expect(blocks.some((b) => b.block_id === BLOCK_IDS.feedback)).toBe(true);
      expect(blocks.filter((b) => b.block_id === 'tokenfix_feedback_done')).toHaveLength(1);
      expect(JSON.stringify(blocks)).toMatch(note);
      expect(blocks.length).toBeGreaterThan(card.blocks.length);
    });

    /** The private card `/tokenfix <text>` answers with, as the response_url received it. */
    const privateCard = async (id: string, text: string) => {
      await bot.post('command', slashCommand(text, bot.fake.responseUrl(id)));
      await bot.idle();
      const card = responses(id)[0]?.body as { text: string; blocks: Block[] };
      bot.fake.reset();
      return card;
    };
    const header = (blocks: Block[]) => JSON.stringify(blocks[0]);

    it('Fixed it on a private card changes the card itself (replace_original), no second message', async () => {
      const card = await privateCard('pc', META_PASSWORD);
      const value = buttonValue(card.blocks, ACTION_IDS.fixed);
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.fixed,
          value,
          ephemeral: true,
          responseUrl: bot.fake.responseUrl('pc-fixed'),
        }),
      );
      await bot.idle();
      // This bot has no store: the only other answer is the private note that the vote wasn't saved.
      const sent = responses('pc-fixed').filter((p) => p.body.replace_original !== false);
      expect(
        responses('pc-fixed')
          .filter((p) => p.body.replace_original === false)
          .map((p) => p.body.text),
      ).toEqual([expect.stringMatching(/couldn't save your feedback/)]);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.body).toMatchObject({ replace_original: true, text: card.text });
      const blocks = sent[0]?.body.blocks as Block[];
      // The same card, drawn again from the diagnosis: header, quoted line, buttons, and the outcome.
      expect(header(blocks)).toBe(header(card.blocks));
      expect(JSON.stringify(blocks)).toContain(JSON.stringify(card.blocks[1]));
      expect(blocks.filter((b) => b.block_id === 'tokenfix_feedback_done')).toHaveLength(1);
      expect(JSON.stringify(blocks)).toMatch(/✅ Fixed — confirmed by <@U0CLICKER>/);
      expect(buttonValue(blocks, ACTION_IDS.shareInChannel)).toBe(
        buttonValue(card.blocks, ACTION_IDS.shareInChannel),
      );
      expect(buttonValue(blocks, ACTION_IDS.fixed)).toBe(value);
      expect(bot.fake.callsTo('chat.postEphemeral')).toHaveLength(0);
      expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(0);
    });

    it('Still broken on a private card adds the next cause inside the card', async () => {
      const card = await privateCard('pc2', 'Google Ads: invalid_grant');
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.stillBroken,
          value: buttonValue(card.blocks, ACTION_IDS.stillBroken),
          ephemeral: true,
          responseUrl: bot.fake.responseUrl('pc2-broken'),
        }),
      );
      await bot.idle();
      const sent = responses('pc2-broken').filter((p) => p.body.replace_original !== false);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.body.replace_original).toBe(true);
      const blocks = sent[0]?.body.blocks as Block[];
      expect(blocks.some((b) => b.block_id === 'tokenfix_next_cause')).toBe(true);
      expect(JSON.stringify(blocks)).toMatch(/Still broken — noted by <@U0CLICKER>/);
    });

    it('a private card from the message menu keeps its Reply in thread target when redrawn', async () => {
      const message = { ts: nextTs(), user: 'U0OTHER', text: MS_INACTIVE };
      await bot.post('interactive', messageShortcut(message, bot.fake.responseUrl('pc3')));
      await bot.idle();
      const eph = ephemerals()[0]?.body as { blocks: Block[] };
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.fixed,
          value: buttonValue(eph.blocks, ACTION_IDS.fixed),
          ephemeral: true,
          responseUrl: bot.fake.responseUrl('pc3-fixed'),
        }),
      );
      await bot.idle();
      const blocks = responses('pc3-fixed')[0]?.body.blocks as Block[];
      expect(buttonValue(blocks, ACTION_IDS.replyInThread)).toBe(
        buttonValue(eph.blocks, ACTION_IDS.replyInThread),
      );
    });

    it('on an older private card whose buttons carry no diagnosis: the vote is confirmed beside it', async () => {
      const card = publicCard();
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.stillBroken,
          value: buttonValue(card.blocks, ACTION_IDS.stillBroken),
          ephemeral: true,
          responseUrl: bot.fake.responseUrl('fb-eph'),
        }),
      );
      await bot.idle();
      expect(bot.fake.callsTo('chat.update')).toHaveLength(0);
      expect(responses('fb-eph')[0]?.body).toMatchObject({
        response_type: 'ephemeral',
        replace_original: false,
      });
      expect(String(responses('fb-eph')[0]?.body.text)).toMatch(/Still broken/);
    });

    it('a response_url that fails with 5xx is retried', async () => {
      bot.fake.fail('response_url', { status: 502 });
      await bot.post(
        'interactive',
        blockAction({
          actionId: ACTION_IDS.fixed,
          value: '{}',
          ephemeral: true,
          responseUrl: bot.fake.responseUrl('fb-retry'),
        }),
      );
      await bot.idle();
      expect(bot.fake.responseUrlPosts.filter((p) => p.id === 'fb-retry').map((p) => p.status)).toEqual([
        502, 200,
      ]);
    });
  });
});

describe('Fixed it on a private card, with a store', () => {
  let bot: TestBot;
  let store: Store;
  beforeAll(async () => {
    store = await openStore('sqlite::memory:');
    bot = await startBot({ store });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
  });

  it('the card changes in place and nothing else is posted', async () => {
    await bot.post('command', slashCommand(META_PASSWORD, bot.fake.responseUrl('st')));
    await bot.idle();
    const card = bot.fake.responseUrlPosts.find((p) => p.id === 'st')?.body as { blocks: Block[] };
    const value = card.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION_IDS.fixed)
      ?.value as string;
    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.fixed,
        value,
        ephemeral: true,
        responseUrl: bot.fake.responseUrl('st-fixed'),
      }),
    );
    await bot.idle();
    const sent = bot.fake.responseUrlPosts.filter((p) => p.id === 'st-fixed');
    expect(sent.map((p) => p.body.replace_original)).toEqual([true]);
    expect(JSON.stringify(sent[0]?.body.blocks)).toMatch(/✅ Fixed — confirmed by <@U0CLICKER>/);
    expect(bot.fake.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(bot.fake.violations).toEqual([]);
  });
});
