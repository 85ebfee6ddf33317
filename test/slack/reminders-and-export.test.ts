/**
 * "Remind me before it expires" and App Home's CSV export, over signed HTTP with a real SQLite store:
 * the reminder is scheduled in Slack (chat.scheduleMessage) a few days before the renewed login's end,
 * listed on App Home with Cancel, still listed after a restart, and cancelled there; the export goes to
 * the person's DM as a CSV file (conversations.open, files.uploadV2), ids and counts only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_IDS, BLOCK_IDS } from '../../src/cards';
import { reminderPlan } from '../../src/cards/reminder';
import { loadKnowledge } from '../../src/diagnosis/knowledge';
import { openStore, type Store } from '../../src/store';
import { FakeSlack } from '../../src/testing/fake-slack';
import { startBot, type TestBot } from '../support/bot';
import {
  blockAction,
  CHANNEL,
  eventCallback,
  messageEvent,
  nextTs,
  slashCommand,
  TEAM,
} from '../support/payloads';

type Block = {
  type: string;
  block_id?: string;
  elements?: Array<Record<string, unknown>>;
  accessory?: Record<string, unknown>;
};

const DAY_S = 86_400;
// The help article's lifetime example (Meta 190/463) and a Google app in "Testing" (7-day refresh tokens).
const META_EXPIRED =
  'Error validating access token: Session has expired on Monday, 03-Nov-25 04:00:00 PST. The current time is Tuesday, 04-Nov-25 09:12:10 PST.';
const PASSWORD =
  'Error validating access token: The session has been invalidated because the user changed their password.';

const tmp = mkdtempSync(join(tmpdir(), 'tokenfix-reminders-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const buttonValue = (blocks: Block[], actionId: string) =>
  blocks
    .flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])])
    .find((e) => e.action_id === actionId)?.value as string | undefined;

async function openHome(bot: TestBot, user: string): Promise<Block[]> {
  await bot.post(
    'event',
    eventCallback({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: nextTs() }),
  );
  await bot.idle();
  const view = bot.fake.okCalls('views.publish').at(-1)?.body.view as { blocks: Block[] } | undefined;
  if (!view) throw new Error('no Home tab published');
  return view.blocks;
}

describe('reminders and the CSV export', () => {
  let store: Store;
  let bot: TestBot;
  let fake: FakeSlack;
  const file = join(tmp, 'tokenfix.db');

  beforeAll(async () => {
    store = await openStore(`sqlite:${file}`);
    // The test's own fake Slack, so it outlives the restart below.
    fake = await FakeSlack.start();
    bot = await startBot({ store, fake });
  });
  afterAll(async () => {
    await bot.close();
    await fake.close();
    await store.close();
  });
  afterEach(() => {
    expect(fake.violations).toEqual([]);
  });
  const privateText = (id: string) =>
    (fake.responseUrlPosts.find((p) => p.id === id)?.body as { text?: string } | undefined)?.text;

  it('schedules the reminder in the card thread 57 days out, lists it on App Home, keeps it across a restart, and cancels it', async () => {
    fake.reset();
    const customer = messageEvent({ text: META_EXPIRED });
    await bot.post('event', eventCallback(customer));
    await bot.idle();
    const card = fake.okCalls('chat.postMessage')[0]?.body as {
      ts?: string;
      thread_ts: string;
      blocks: Block[];
    };
    const value = buttonValue(card.blocks, ACTION_IDS.remindBeforeExpiry);
    expect(value).toBeDefined();

    const clickedAt = Date.now() / 1000;
    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.remindBeforeExpiry,
        blockId: BLOCK_IDS.customer,
        value: value as string,
        user: 'U0AGENT',
        message: { ts: '1600009999.000200', thread_ts: customer.ts as string, bot_id: 'B0TOKENFIX' },
        responseUrl: fake.responseUrl('remind1'),
      }),
    );
    await bot.idle();
    const scheduled = fake.okCalls('chat.scheduleMessage')[0]?.body as {
      channel: string;
      thread_ts: string;
      post_at: string;
      text: string;
      blocks: Block[];
    };
    expect(scheduled).toMatchObject({ channel: CHANNEL, thread_ts: customer.ts });
    // 60-day Meta tokens, reminded 3 days before the end (knowledge settings.reminderLeadDays).
    expect(Number(scheduled.post_at) - clickedAt).toBeGreaterThan(57 * DAY_S - 60);
    expect(Number(scheduled.post_at) - clickedAt).toBeLessThan(57 * DAY_S + 60);
    expect(scheduled.text).toMatch(/Meta login ends around/);
    expect(JSON.stringify(scheduled.blocks)).toContain('https://www.facebook.com/help/');
    const confirmation = fake.responseUrlPosts.find((p) => p.id === 'remind1')?.body as {
      text: string;
      response_type: string;
    };
    expect(confirmation).toMatchObject({ response_type: 'ephemeral' });
    expect(confirmation.text).toMatch(/remind you in this thread/);

    const [pending] = await store.pendingReminders(TEAM, 'U0AGENT', Date.now());
    const id = pending?.id;
    expect(id).toMatch(/^Q\d+$/);
    expect(fake.scheduled.has(id as string)).toBe(true);
    // Someone else's Home tab does not show it.
    expect(buttonValue(await openHome(bot, 'U0OTHER'), ACTION_IDS.cancelReminder)).toBeUndefined();

    // A restart: Slack keeps the message, the store keeps its id, and App Home lists it with Cancel.
    await bot.close();
    bot = await startBot({ store, fake });
    const home = await openHome(bot, 'U0AGENT');
    expect(buttonValue(home, ACTION_IDS.cancelReminder)).toBe(id);
    expect(JSON.stringify(home)).toContain('Meta login');

    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.cancelReminder,
        value: id as string,
        user: 'U0AGENT',
        responseUrl: fake.responseUrl('c1'),
      }),
    );
    await bot.idle();
    expect(fake.okCalls('chat.deleteScheduledMessage')[0]?.body).toMatchObject({
      channel: CHANNEL,
      scheduled_message_id: id,
    });
    expect(fake.scheduled.has(id as string)).toBe(false);
    const republished = fake.okCalls('views.publish').at(-1)?.body.view as { blocks: Block[] };
    expect(buttonValue(republished.blocks, ACTION_IDS.cancelReminder)).toBeUndefined();
    expect(await store.pendingReminders(TEAM, 'U0AGENT', Date.now())).toEqual([]);
  });

  it("a private card schedules it in the person's DM; a cause without a fixed lifetime offers no reminder", async () => {
    fake.reset();
    await bot.post('command', slashCommand(META_EXPIRED, fake.responseUrl('cmd1'), { user_id: 'U0SOLO' }));
    await bot.idle();
    const privateCard = fake.responseUrlPosts.find((p) => p.id === 'cmd1')?.body as { blocks: Block[] };
    const value = buttonValue(privateCard.blocks, ACTION_IDS.remindBeforeExpiry) as string;
    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.remindBeforeExpiry,
        blockId: BLOCK_IDS.customer,
        value,
        ephemeral: true,
        user: 'U0SOLO',
        responseUrl: fake.responseUrl('remind2'),
      }),
    );
    await bot.idle();
    const scheduled = fake.okCalls('chat.scheduleMessage')[0]?.body as {
      channel: string;
      thread_ts?: string;
    };
    expect(scheduled.channel).toBe('U0SOLO');
    expect(scheduled.thread_ts).toBeUndefined();
    expect(privateText('remind2')).toMatch(/direct message/);
    const listed = await store.pendingReminders(TEAM, 'U0SOLO', Date.now());
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ channel: 'D0SOLO', platform: 'meta' });

    fake.reset();
    await bot.post('command', slashCommand(PASSWORD, fake.responseUrl('cmd2')));
    await bot.idle();
    const other = fake.responseUrlPosts.find((p) => p.id === 'cmd2')?.body as { blocks: Block[] };
    expect(buttonValue(other.blocks, ACTION_IDS.replyToCustomer)).toBeDefined();
    expect(buttonValue(other.blocks, ACTION_IDS.remindBeforeExpiry)).toBeUndefined();
  });

  it('Slack refusing the schedule is told privately, and nothing is listed', async () => {
    fake.reset();
    fake.fail('chat.scheduleMessage', { error: 'restricted_too_many' });
    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.remindBeforeExpiry,
        value: JSON.stringify({ p: 'meta' }),
        ephemeral: true,
        user: 'U0BUSY',
        responseUrl: fake.responseUrl('remind3'),
      }),
    );
    await bot.idle();
    expect(privateText('remind3')).toMatch(/restricted_too_many/);
    expect(await store.pendingReminders(TEAM, 'U0BUSY', Date.now())).toEqual([]);
  });

  it("App Home exports the last 30 days as CSV to the person's DM: ids and counts, never text", async () => {
    const home = await openHome(bot, 'U0LEAD');
    expect(buttonValue(home, ACTION_IDS.exportStats)).toBe('30');
    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.exportStats,
        value: '30',
        user: 'U0LEAD',
        responseUrl: fake.responseUrl('x1'),
      }),
    );
    await bot.idle();
    expect(fake.okCalls('conversations.open')[0]?.body).toMatchObject({ users: 'U0LEAD' });
    const complete = fake.okCalls('files.completeUploadExternal')[0]?.body as { channel_id: string };
    expect(complete.channel_id).toBe('D0LEAD');
    const [upload] = [...fake.uploads.values()];
    const lines = (upload?.content ?? '').trim().split('\n');
    expect(lines[0]).toBe(
      'day,team,channel,platform,cause,token_error,diagnoses,fixed_votes,still_broken_votes',
    );
    expect(lines.some((l) => l.includes(`,${TEAM},${CHANNEL},meta,token_max_lifetime,true,`))).toBe(true);
    expect(upload?.content).not.toContain('Error validating');
  });

  it('the export names private channels only in aggregate, as App Home does: whoever clicks gets the file', async () => {
    // A login error in a private channel the bot is in (message.groups), by one of its members.
    const secretRoom = messageEvent({ text: META_EXPIRED, channel: 'C0MERGERTALKS', channel_type: 'group' });
    await bot.post('event', eventCallback(secretRoom));
    await bot.idle();
    fake.reset();
    await bot.post(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.exportStats,
        value: '30',
        user: 'U0GUEST',
        responseUrl: fake.responseUrl('x2'),
      }),
    );
    await bot.idle();
    const upload = [...fake.uploads.values()].at(-1);
    expect(upload?.content).toBeDefined();
    expect(upload?.content).not.toContain('C0MERGERTALKS');
    expect(upload?.content).toContain(`,${TEAM},private,meta,token_max_lifetime,true,1,`);
    // The public channel is still named.
    expect(upload?.content).toContain(`,${TEAM},${CHANNEL},meta,token_max_lifetime,true,`);
  });
});

describe('when the reminder comes', () => {
  const knowledge = loadKnowledge();
  const now = Date.UTC(2026, 11, 5);

  test('60-day Meta tokens: 57 days on; a Google app in Testing: 4 days on (never more than half the lifetime before)', () => {
    expect(reminderPlan(knowledge, 'meta', now)).toMatchObject({
      days: 60,
      leadDays: 3,
      postAt: now + 57 * 86_400_000,
    });
    expect(reminderPlan(knowledge, 'google', now)).toMatchObject({
      days: 7,
      leadDays: 3,
      postAt: now + 4 * 86_400_000,
    });
  });

  test('no fixed lifetime, or one Slack cannot schedule (over 120 days): none', () => {
    expect(reminderPlan(knowledge, 'okta', now)).toBeNull();
    expect(reminderPlan(knowledge, 'tiktok', now)).toBeNull();
    expect(reminderPlan(knowledge, null, now)).toBeNull();
  });
});
