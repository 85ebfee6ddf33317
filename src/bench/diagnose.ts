/**
 * npm run bench:diagnose — speed of the classifier on one core.
 * Mix: every corpus positive (test/fixtures/corpus) with nine ordinary chat lines each, drawn in
 * turn from the corpus's plain chat negatives (those not marked hard). Prints messages/second,
 * p50/p99 per message, ordinary chat's own time per message as passive listening reads it (the corpus's chat
 * lines, and apart a sample of real channel chat, test/fixtures/channel-chat.yml), and the time for 40,000-character inputs (some of them the redactor's worst cases).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { analyzeAsked, analyzePassive, shippedModel } from '../diagnosis/asked';
import { compile } from '../diagnosis/compile';
import { diagnose } from '../diagnosis/diagnose';
import { loadKnowledge } from '../diagnosis/knowledge';
import { normalize } from '../diagnosis/normalize';
import { redactSecrets } from '../diagnosis/redact';

const CORPUS = join(__dirname, '..', '..', 'test', 'fixtures', 'corpus');
/** Real channel chat (a Slack community's help channels, quoted verbatim), not part of the corpus. */
const CHANNEL_CHAT = join(__dirname, '..', '..', 'test', 'fixtures', 'channel-chat.yml');

interface Entry {
  text: string;
  hard?: boolean;
}

function read(file: string): Entry[] {
  return (parse(readFileSync(join(CORPUS, file), 'utf8')) as Entry[] | null) ?? [];
}

function mean(times: readonly number[]): number {
  return times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Each text run `rounds` times through `run`: the time of each call in µs, sorted. */
function timeEach(texts: readonly string[], rounds: number, run: (text: string) => unknown): number[] {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      const start = process.hrtime.bigint();
      run(text);
      times.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  return times.sort((a, b) => a - b);
}

function timeOne(
  text: string,
  knowledge: ReturnType<typeof loadKnowledge>,
  runs: number,
): { median: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    diagnose(text, knowledge);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), max: times.at(-1) ?? 0 };
}

/** A 40,000-character log with one token error in its middle. */
function longLogWithOneError(): string {
  const logLine = 'INFO 2024-05-01T10:00:00Z sync step finished, 1200 rows written to the warehouse\n';
  return `${logLine.repeat(250)}ERROR job failed: Error validating access token: Session has expired on Friday, 01-Mar-24\n${logLine.repeat(250)}`.slice(
    0,
    40_000,
  );
}

/**
 * The 40,000-character inputs: a long log with one token error, and the redactor's and gates' worst
 * shapes. Exported so the diagnose snapshot test (test/diagnosis/diagnose-snapshot.test.ts) runs them too.
 */
export function longInputs(longLog = longLogWithOneError()): [string, string][] {
  return [
    ['40,000-char log with one token error', longLog],
    ['40,000 x "a"', 'a'.repeat(40_000)],
    ['40,000 chars of "token " repeated', 'token '.repeat(6667).slice(0, 40_000)],
    ['40,000 chars of \'{"code":\' repeated', '{"code":'.repeat(5000)],
    ['40,000 chars of "<" and "|" markup', '<a|'.repeat(13334).slice(0, 40_000)],
    // Shapes the redactor's pair, header, curl and AWS rules look at, at their worst.
    ['40,000 chars of "token:" repeated', 'token:'.repeat(6667).slice(0, 40_000)],
    ['40,000 chars of "DB_PASSWORD=x " repeated', 'DB_PASSWORD=x '.repeat(2858).slice(0, 40_000)],
    ["40,000 chars of '\\\"' escapes", '\\"a'.repeat(13334).slice(0, 40_000)],
    ['40,000 chars of "curl -u a:b " repeated', 'curl -u a:b '.repeat(3334).slice(0, 40_000)],
    ['40,000 chars of base64 with "/" and "+"', 'aB3/xY9+'.repeat(5000)],
    // The prose-password and mysql -p rules (SECURITY.md), at their worst.
    ['40,000 chars of "password: hunter " repeated', 'password: hunter '.repeat(2353).slice(0, 40_000)],
    // A second label stating a password (SECURITY.md, Known limits): the rule masks the label after the
    // first, and looks on from there.
    [
      '40,000 chars of "password is pass is hunter2 " repeated',
      'password is pass is hunter2 '.repeat(1429).slice(0, 40_000),
    ],
    // Labels glued by colons (a stranger's review of a reverted fix found them slow there).
    ['40,000 chars of "pw:" repeated', 'pw:'.repeat(13334).slice(0, 40_000)],
    [
      '40,000 chars of "mysql -u root -pS3cret; " repeated',
      'mysql -u root -pS3cret; '.repeat(1667).slice(0, 40_000),
    ],
  ];
}

