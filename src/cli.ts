#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { renderCard } from './cards';
import {
  analyzeAsked,
  analyzePassive,
  modelForAsks,
  type PassiveSilence,
  passiveAnswer,
} from './diagnosis/asked';
import type { Analysis } from './diagnosis/diagnose';
import { type Knowledge, KnowledgeError, loadKnowledge } from './diagnosis/knowledge';
import { analyzeScreenshot, readFailureNotice, ScreenshotReader } from './ocr';
import { runStats, STATS_USAGE } from './stats-export';

const USAGE = `usage: tokenfix diagnose [--json | --blocks] [--passive] "ERROR TEXT"
       tokenfix diagnose [--json | --blocks] [--passive] < file  (the text on stdin)
       tokenfix diagnose --jsonl [--passive] < lines.jsonl   (one {"id": …, "text": "…"} per line)
       tokenfix diagnose [--json | --blocks] --image FILE  (a PNG, JPEG or WebP screenshot, read offline)

Reads a pasted connector error and says whether it is a login (token) error, which platform it came
from, why the login broke and how to fix it. KNOWLEDGE_PATH adds a YAML file to the built-in knowledge.
--passive says whether passive listening would answer the text, heard unasked (settings.yml:
refusalCheck, passiveMinConfidence), and why not; with --json and --jsonl the Diagnosis it would post
gains "passive": {"answers", "why"}; with --blocks it prints the card only when it would answer.

${STATS_USAGE}`;

type Mode = 'human' | 'json' | 'jsonl' | 'blocks';

class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

interface Args {
  mode: Mode;
  text: string | null;
  image: string | null;
  /** Read as passive listening reads a message nobody asked about. */
  passive: boolean;
}

