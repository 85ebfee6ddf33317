import { ACTION_IDS, BLOCK_IDS } from '../../src/cards';
import { startBot, type TestBot } from '../support/bot';
import { blockAction, CHANNEL, slashCommand, USER } from '../support/payloads';

const META_PASSWORD =
  'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Array<Record<string, unknown>>;
};

describe('/tokenfix over signed HTTP', () => {
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

  const responses = (id: string) => bot.fake.responseUrlPosts.filter((p) => p.id === id && p.status === 200);

  it('acks at once and answers privately with the card and a Share in channel button', async () => {
    const res = await bot.post('command', slashCommand(META_PASSWORD, bot.fake.responseUrl('cmd1')));
    expect(res.status).toBe(200);
    await bot.fake.waitFor('the card', () => responses('cmd1').length === 1);
    const body = responses('cmd1')[0]?.body as { response_type: string; text: string; blocks: Block[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/password/i);
    const share = body.blocks.find((b) => b.block_id === BLOCK_IDS.share);
    expect(share?.elements?.[0]?.action_id).toBe(ACTION_IDS.shareInChannel);
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(0);
  });

  it.each([[''], ['help'], ['  HELP ']])('answers %p with the help card', async (text) => {
    await bot.post('command', slashCommand(text, bot.fake.responseUrl('help')));
    await bot.fake.waitFor('the help card', () => responses('help').length === 1);
    expect(String(responses('help')[0]?.body.text)).toMatch(/tokenfix/);
  });

  it('answers text that is not a login error with the short not-a-login card', async () => {
    await bot.post('command', slashCommand('lunch is at noon today', bot.fake.responseUrl('nl')));
    await bot.fake.waitFor('the card', () => responses('nl').length === 1);
    const body = responses('nl')[0]?.body as { text: string; blocks: Block[] };
    expect(body.text).toMatch(/doesn't look like a login|not a login/i);
    expect(body.blocks.some((b) => b.block_id === BLOCK_IDS.share)).toBe(false);
  });

  it('Share in channel posts a fresh public card crediting the sharer, then deletes the private one', async () => {
    await bot.post('command', slashCommand(META_PASSWORD, bot.fake.responseUrl('s1')));
    await bot.fake.waitFor('the card', () => responses('s1').length === 1);
    const card = responses('s1')[0]?.body as { blocks: Block[] };
    const button = card.blocks.find((b) => b.block_id === BLOCK_IDS.share)?.elements?.[0] as {
      value: string;
    };

    const res = await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.shareInChannel,
        blockId: BLOCK_IDS.share,
        value: button.value,
        responseUrl: bot.fake.responseUrl('s1-click'),
        ephemeral: true,
        user: USER,
      }),
    );
    expect(res.status).toBe(200);
    await bot.fake.waitFor('the private card deleted', () => responses('s1-click').length === 1);
    const posts = bot.fake.okCalls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.channel).toBe(CHANNEL);
    expect(posts[0]?.body.thread_ts).toBeUndefined();
    expect(JSON.stringify(posts[0]?.body.blocks)).toContain(`Shared by <@${USER}>`);
    expect(responses('s1-click')[0]?.body).toEqual({ delete_original: true });
  });

  it('shares through the response_url when the bot is not a member of the channel', async () => {
    await bot.post('command', slashCommand(META_PASSWORD, bot.fake.responseUrl('s2')));
    await bot.fake.waitFor('the card', () => responses('s2').length === 1);
    const card = responses('s2')[0]?.body as { blocks: Block[] };
    const button = card.blocks.find((b) => b.block_id === BLOCK_IDS.share)?.elements?.[0] as {
      value: string;
    };
    bot.fake.fail('chat.postMessage', { error: 'not_in_channel' });
    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.shareInChannel,
        blockId: BLOCK_IDS.share,
        value: button.value,
        responseUrl: bot.fake.responseUrl('s2-click'),
        ephemeral: true,
      }),
    );
    await bot.fake.waitFor('public copy + delete', () => responses('s2-click').length === 2);
    const [publicCopy, deletion] = responses('s2-click');
    expect(publicCopy?.body.response_type).toBe('in_channel');
    expect(deletion?.body).toEqual({ delete_original: true });
  });

  it('never logs the pasted text', async () => {
    const secret = 'EAAGm0PX4ZCpsBAKZCZBfakefakefakeTOKEN1234567890abcdef';
    await bot.post(
      'command',
      slashCommand(`${META_PASSWORD} access_token=${secret}`, bot.fake.responseUrl('log')),
    );
    await bot.fake.waitFor('the card', () => responses('log').length === 1);
    await bot.idle();
    const all = bot.logs.join('\n');
    expect(all).toContain('"cause":"password_changed"');
    expect(all).not.toContain(secret);
    expect(all).not.toContain('changed their password');
    expect(JSON.stringify(responses('log')[0]?.body)).not.toContain(secret);
  });
});
