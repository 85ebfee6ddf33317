/**
 * Issue 11.2 under load: 500 loopback clients that send headers and 1 MB of a declared 4 MB body, then
 * stall — half with no signature, half with a forged one and a fresh timestamp (they pass the header
 * check and are buffered). The real program's RSS stays bounded and a signed slash command sent
 * meanwhile is still answered. Before the fix each stalled client held its megabyte: ~500 MB.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type ClientRequest, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack } from '../support/fake-slack';
import { slashCommand } from '../support/payloads';
import { deliver } from '../support/slack-sender';
import { PROCESS_SECRET, type SpawnedBot, spawnBot } from '../support/spawn-bot';

const CLIENTS = 500;
const SENT_BYTES = 1024 * 1024;
/** Allowed growth over idle: the 32 MB cap, 500 × 16 KB small-body allowance, sockets and slack. */
const RSS_BOUND_MB = 150;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (!line) throw new Error('no VmRSS');
  return Number(line[1]) / 1024;
}

describe('500 stalled unverified clients', () => {
  let fake: FakeSlack;
  let bot: SpawnedBot;
  let cwd: string;
  const clients: ClientRequest[] = [];
  beforeAll(async () => {
    fake = await FakeSlack.start();
    cwd = mkdtempSync(join(tmpdir(), 'tokenfix-slow-'));
    bot = await spawnBot(fake, cwd);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    bot?.kill();
    await bot?.exit;
    await fake.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('keeps RSS bounded and still answers a signed slash command', async () => {
    const pid = bot.child.pid as number;
    const idle = rssMb(pid);
    const part = Buffer.alloc(SENT_BYTES, 'a');
    let answered = 0;
    for (let i = 0; i < CLIENTS; i++) {
      const forged = i % 2 === 1;
      const req = request(`${bot.base}/slack/events`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(4 * 1024 * 1024),
          ...(forged
            ? {
                'x-slack-signature': `v0=${'0'.repeat(64)}`,
                'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
              }
            : {}),
        },
      });
      req.on('error', () => undefined);
      req.on('response', (res) => {
        answered++;
        res.resume();
      });
      req.write(part);
      clients.push(req);
    }
    // Let the server read what they sent.
    await new Promise((r) => setTimeout(r, 3_000));
    const during = rssMb(pid);

    const sent = await deliver(
      bot.base,
      PROCESS_SECRET,
      'command',
      slashCommand('invalid_grant', fake.responseUrl('meanwhile')),
      { retry: false, timeoutMs: 10_000 },
    );
    await fake.waitFor(
      'the command answered',
      () => fake.responseUrlPosts.some((p) => p.id === 'meanwhile'),
      15_000,
    );
    const peak = Math.max(during, rssMb(pid));
    console.log(
      `slow clients: idle ${idle.toFixed(0)} MB, with ${CLIENTS} stalled ${peak.toFixed(0)} MB; ` +
        `${answered} refused early; command ${sent.status} in ${sent.ms} ms`,
    );
    expect(sent.status).toBe(200);
    expect(peak - idle).toBeLessThan(RSS_BOUND_MB);
    expect(bot.child.exitCode).toBeNull();
  }, 60_000);
});
