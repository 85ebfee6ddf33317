/**
 * Issue 11.6: GET /metrics in Prometheus text (prom-client), with bounded labels: diagnoses by
 * platform/cause/entry point, Slack API failures and rate limits by method, ack and reply latency,
 * store up, in flight, process defaults.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Metrics, processMetrics } from '../../src/metrics';
import { startBot, type TestBot } from '../support/bot';
import { eventCallback, messageEvent, nextTs, slashCommand } from '../support/payloads';

const META_EXPIRED =
  'Error validating access token: Session has expired on Tuesday. (OAuthException code 190, error_subcode 463)';

/** The value of one sample line (name with its labels, exactly as printed), or undefined. */
function sample(text: string, nameAndLabels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${nameAndLabels} `));
  return line === undefined ? undefined : Number(line.slice(nameAndLabels.length + 1));
}

describe('GET /metrics', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('counts a slash command diagnosis and its ack, with the process defaults', async () => {
    const res = await bot.post('command', slashCommand(META_EXPIRED, bot.fake.responseUrl('m1')));
    expect(res.status).toBe(200);
    await bot.fake.waitFor('the answer', () => bot.fake.responseUrlPosts.some((p) => p.id === 'm1'));
    await bot.idle();
    const metrics = await bot.get('/metrics');
    expect(metrics.status).toBe(200);
    const text = metrics.text;
    const diagnosed = text
      .split('\n')
      .filter((l) => l.startsWith('tokenfix_diagnoses_total{') && l.includes('entry="command"'));
    expect(diagnosed).toHaveLength(1);
    expect(diagnosed[0]).toMatch(/platform="meta"/);
    expect(diagnosed[0]).toMatch(/ 1$/);
    expect(sample(text, 'tokenfix_ack_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tokenfix_store_up')).toBe(1);
    expect(sample(text, 'tokenfix_in_flight')).toBe(0);
    expect(text).toContain('tokenfix_process_resident_memory_bytes');
    // Never text or ids in a label.
    expect(text).not.toContain('Session has expired');
    expect(text).not.toMatch(/channel="|user="|team="/);
  });

  it('counts every 429 by method; waited out, the reply still goes and is no error', async () => {
    bot.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 2);
    await bot.post('event', eventCallback(messageEvent({ ts: nextTs(), text: META_EXPIRED })));
    await bot.idle(15_000);
    expect(bot.fake.okCalls('chat.postMessage')).toHaveLength(1);
    bot.fake.reset();
    const text = (await bot.get('/metrics')).text;
    expect(sample(text, 'tokenfix_slack_rate_limits_total{method="chat.postMessage"}')).toBe(2);
    expect(
      sample(text, 'tokenfix_slack_api_errors_total{method="chat.postMessage",kind="ratelimited"}'),
    ).toBeUndefined();
    expect(sample(text, 'tokenfix_reply_seconds_count{method="chat.postMessage"}')).toBeGreaterThanOrEqual(1);
  }, 30_000);
});

describe('the process defaults (memory, GC, event-loop delay)', () => {
  it('are collected once per process, not per app, and every app serves them beside its own counters', async () => {
    // prom-client's default collectors can't be stopped: one set per app made in a process (test suites,
    // replicas) kept each app's registry and code alive for the process's life.
    const sources = { inFlight: () => 0, storeUp: async () => true };
    const a = new Metrics(sources);
    const b = new Metrics(sources);
    expect(processMetrics()).toBe(processMetrics());
    for (const m of [a, b]) {
      expect(m.registry.getSingleMetric('tokenfix_process_resident_memory_bytes')).toBeUndefined();
    }
    a.diagnosed('meta', 'unknown', 'command');
    const served = (m: Metrics) =>
      new Promise<string>((resolve) => {
        const body = '';
        const res = {
          writeHead: () => res,
          end: (text?: string) => resolve(body + (text ?? '')),
        } as unknown as ServerResponse;
        m.route({} as IncomingMessage, res);
      });
    const [textA, textB] = await Promise.all([served(a), served(b)]);
    for (const text of [textA, textB]) expect(text).toContain('tokenfix_process_resident_memory_bytes');
    expect(sample(textA, 'tokenfix_diagnoses_total{platform="meta",cause="unknown",entry="command"}')).toBe(
      1,
    );
    expect(textB).not.toContain('tokenfix_diagnoses_total{platform="meta"');
  });
});