function main(): void {
  const knowledge = loadKnowledge();
  const positives = readdirSync(CORPUS)
    .filter((f) => f.startsWith('positives') || f === 'help-article.yml')
    .flatMap(read)
    .map((e) => e.text);
  const negatives = read('negatives.yml');
  const chat = negatives.filter((e) => !e.hard).map((e) => e.text);
  const mix: string[] = [];
  positives.forEach((p, i) => {
    mix.push(p);
    for (let j = 0; j < 9; j++) mix.push(chat[(i * 9 + j) % chat.length] ?? '');
  });

  for (let i = 0; i < 3; i++) for (const m of mix) diagnose(m, knowledge); // warm up the JIT

  const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
  const classify = (text: string) => diagnose(text, knowledge);
  const wall = process.hrtime.bigint();
  const perMessage = timeEach(mix, rounds, classify);
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const positivesOnly = timeEach(positives, 1, classify);
  // Ordinary chat alone (the nine in ten of the mix), the cost a passively listening bot pays most: read
  // as passive listening reads it (the refusal check where settings.refusalCheck applies it there).
  const heard = (text: string) => analyzePassive(text, knowledge);
  const chatOnly = timeEach(chat, rounds, heard);
  // The chat lines with no trigger word at all (the classifier's early exit after redaction).
  const compiled = compile(knowledge);
  const hasTrigger = (text: string) =>
    compiled.prefilter.test(normalize(redactSecrets(text).text, { unescaped: true }));
  const quiet = chat.filter((c) => !hasTrigger(c));
  const quietOnly = timeEach(quiet, rounds, heard);
  // The others: chat with a trigger word ("request limit reached"), which runs the whole classifier.
  const triggered = chat.filter((c) => !quiet.includes(c));
  const triggeredOnly = timeEach(triggered, rounds, heard);
  // Of those, the lines the classifier finds something in (another kind of problem, a platform, a code
  // or evidence: an answer with fields to fill, which only the whole classifier gives) and the lines it
  // finds nothing in. Most of the bench's trigger-word chat is API errors of other kinds, not talk.
  const findsSomething = (text: string) => {
    const d = diagnose(text, knowledge);
    return d.platform !== null || d.otherKind !== null || d.errorCode !== null || d.evidence.length > 0;
  };
  const answered = triggered.filter(findsSomething);
  const answeredOnly = timeEach(answered, rounds, heard);
  const foundNothing = triggered.filter((c) => !answered.includes(c));
  const foundNothingOnly = timeEach(foundNothing, rounds, heard);
  // Of that, what comes before the classifier proper (masking, normalising, the prefilter): every
  // message pays it, and it grows with the line's length as the rest does.
  const triggeredBefore = timeEach(triggered, rounds, hasTrigger);
  // Real channel chat: what a support channel mostly carries (questions, answers, thanks), unlike the
  // corpus's chat lines above, most of which are API errors of other kinds.
  const channelChat = ((parse(readFileSync(CHANNEL_CHAT, 'utf8')) as Entry[] | null) ?? []).map(
    (e) => e.text,
  );
  const channelTriggered = channelChat.filter(hasTrigger);
  const channelQuiet = channelChat.filter((c) => !hasTrigger(c));
  const channelOnly = timeEach(channelChat, rounds, heard);
  const channelTriggeredOnly = timeEach(channelTriggered, rounds, heard);
  const channelQuietOnly = timeEach(channelQuiet, rounds, heard);
  const meanLength = (texts: readonly string[]) =>
    Math.round(texts.reduce((sum, t) => sum + t.length, 0) / Math.max(1, texts.length));
  // The redactor alone (the first step of every diagnosis), on the same mix.
  const redactOnly = timeEach(mix, rounds, redactSecrets);

  const longLog = longLogWithOneError();
  const big = longInputs(longLog);

  console.log(
    `tokenfix diagnose benchmark — node ${process.version}, ${knowledge.platforms.length} platforms`,
  );
  console.log(
    `mix: ${positives.length} corpus positives + ${positives.length * 9} chat lines (1:9), ${rounds} rounds`,
  );
  console.log(
    `throughput:        ${Math.round(perMessage.length / seconds).toLocaleString('en')} messages/s (one core)`,
  );
  console.log(
    `per message (mix): p50 ${quantile(perMessage, 0.5).toFixed(1)} µs, p99 ${quantile(perMessage, 0.99).toFixed(1)} µs`,
  );
  console.log(
    `token errors only: p50 ${quantile(positivesOnly, 0.5).toFixed(1)} µs, p99 ${quantile(positivesOnly, 0.99).toFixed(1)} µs`,
  );
  console.log(
    `ordinary chat (as passive listening reads it): p50 ${quantile(chatOnly, 0.5).toFixed(1)} µs, p99 ${quantile(chatOnly, 0.99).toFixed(1)} µs, mean ${mean(chatOnly).toFixed(1)} µs per message`,
  );
  console.log(
    `  no trigger word: p50 ${quantile(quietOnly, 0.5).toFixed(1)} µs, p99 ${quantile(quietOnly, 0.99).toFixed(1)} µs (${quiet.length} of the ${chat.length} chat lines)`,
  );
  console.log(
    `  a trigger word:  p50 ${quantile(triggeredOnly, 0.5).toFixed(1)} µs, p99 ${quantile(triggeredOnly, 0.99).toFixed(1)} µs (${triggered.length} of the ${chat.length} chat lines)`,
  );
  console.log(
    `    something found (another kind, platform, code): p50 ${quantile(answeredOnly, 0.5).toFixed(1)} µs, mean ${mean(answeredOnly).toFixed(1)} µs (${answered.length}); nothing found: p50 ${quantile(foundNothingOnly, 0.5).toFixed(1)} µs, mean ${mean(foundNothingOnly).toFixed(1)} µs (${foundNothing.length})`,
  );
  console.log(
    `    before the classifier (masking, normalising, prefilter): p50 ${quantile(triggeredBefore, 0.5).toFixed(1)} µs; mean length ${meanLength(triggered)} characters (no trigger word: ${meanLength(quiet)})`,
  );
  console.log(
    `real channel chat: p50 ${quantile(channelOnly, 0.5).toFixed(1)} µs, p99 ${quantile(channelOnly, 0.99).toFixed(1)} µs, mean ${mean(channelOnly).toFixed(1)} µs per message (${channelChat.length} Slack messages, test/fixtures/channel-chat.yml)`,
  );
  console.log(
    `  a trigger word:  ${channelTriggered.length} of ${channelChat.length}, p50 ${quantile(channelTriggeredOnly, 0.5).toFixed(1)} µs, mean ${mean(channelTriggeredOnly).toFixed(1)} µs; none: p50 ${quantile(channelQuietOnly, 0.5).toFixed(1)} µs, mean ${mean(channelQuietOnly).toFixed(1)} µs; mean length ${meanLength(channelChat)} characters`,
  );
  console.log(
    `redactor alone:    p50 ${quantile(redactOnly, 0.5).toFixed(1)} µs, p99 ${quantile(redactOnly, 0.99).toFixed(1)} µs`,
  );
  for (const [name, text] of big) {
    const t = timeOne(text, knowledge, 20);
    console.log(`${name.padEnd(40)} median ${t.median.toFixed(2)} ms, max ${t.max.toFixed(2)} ms`);
  }
  console.log(
    'targets: >= 20,000 messages/s, p99 <= 200 µs, 40,000 chars <= 5 ms, ordinary chat <= 5 µs per message',
  );

  // What a message costs with the learned model (src/diagnosis/asked.ts): explicit asks when
  // `modelAnswersAsks` is on, passive listening when `modelAnswersPassive` is (both, as shipped); the
  // workflow step runs the rules alone (above). The model runs only where the combination lets it
  // change the answer.
  const model = shippedModel();
  if (!model) return;
  const withModel = (text: string) => analyzeAsked(text, knowledge, model);
  for (let i = 0; i < 3; i++) for (const m of mix) withModel(m);
  const wallBoth = process.hrtime.bigint();
  const both = timeEach(mix, rounds, withModel);
  const secondsBoth = Number(process.hrtime.bigint() - wallBoth) / 1e9;
  const chatBoth = timeEach(chat, rounds, withModel);
  const channelBoth = timeEach(channelChat, rounds, withModel);
  console.log(
    `rules + model (asks and passive listening, when modelAnswersAsks / modelAnswersPassive are on): ${Math.round(both.length / secondsBoth).toLocaleString('en')} messages/s, p50 ${quantile(both, 0.5).toFixed(1)} µs, p99 ${quantile(both, 0.99).toFixed(1)} µs; ordinary chat mean ${mean(chatBoth).toFixed(1)} µs; real channel chat p50 ${quantile(channelBoth, 0.5).toFixed(1)} µs, mean ${mean(channelBoth).toFixed(1)} µs; 40,000-char log ${timeEach([longLog], 20, withModel)[10]?.toFixed(0)} µs median`,
  );
}

// Run as a script (npm run bench:diagnose), not when a test imports longInputs.
if (require.main === module) main();