function parseArgs(args: string[]): Args {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') throw new UsageError('');
  if (command !== 'diagnose')
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  let mode: Mode = 'human';
  const words: string[] = [];
  let image: string | null = null;
  let passive = false;
  let literal = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (!literal && arg === '--') literal = true;
    else if (!literal && arg === '--image') {
      if (image !== null) throw new UsageError('give --image once');
      image = rest[++i] ?? '';
      if (!image) throw new UsageError('--image needs a file name');
    } else if (!literal && (arg === '--json' || arg === '--jsonl' || arg === '--blocks')) {
      if (mode !== 'human') throw new UsageError('use only one of --json, --jsonl, --blocks');
      mode = arg.slice(2) as Mode;
    } else if (!literal && arg === '--passive') passive = true;
    else if (!literal && (arg === '--help' || arg === '-h')) throw new UsageError('');
    else if (!literal && arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else words.push(arg);
  }
  if (mode === 'jsonl' && words.length > 0) throw new UsageError('--jsonl reads its input from stdin only');
  if (image !== null && mode === 'jsonl') throw new UsageError('--image does not combine with --jsonl');
  if (image !== null && words.length > 0)
    throw new UsageError('give either --image FILE or the error text, not both');
  if (image !== null && passive) throw new UsageError('--passive does not combine with --image');
  return { mode, text: words.length > 0 ? words.join(' ') : null, image, passive };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export function blockKitBuilderUrl(blocks: unknown[]): string {
  return `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify({ blocks }))}`;
}

/** Slack mrkdwn links to plain "label (url)" for a terminal. */
function plain(mrkdwn: string): string {
  return mrkdwn.replace(/<([^|<>]+)\|([^<>]+)>/g, '$2 ($1)').replace(/\*([^*\n]+)\*/g, '$1');
}

/** Why passive listening would stay quiet, in words. */
function silenceWhy(silence: PassiveSilence, knowledge: Knowledge, d: Analysis['diagnosis']): string {
  if (silence === 'refusal_check')
    return 'a credential merely refused, with nothing saying it had ever worked (settings.refusalCheck)';
  if (silence === 'below_min_confidence')
    return `confidence ${Math.round(d.confidence * 100)}% is below passiveMinConfidence ${knowledge.settings.passiveMinConfidence}`;
  return 'not a login error';
}

/** `--passive`: whether passive listening answers, and why not. */
function passiveOutcome(knowledge: Knowledge, analysis: Analysis): { answers: boolean; why: string } {
  const outcome = passiveAnswer(analysis, knowledge);
  return outcome.answers
    ? {
        answers: true,
        why: 'a login error: the card below, in the thread, where the channel is set to reply',
      }
    : { answers: false, why: silenceWhy(outcome.silence, knowledge, analysis.diagnosis) };
}

function humanReport(knowledge: Knowledge, { diagnosis: d, excerpt }: Analysis): string {
  const card = renderCard(knowledge, d, { excerpt });
  const platform = knowledge.platforms.find((p) => p.id === d.platform);
  const lines: string[] = [];
  if (d.isTokenError) {
    const cause = knowledge.causes.get(d.cause ?? 'unknown');
    lines.push(`Login (token) error: yes`);
    lines.push(`Platform:       ${platform ? `${platform.name} (${platform.id})` : 'not sure'}`);
    if (d.dataSource) lines.push(`Data source:    ${d.dataSource}`);
    lines.push(
      `Cause:          ${cause?.title ?? d.cause} (${d.cause}), confidence ${Math.round(d.confidence * 100)}%`,
    );
    if (d.alternatives.length > 0) {
      lines.push(
        `Also possible:  ${d.alternatives.map((a) => `${a.cause} ${Math.round(a.confidence * 100)}%`).join(', ')}`,
      );
    }
  } else {
    const other = d.otherKind ? knowledge.otherKinds.get(d.otherKind) : undefined;
    lines.push(
      `Login (token) error: no${other ? ` (it looks like: ${other.title.toLowerCase()}; ${d.otherKind})` : ''}`,
    );
    if (platform) lines.push(`Platform:       ${platform.name} (${platform.id})`);
  }
  if (d.errorCode) lines.push(`Error code:     ${d.errorCode}`);
  if (d.evidence.length > 0) lines.push(`Evidence:       ${d.evidence.map((e) => `"${e}"`).join(', ')}`);
  // As the card's context line says: only the learned model calls a login error with no evidence.
  else if (d.isTokenError)
    lines.push('Evidence:       none matched: the learned model’s reading, so double-check it');
  if (d.secretsRedacted > 0) lines.push(`Secrets masked: ${d.secretsRedacted}`);
  lines.push('');
  for (const block of card.blocks) {
    if (block.type === 'section' && block.text) lines.push(plain(block.text.text), '');
  }
  lines.push(`Preview the Slack card: ${blockKitBuilderUrl(card.blocks)}`);
  return lines.join('\n');
}

/** The Diagnosis a --json line prints: with --passive, passive listening's, and whether it answers. */
function jsonOf(knowledge: Knowledge, text: string, passive: boolean): object {
  if (!passive) return analyzeAsked(text, knowledge).diagnosis;
  const analysis = analyzePassive(text, knowledge);
  return passiveJson(analysis, passiveOutcome(knowledge, analysis));
}

function passiveJson(analysis: Analysis, outcome: { answers: boolean; why: string }): object {
  return { ...analysis.diagnosis, passive: outcome };
}

async function runJsonl(knowledge: Knowledge, io: Io, passive: boolean): Promise<void> {
  const rl = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let id: unknown = null;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('line is not a JSON object');
      const record = parsed as Record<string, unknown>;
      id = record.id ?? null;
      if (typeof record.text !== 'string') throw new Error('"text" must be a string');
      if (!record.text.trim()) throw new Error('"text" is empty');
      io.out(JSON.stringify({ id, ...jsonOf(knowledge, record.text, passive) }));
    } catch (e) {
      const why = e instanceof SyntaxError ? 'not valid JSON' : (e as Error).message;
      io.out(JSON.stringify({ id, error: why }));
    }
  }
}

