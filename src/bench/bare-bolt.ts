/**
 * The floor for `npm run bench` (src/bench/e2e.ts): a Bolt app of the same Bolt version that does the
 * least possible. It acks `/tokenfix` and answers one fixed section block through respond(); it acks
 * message events and posts one fixed block with chat.postMessage, in the message's thread.
 *
 * Which messages it answers: with BARE_REPLY_TEXTS (a JSON file of message texts) only messages whose
 * text is in that list — the bench passes the texts tokenfix answers, so both servers post the same
 * number of replies and the floor spends nothing on deciding; without it, every message.
 *
 * Environment: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, PORT. Prints one JSON line
 * `{"msg":"listening","port":N}` once it serves, and exits 0 on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';

const FIXED_BLOCKS = [
  { type: 'section', text: { type: 'mrkdwn', text: '*A fixed answer* from the bare Bolt app.' } },
];
const FIXED_TEXT = 'A fixed answer from the bare Bolt app.';

async function main(): Promise<void> {
  const env = process.env;
  const replyTexts = env.BARE_REPLY_TEXTS
    ? new Set(JSON.parse(readFileSync(env.BARE_REPLY_TEXTS, 'utf8')) as string[])
    : null;
  const app = new App({
    token: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    clientOptions: { slackApiUrl: env.SLACK_API_URL },
    logLevel: LogLevel.WARN,
  });

  app.command('/tokenfix', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: FIXED_TEXT, blocks: FIXED_BLOCKS });
  });

  app.message(async ({ message, client }) => {
    const m = message as { channel: string; ts: string; text?: string };
    if (replyTexts && !replyTexts.has(m.text ?? '')) return;
    await client.chat.postMessage({
      channel: m.channel,
      thread_ts: m.ts,
      text: FIXED_TEXT,
      blocks: FIXED_BLOCKS,
    });
  });

  const server = (await app.start(Number(env.PORT ?? 3000))) as Server;
  process.stdout.write(
    `${JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })}\n`,
  );
  process.on('SIGTERM', () => {
    app.stop().finally(() => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`bare bolt: ${(error as Error).message}\n`);
  process.exit(1);
});
