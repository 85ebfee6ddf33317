/**
 * Pasted secrets never leave the request: messages carrying planted tokens, keys and passwords go in
 * through every entry point (slash command and its Share button, mention, passive listening, DM, message
 * shortcut and its Reply-in-thread button, :key: reaction, feedback buttons, workflow step); none of the
 * secrets appear in the logs (debug level), in any call or response_url post the fake Slack recorded, or
 * in the store's files (SQLite database and WAL, read as raw bytes). Then the same for generated secrets
 * in every shape of issue 11 (test/support/secret-shapes.ts), planted in real error messages.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_IDS, encodeShared } from '../../src/cards';
import { diagnose } from '../../src/diagnosis';
import { analyzeAsked } from '../../src/diagnosis/asked';
import { openStore, type Store } from '../../src/store';
import { knowledge, startBot, type TestBot } from '../support/bot';
import { FakeOAuth } from '../support/fake-oauth';
import { FAKE_IDENTITY } from '../support/fake-slack';
import {
  blockAction,
  CHANNEL,
  eventCallback,
  keyReaction,
  mentionEvent,
  messageEvent,
  messageShortcut,
  nextTs,
  slashCommand,
} from '../support/payloads';
import { leaks, messagesCoveringEveryShape, type Planted, SHAPES } from '../support/secret-shapes';

/** Fake secrets in the shapes the redactor knows (SECURITY.md lists them). Each is unique to this test. */
const SECRETS = {
  metaToken: 'EAAGm0PX4ZCpsBAKq9Zb7Xc8Vd2Wf1QyR3tLu5Nh6Jk',
  googleAccess: 'ya29.a0AfH6SMBx7Qz9KpLmNoPqRsTuVwXyZ0123456789abc',
  googleRefresh: '1//0gLmNoPqRsTuVwXyZa8B9c0D1e2F3g4H5i6J7k8L9m',
  googleApiKey: 'AIzaSyD9x8W7v6U5t4S3r2Q1p0O9n8M7l6K5j4I',
  slackBot: 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
  slackUser: 'xoxp-2234567890-1987654321-ZyXwVuTsRqPoNmLkJiHgFeDc',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0b2tlbmZpeC10ZXN0In0.c2lnbmF0dXJlLXBsYW50ZWQtaGVyZQ',
  github: 'ghp_Q8w7E6r5T4y3U2i1O0p9A8s7D6f5G4h3J2k1',
  stripe: 'sk_live_51HqPlAnTeDsEcReT0123456789abcdefXYZ',
  amazon: 'Atzr|IwEBIPlantedRefreshTokenForTokenfixTest0123456789',
  bearer: 'Zm9vYmFyYmF6cXV4cGxhbnRlZGJlYXJlcnRva2Vu',
  password: 'Hunter2-Planted!Pw',
  clientSecret: 'cs-planted-0f9e8d7c6b5a4',
  urlPassword: 'S3cretUrlPassw0rd',
  longKey: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
  awsKeyId: 'AKIAZ7PLANTEDKEY0ID9',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY0',
  googleAuthCode: '4/0AX4XfWhPlantedAuthCode0123456789abcdefGHIJ',
  azureSecret: 'Q7x8Q~AbCdEfGhIjKlMnOpQrStUvWxYz01234567',
  privateKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjPLANTEDKEYBODY0123456789',
} as const;

const PASTE = [
  'Error validating access token: Session has expired on Tuesday. (OAuthException code 190, error_subcode 463)',
  `access_token=${SECRETS.metaToken}`,
  `google: ${SECRETS.googleAccess} refresh ${SECRETS.googleRefresh} key ${SECRETS.googleApiKey}`,
  `slack ${SECRETS.slackBot} and ${SECRETS.slackUser}`,
  `id_token: ${SECRETS.jwt}`,
  `gh ${SECRETS.github} stripe ${SECRETS.stripe} lwa ${SECRETS.amazon}`,
  `Authorization: Bearer ${SECRETS.bearer}`,
  `{"password": "${SECRETS.password}", "client_secret": "${SECRETS.clientSecret}"}`,
  `postgres://etl:${SECRETS.urlPassword}@db.internal:5432/ads`,
  `x-api-key=${SECRETS.longKey}`,
  `aws_access_key_id=${SECRETS.awsKeyId} aws_secret_access_key=${SECRETS.awsSecret}`,
  `redirect: https://app.example/cb?code=${SECRETS.googleAuthCode}&scope=ads`,
  `AADSTS7000215: Invalid client secret provided (${SECRETS.azureSecret})`,
  `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${SECRETS.privateKey}\\nAbCd\\n-----END PRIVATE KEY-----\\n"}`,
].join('\n');