/** Runs the CLI and returns the exit status: 0 when it ran, 2 for usage errors, 1 for bad knowledge. */
export async function main(args: string[], io: Io): Promise<number> {
  if (args[0] === 'stats') {
    // The same .env the bot reads, for DATABASE_URL; the environment wins over it.
    (require('dotenv') as typeof import('dotenv')).config({ quiet: true });
    return runStats(args.slice(1), io);
  }
  let mode: Mode;
  let text: string | null;
  let image: string | null;
  let passive: boolean;
  try {
    ({ mode, text, image, passive } = parseArgs(args));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) io.err(`tokenfix: ${e.message}`);
    io.err(USAGE);
    return e.message ? 2 : 0;
  }
  let knowledge: Knowledge;
  try {
    knowledge = loadKnowledge({ overlayPath: process.env.KNOWLEDGE_PATH || undefined });
  } catch (e) {
    if (!(e instanceof KnowledgeError)) throw e;
    io.err(`tokenfix: knowledge is invalid: ${e.message}`);
    return 1;
  }
  try {
    modelForAsks(knowledge);
  } catch (e) {
    io.err(`tokenfix: knowledge/model.json can't be read: ${(e as Error).message}`);
    return 1;
  }
  if (mode === 'jsonl') {
    await runJsonl(knowledge, io, passive);
    return 0;
  }
  if (image !== null) return diagnoseImage(knowledge, image, mode, io);
  if (text === null) {
    if (io.stdin.isTTY) {
      io.err('tokenfix: give the error text as an argument or on stdin');
      io.err(USAGE);
      return 2;
    }
    text = await readAll(io.stdin);
  }
  if (!text.trim()) {
    io.err('tokenfix: the error text is empty');
    io.err(USAGE);
    return 2;
  }
  if (passive) printPassive(knowledge, text, mode, io);
  else printAnalysis(knowledge, analyzeAsked(text, knowledge), mode, io);
  return 0;
}

function printAnalysis(knowledge: Knowledge, analysis: Analysis, mode: Mode, io: Io): void {
  if (mode === 'json') io.out(JSON.stringify(analysis.diagnosis));
  else if (mode === 'blocks')
    io.out(JSON.stringify(renderCard(knowledge, analysis.diagnosis, { excerpt: analysis.excerpt })));
  else io.out(humanReport(knowledge, analysis));
}

/**
 * `--passive`: what passive listening does with the text. Human: its answer and why, then what an ask
 * of the same message gets (the card :key: or /tokenfix would bring). --blocks: the card it would post,
 * or nothing (the reason on stderr).
 */
function printPassive(knowledge: Knowledge, text: string, mode: Mode, io: Io): void {
  const analysis = analyzePassive(text, knowledge);
  const outcome = passiveOutcome(knowledge, analysis);
  if (mode === 'json') io.out(JSON.stringify(passiveJson(analysis, outcome)));
  else if (mode === 'blocks') {
    if (outcome.answers) printAnalysis(knowledge, analysis, 'blocks', io);
    else io.err(`tokenfix: passive listening would stay quiet: ${outcome.why}`);
  } else {
    if (outcome.answers) {
      io.out(`Passive listening answers: ${outcome.why}.\n`);
      io.out(humanReport(knowledge, analysis));
      return;
    }
    io.out(`Passive listening stays quiet: ${outcome.why}.`);
    io.out('Asked (/tokenfix, a mention, the shortcut or :key:), it answers:\n');
    io.out(humanReport(knowledge, analyzeAsked(text, knowledge)));
  }
}

/** `--image FILE`: exit 2 when the file can't be read or is not a screenshot it takes, 1 when OCR fails. */
async function diagnoseImage(knowledge: Knowledge, file: string, mode: Mode, io: Io): Promise<number> {
  let image: Buffer;
  try {
    image = await readFile(file);
  } catch (e) {
    io.err(`tokenfix: can't read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 2;
  }
  const reader = new ScreenshotReader();
  try {
    const result = await analyzeScreenshot(reader, image, knowledge);
    if (!result.ok) {
      io.err(`tokenfix: ${file}: ${readFailureNotice(result.reason)}`);
      return result.reason === 'timeout' || result.reason === 'ocr_failed' ? 1 : 2;
    }
    printAnalysis(knowledge, result.analysis, mode, io);
    return 0;
  } finally {
    await reader.close();
  }
}

if (require.main === module) {
  // A reader that stops early (`| head`) closes the pipe: the output is done, not a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    stdin: process.stdin,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`tokenfix: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
