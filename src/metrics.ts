/**
 * Prometheus metrics (GET /metrics), one Registry per app so tests and replicas in one process don't
 * share counters; the process's own figures (memory, GC, event-loop delay) once per process. Labels are
 * bounded: ids from the knowledge (platform, cause), entry points, Slack method names and failure
 * kinds — never text, never user or channel ids.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSources {
  /** Requests (and replies) held right now. */
  inFlight: () => number;
  /** A real store query with a short timeout; true without a store configured. */
  storeUp: () => Promise<boolean>;
}

let processDefaults: Registry | undefined;

/**
 * prom-client's default metrics, collected once per process. collectDefaultMetrics() starts a GC
 * observer and an event-loop-delay monitor that nothing can stop (prometheus/client_js issues 494 and
 * 500): called per app, every app made in one process (test suites, replicas) added a pair that kept
 * its registry, and all the code that made it, alive for the process's life. They describe the
 * process, not the app, so one registry holds them and every app's /metrics includes it.
 */
export function processMetrics(): Registry {
  if (!processDefaults) {
    processDefaults = new Registry();
    collectDefaultMetrics({ register: processDefaults, prefix: 'tokenfix_' });
  }
  return processDefaults;
}

export class Metrics {
  /** This app's own metrics. */
  readonly registry = new Registry();
  /** What GET /metrics serves: this app's metrics and the process's. */
  private readonly exposed: Registry;
  private readonly diagnoses: Counter<'platform' | 'cause' | 'entry'>;
  private readonly slackErrors: Counter<'method' | 'kind'>;
  private readonly rateLimits: Counter<'method'>;
  private readonly ackSeconds: Histogram;
  private readonly replySeconds: Histogram<'method'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.diagnoses = new Counter({
      name: 'tokenfix_diagnoses_total',
      help: 'Diagnoses made, by platform, cause and entry point (ids from the knowledge; none: unknown)',
      labelNames: ['platform', 'cause', 'entry'],
      registers,
    });
    this.slackErrors = new Counter({
      name: 'tokenfix_slack_api_errors_total',
      help: 'Slack API calls that failed after retries, by method and failure kind',
      labelNames: ['method', 'kind'],
      registers,
    });
    this.rateLimits = new Counter({
      name: 'tokenfix_slack_rate_limits_total',
      help: 'Slack API calls that ended rate limited (429 / ratelimited), by method',
      labelNames: ['method'],
      registers,
    });
    this.ackSeconds = new Histogram({
      name: 'tokenfix_ack_seconds',
      help: 'Time from a Slack request arriving to its HTTP answer (Slack gives up after 3 s)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    });
    this.replySeconds = new Histogram({
      name: 'tokenfix_reply_seconds',
      help: 'Time one reply call to Slack took, retries included, by method',
      labelNames: ['method'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    });
    new Gauge({
      name: 'tokenfix_store_up',
      help: '1 when the store answers a real query within a second (or none is configured), else 0',
      registers,
      async collect() {
        this.set((await sources.storeUp().catch(() => false)) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tokenfix_in_flight',
      help: 'Slack requests and replies being handled right now',
      registers,
      collect() {
        this.set(sources.inFlight());
      },
    });
    this.exposed = Registry.merge([this.registry, processMetrics()]);
  }

  diagnosed(platform: string | null, cause: string | null, entry: string): void {
    this.diagnoses.inc({ platform: platform ?? 'none', cause: cause ?? 'none', entry });
  }

  slackFailed(method: string, kind: string): void {
    this.slackErrors.inc({ method, kind });
  }

  /** Every 429 Slack answered, waited out or not (src/slack/rate-limits.ts). */
  rateLimited(method: string): void {
    this.rateLimits.inc({ method });
  }

  acked(seconds: number): void {
    this.ackSeconds.observe(seconds);
  }

  replied(method: string, seconds: number): void {
    this.replySeconds.observe({ method }, seconds);
  }

  /** GET /metrics */
  readonly route = (_req: IncomingMessage, res: ServerResponse): void => {
    this.exposed.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': this.exposed.contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  };
}