/** All on one line (the card quotes only the decisive line, cut to 300 characters around it). */
const ONE_LINE = PASTE.replace(/\n/g, ' | ');

/**
 * Each secret alone in the very line the card quotes, so the quote itself is checked: one short
 * error line per secret (the lines of PASTE after the first, each in its own context).
 */
const QUOTED = PASTE.split('\n')
  .slice(1)
  .map(
    (context) =>
      `Error validating access token: Session has expired [${context}] (OAuthException code 190, error_subcode 463)`,
  );

/** A part of each secret that the redactor's stubs never keep (they keep at most 5 leading characters). */
const needles = Object.values(SECRETS).map((s) => s.slice(6));

describe('planted secrets through every entry point', () => {
  let bot: TestBot;
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokenfix-secrets-'));
    store = await openStore(`sqlite:${join(dir, 'tokenfix.db')}`);
    bot = await startBot({ store });
    new FakeOAuth(bot.fake); // answers functions.completeSuccess / completeError
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('none in logs, outgoing calls, response_url posts or the store', async () => {
    const BOT = FAKE_IDENTITY.user_id;
    const send = async (kind: 'event' | 'command' | 'interactive', payload: unknown) => {
      expect((await bot.post(kind, payload)).status).toBe(200);
      await bot.idle(10_000);
    };
    const cardsTo = (id: string) => bot.fake.responseUrlPosts.filter((p) => p.id === id);
    const buttonValue = (blocks: unknown, actionId: string): string => {
      const all = (blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>).flatMap(
        (b) => b.elements ?? [],
      );
      const value = all.find((e) => e.action_id === actionId)?.value;
      if (!value) throw new Error(`no ${actionId} button`);
      return value;
    };

    // Slash command, then its Share in channel button.
    await send('command', slashCommand(PASTE, bot.fake.responseUrl('cmd')));
    const privateCard = cardsTo('cmd')[0]?.body;
    expect(privateCard?.blocks).toBeDefined();
    await send(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.shareInChannel,
        value: buttonValue(privateCard?.blocks, ACTION_IDS.shareInChannel),
        blockId: 'tokenfix_share',
        responseUrl: bot.fake.responseUrl('share'),
        ephemeral: true,
      }),
    );
    // Mention, passive listening, DM.
    await send('event', eventCallback(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${ONE_LINE}` })));
    const passiveTs = nextTs();
    await send('event', eventCallback(messageEvent({ ts: passiveTs, text: PASTE, channel: 'C0PASSIVE' })));
    await send(
      'event',
      eventCallback(messageEvent({ ts: nextTs(), text: ONE_LINE, channel: 'D0SECRET', channel_type: 'im' })),
    );
    // Message shortcut on an alert that carries them in text, blocks and attachments; then Reply in thread.
    const alertTs = nextTs();
    const alert = {
      ts: alertTs,
      text: PASTE,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: PASTE } }],
      attachments: [
        { title: 'Sync failed', text: PASTE, fields: [{ title: 'token', value: SECRETS.metaToken }] },
      ],
    };
    await send('interactive', messageShortcut(alert, bot.fake.responseUrl('shortcut')));
    const shortcutCard = bot.fake.okCalls('chat.postEphemeral').at(-1)?.body;
    await send(
      'interactive',
      blockAction({
        actionId: ACTION_IDS.replyInThread,
        value: buttonValue(shortcutCard?.blocks, ACTION_IDS.replyInThread),
        blockId: 'tokenfix_share',
        responseUrl: bot.fake.responseUrl('reply'),
        ephemeral: true,
      }),
    );
    // :key: on a message Slack hands back through conversations.history.
    const reactedTs = nextTs();
    bot.fake.addMessage(CHANNEL, { ts: reactedTs, bot_id: 'B0ALERTS', attachments: [{ text: PASTE }] });
    await send(
      'event',
      eventCallback(keyReaction({ channel: CHANNEL, ts: reactedTs, itemUser: 'U0ALERTBOT' })),
    );
    // Feedback buttons on the public card from passive listening.
    const passiveCard = bot.fake
      .okCalls('chat.postMessage')
      .find((c) => c.body.thread_ts === passiveTs)?.body;
    expect(passiveCard).toBeDefined();
    for (const actionId of [ACTION_IDS.fixed, ACTION_IDS.stillBroken]) {
      await send(
        'interactive',
        blockAction({
          actionId,
          value: buttonValue(passiveCard?.blocks, actionId),
          channel: 'C0PASSIVE',
          message: { ts: nextTs(), text: String(passiveCard?.text), blocks: passiveCard?.blocks },
          responseUrl: bot.fake.responseUrl(`fb-${actionId}`),
        }),
      );
    }
    // The workflow step.
    await send(
      'event',
      eventCallback({
        type: 'function_executed',
        function: {
          id: 'Fn0TOKENFIX',
          callback_id: 'diagnose_token_error',
          title: 'Diagnose token error',
          type: 'app',
          app_id: 'A0TOKENFIX',
          input_parameters: [],
          output_parameters: [],
        },
        inputs: { message: PASTE },
        function_execution_id: 'Fx0SECRETS',
        workflow_execution_id: 'Wx0SECRETS',
        event_ts: nextTs(),
        bot_access_token: 'xwfp-test-execution-token-secrets',
      }),
    );

    // Each secret inside the quoted line: as a mention and as a DM (both quote it in a public/DM card).
    for (const line of QUOTED) {
      expect(line.length).toBeLessThanOrEqual(300);
      await send('event', eventCallback(mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${line}` })));
      await send(
        'event',
        eventCallback(messageEvent({ ts: nextTs(), text: line, channel: 'D0QUOTED', channel_type: 'im' })),
      );
    }
    const quoted = bot.fake
      .okCalls('chat.postMessage')
      .filter((c) => JSON.stringify(c.body).includes('[redacted]'));
    expect(quoted.length).toBeGreaterThanOrEqual(QUOTED.length);

    // Every entry point answered.
    expect(cardsTo('cmd')).toHaveLength(1);
    expect(bot.fake.okCalls('chat.postMessage').length).toBeGreaterThanOrEqual(6);
    expect(bot.fake.okCalls('chat.postEphemeral').length).toBeGreaterThanOrEqual(1);
    expect(bot.fake.okCalls('functions.completeSuccess')).toHaveLength(1);
    expect(bot.fake.okCalls('chat.update').length + cardsTo(`fb-${ACTION_IDS.fixed}`).length).toBeGreaterThan(
      0,
    );
    // …and said how many secrets it masked.
    expect(JSON.stringify(bot.fake.calls.map((c) => c.body))).toMatch(/\d+ secrets were masked/);

    const storeFiles = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    expect(storeFiles.length).toBeGreaterThan(0);
    const where: Record<string, string> = {
      logs: bot.logs.join('\n'),
      'Slack calls': JSON.stringify(bot.fake.calls.map((c) => ({ method: c.method, body: c.body }))),
      'response_url posts': JSON.stringify(bot.fake.responseUrlPosts.map((p) => p.body)),
      store: storeFiles,
    };
    const found = Object.entries(where).flatMap(([place, text]) =>
      needles.filter((n) => text.includes(n)).map((n) => `${place}: …${n}`),
    );
    expect(found).toEqual([]);
  });

  it('generated secrets in every shape: none via slash command, Share in channel, mention or passive message', async () => {
    const BOT = FAKE_IDENTITY.user_id;
    // Two secrets of each shape, three to a real error message (a fixed seed: the same every run).
    const messages = messagesCoveringEveryShape(2, 1111);
    const planted: Planted[] = messages.flatMap((m) => m.planted);
    expect(new Set(planted.map((p) => p.shape)).size).toBe(SHAPES.length);
    // Slack sends message text with &, < and > escaped; a slash command's text here goes as typed.
    const asSlackSends = (text: string) =>
      text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const posted = () => bot.fake.okCalls('chat.postMessage').length;
    const before = posted();
    let shares = 0;

    for (const [i, { text }] of messages.entries()) {
      // Slash command: a private card through response_url, then its Share in channel button.
      expect(
        (await bot.post('command', slashCommand(text, bot.fake.responseUrl(`gen-cmd-${i}`)))).status,
      ).toBe(200);
      await bot.idle(10_000);
      const card = bot.fake.responseUrlPosts.find((p) => p.id === `gen-cmd-${i}`)?.body;
      const blocks = (card?.blocks ?? []) as Array<{
        elements?: Array<{ action_id?: string; value?: string }>;
      }>;
      const share = blocks
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === ACTION_IDS.shareInChannel);
      // Every login-error card has the button (a message the planting turned into another problem has not).
      if (share?.value) {
        shares++;
        const click = blockAction({
          actionId: ACTION_IDS.shareInChannel,
          value: share.value,
          blockId: 'tokenfix_share',
          responseUrl: bot.fake.responseUrl(`gen-share-${i}`),
          ephemeral: true,
        });
        expect((await bot.post('interactive', click)).status).toBe(200);
      }
      // A mention, and a message in a listening channel (one channel each, so no per-channel cap applies).
      const mention = mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${asSlackSends(text)}` });
      expect((await bot.post('event', eventCallback(mention))).status).toBe(200);
      const passive = messageEvent({ ts: nextTs(), text: asSlackSends(text), channel: `C0GEN${i}` });
      expect((await bot.post('event', eventCallback(passive))).status).toBe(200);
      await bot.idle(10_000);
    }

    // Each secret also alone in the very line a card quotes (one line, as the quote is), by mention.
    for (const p of planted) {
      const line = `Error validating access token: Session has expired (${p.text.replace(/\s*\n\s*/g, ' ')}) code 190, subcode 463`;
      const mention = mentionEvent({ ts: nextTs(), text: `<@${BOT}> ${asSlackSends(line)}` });
      expect((await bot.post('event', eventCallback(mention))).status).toBe(200);
    }
    await bot.idle(10_000);

    // The bot answered (cards, shared cards) and said it masked something.
    const shared = bot.fake.responseUrlPosts.filter((p) => p.id.startsWith('gen-cmd-'));
    expect(shared).toHaveLength(messages.length);
    // Every message is still a login error with its secrets planted (messagesCoveringEveryShape sees
    // to it), so every one got a card with the button: every shape went through Share in channel.
    expect(messages.every((m) => analyzeAsked(m.text, knowledge()).diagnosis.isTokenError)).toBe(true);
    expect(shares).toBe(messages.length);
    // One public card per share, mention and passive message (passive ones only for login errors),
    // and per one-line mention.
    expect(posted() - before).toBeGreaterThanOrEqual(shares + messages.length + shares + planted.length);
    expect(JSON.stringify(bot.fake.calls.map((c) => c.body))).toMatch(/\d+ secrets were masked/);
    const storeFiles = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    const where: Record<string, string> = {
      logs: bot.logs.join('\n'),
      'Slack calls': JSON.stringify(bot.fake.calls.map((c) => ({ method: c.method, body: c.body }))),
      'response_url posts': JSON.stringify(bot.fake.responseUrlPosts.map((p) => p.body)),
      store: storeFiles,
    };
    const found = Object.entries(where).flatMap(([place, text]) =>
      leaks(text, planted).map((leak) => `${place}: ${leak}`),
    );
    expect(found).toEqual([]);
  });

  it('a card made before a rule existed is masked again when shared', async () => {
    // What an older private card's Share button carries: a diagnosis and quoted line with an env secret.
    const secret = 'Old-Card-Pw9!Q2w3E4r5';
    const value = encodeShared(
      {
        ...diagnose('Error validating access token: Session has expired', knowledge()),
        evidence: [`DB_PASSWORD=${secret}`],
      },
      `Session has expired; DB_PASSWORD=${secret}`,
    );
    const click = blockAction({
      actionId: ACTION_IDS.shareInChannel,
      value,
      blockId: 'tokenfix_share',
      responseUrl: bot.fake.responseUrl('old-share'),
      ephemeral: true,
    });
    const before = bot.fake.okCalls('chat.postMessage').length;
    expect((await bot.post('interactive', click)).status).toBe(200);
    await bot.idle(10_000);
    const publicCard = bot.fake.okCalls('chat.postMessage').slice(before);
    expect(publicCard).toHaveLength(1);
    expect(JSON.stringify(publicCard[0]?.body)).toContain('DB_PASSWORD=[redacted]');
    expect(JSON.stringify(bot.fake.calls.map((c) => c.body))).not.toContain(secret);
  });
});

/**
 * Secrets whose long part sits after a `/`, `.` or `-` (a webhook URL's path, a dotted or dashed key):
 * the catch-all 32+ character rule steps aside there (paths and hashes in links), so each needs its own
 * shape. A Slack incoming webhook failing with `invalid_token` reads as a Slack login error, and the
 * card quotes that very line.
 */
describe('webhook URLs and dashed or dotted API keys', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  const PLANTED: Record<string, string> = {
    slackWebhook: 'aBcDeFgHiJ1kLmNoPq2RsTuV',
    slackWorkflow: 'Zy9XwVuT8sRqPoN7mLkJiHg6',
    discordWebhook: 'AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789_AbCdEfGhIjKlMnOpQrStUvWxYz0123',
    openai: 'AbCdEf1234567890AbCdEf1234567890AbCdEf1234567890T3BlbkFJAbCdEf123456',
    anthropic: 'Qw3rTy8uIoP5aSdFgHjKl0ZxCvBnM1qWeRtYuIoP2aSdFgHjKlZxCvBn4mQwErTy7uIoP-AbCdEfAA',
  };
  const LINES = [
    `Slack notification failed: POST https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/${PLANTED.slackWebhook} returned 403 invalid_token`,
    `Workflow trigger https://hooks.slack.com/triggers/T0ABCDEFG/1234567890123/${PLANTED.slackWorkflow} answered invalid_token`,
    `Discord alert https://discord.com/api/webhooks/123456789012345678/${PLANTED.discordWebhook} failed: 401 Unauthorized, Invalid Webhook Token`,
    `OpenAI 401 invalid_api_key: Incorrect API key provided: sk-proj-${PLANTED.openai}. The token has been revoked.`,
    `Anthropic 401 authentication_error: invalid x-api-key sk-ant-api03-${PLANTED.anthropic}; the token has been revoked`,
  ];

  // Base64url tokens hold `-`: the catch-all rule took no run next to a dash, so one dash anywhere left a
  // whole token in the clear; and a key ending a sentence (`…: <key>.`) was skipped for its full stop.
  const MORE = {
    linkedin:
      'AQXdSP_W41_UPs5ioT_t8HESyODB4FqbkJ8LrV_5mff4gPODzOYR-Cvkm6C3T4Ur2-cOQxXbqkbF4aQ4b6uXK5gDCsAnWQIDAQAB',
    microsoft:
      'AXoAbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKl-MnOpQrStUvWxYz0123456789_AbCdEfGhIjKlMnOp',
    sentenceEnd: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
    // A session cookie is a password for as long as it lives; short ones escape every length rule.
    cookie: 'k2j3h4g5f6d7s8a9',
  } as const;
  Object.assign(PLANTED, MORE);
  LINES.push(
    `LinkedIn 401 REVOKED_ACCESS_TOKEN: The token used in the request has been revoked by the user. Token ${MORE.linkedin}`,
    `AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2024-01-01 and was inactive for 90.00:00:00. refresh_token 0.${MORE.microsoft} (invalid_grant)`,
    `Error validating access token: The user has not authorized application 1234. Token was ${MORE.sentenceEnd}.`,
    `curl -H 'Cookie: sessionid=${MORE.cookie}; csrftoken=Zz9' https://ads.example/api -> 401 invalid_token: Session has expired`,
  );

  it.each(LINES.map((line, i) => [i, line] as const))(
    'line %i: not in the private card, the shared card or the logs',
    async (i, line) => {
      const secret = Object.values(PLANTED)[i] as string;
      const id = `hook-${i}`;
      expect((await bot.post('command', slashCommand(line, bot.fake.responseUrl(id)))).status).toBe(200);
      await bot.idle(10_000);
      const card = bot.fake.responseUrlPosts.find((p) => p.id === id)?.body;
      expect(card).toBeDefined();
      const share = (
        (card?.blocks ?? []) as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>
      )
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === ACTION_IDS.shareInChannel);
      if (share?.value) {
        const click = blockAction({
          actionId: ACTION_IDS.shareInChannel,
          value: share.value,
          blockId: 'tokenfix_share',
          responseUrl: bot.fake.responseUrl(`${id}-share`),
          ephemeral: true,
        });
        expect((await bot.post('interactive', click)).status).toBe(200);
        await bot.idle(10_000);
      }
      const everywhere = [
        bot.logs.join('\n'),
        JSON.stringify(bot.fake.calls.map((c) => c.body)),
        JSON.stringify(bot.fake.responseUrlPosts.map((p) => p.body)),
      ].join('\n');
      expect(everywhere).not.toContain(secret.slice(4));
      expect(JSON.stringify(card)).toMatch(/secrets? (?:was|were) masked/);
    },
  );
});
