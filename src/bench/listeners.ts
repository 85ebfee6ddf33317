/**
 * npm run bench:listeners — what Bolt charges per registered listener. Bolt runs the filters of every
 * listener for every request, matching or not; this feeds one channel message (heard by one message
 * listener) to a real Bolt App holding 0 to 12 other listeners that never match, and prints the CPU
 * time per event. It is why src/listeners/router.ts mounts one Bolt listener per kind.
 */
import { App } from '@slack/bolt';

const EVENTS = 20_000;
const WARMUP = 2_000;

function appWith(others: number): App {
  const app = new App({
    signingSecret: 'bench-listeners',
    authorize: async () => ({ botToken: 'xoxb-bench', botId: 'B0', botUserId: 'U0BOT' }),
  });
  app.message(async () => undefined);
  for (let i = 0; i < others; i++) {
    if (i % 3 === 0) app.action(`action_${i}`, async () => undefined);
    else if (i % 3 === 1) app.event(`event_${i}`, async () => undefined);
    else app.shortcut(`shortcut_${i}`, async () => undefined);
  }
  return app;
}

async function cpuPerEvent(others: number): Promise<number> {
  const app = appWith(others);
  const body = {
    type: 'event_callback',
    team_id: 'T0',
    api_app_id: 'A0',
    event_id: 'Ev0',
    event: { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'hello', ts: '1.1' },
  };
  const ack = async () => undefined;
  for (let i = 0; i < WARMUP; i++) await app.processEvent({ body, ack });
  const start = process.cpuUsage();
  for (let i = 0; i < EVENTS; i++) await app.processEvent({ body, ack });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / EVENTS;
}

async function main(): Promise<void> {
  console.log(`Bolt App.processEvent, one matching message listener, ${EVENTS} events per line (3 rounds)`);
  console.log('listeners  CPU µs/event (min of 3)');
  for (const others of [1, 5, 12]) {
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) runs.push(await cpuPerEvent(others));
    console.log(
      `${String(others + 1).padStart(9)}  ${Math.min(...runs)
        .toFixed(1)
        .padStart(6)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
