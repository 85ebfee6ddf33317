/**
 * Screenshots shared in Slack (a message's `files`, `file_share` events): downloaded with the bot token
 * (files:read) and read with OCR, then diagnosed like pasted text (src/ocr). Runs after the ack, never
 * on its path; the reader's queue is bounded, and a file is refused by its declared size before any
 * byte is fetched and again while streaming. Neither the image nor the text read from it is stored or
 * logged. The token is only ever sent to Slack's file host (or the SLACK_API_URL's own host, where
 * tests serve files): a file URL pointing anywhere else is not fetched.
 *
 * In a Slack Connect channel a file shared by someone from the other organisation arrives as a stub
 * (`file_access: "check_file_info"`, no type, size or URL); Slack's file_share event reference says to
 * ask files.info for the real file object, which is then checked like any other.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import { guessLanguage } from '../cards/customer-reply';
import type { SlackMessage } from '../cards/types';
import type { Analysis } from '../diagnosis/diagnose';
import type { Knowledge } from '../diagnosis/knowledge';
import { errorFields, type Log } from '../log';
import { analyzeScreenshot, type ReadFailure, readFailureNotice, type ScreenshotReader } from '../ocr';
import { type Ask, readAsk } from './explain';

/** The parts of a Slack file object this reads. */
export interface SharedFile {
  id?: unknown;
  file_access?: unknown;
  mimetype?: unknown;
  filetype?: unknown;
  size?: unknown;
  url_private_download?: unknown;
  url_private?: unknown;
}

const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/webp']);
const IMAGE_FILETYPES: ReadonlySet<string> = new Set(['png', 'jpg', 'jpeg', 'webp']);

const isImage = (f: SharedFile): boolean =>
  (typeof f.mimetype === 'string' && IMAGE_TYPES.has(f.mimetype)) ||
  (typeof f.filetype === 'string' && IMAGE_FILETYPES.has(f.filetype));

/** A Slack Connect stub: only files.info can tell what it is (one without an id can't be asked about). */
const needsFileInfo = (f: SharedFile): boolean => f.file_access === 'check_file_info';

/**
 * The message's files that are, or may be, pictures OCR can read (PNG, JPEG, WebP, and Slack Connect
 * stubs still to be looked up), at most three: each stub costs a files.info call.
 */
export function possibleImages(message: object): SharedFile[] {
  const files = (message as { files?: unknown }).files;
  if (!Array.isArray(files)) return [];
  return (files as unknown[])
    .filter((f): f is SharedFile => typeof f === 'object' && f !== null)
    .filter((f) => isImage(f) || needsFileInfo(f))
    .slice(0, 3);
}

export type ScreenshotFailure = ReadFailure | 'download_failed';

export type ScreenshotResult =
  | { ok: true; analysis: Analysis; text: string }
  | { ok: false; reason: ScreenshotFailure };

/** One line for the person who asked. */
export function screenshotNotice(reason: ScreenshotFailure): string {
  return reason === 'download_failed'
    ? "I couldn't download that screenshot from Slack. Please paste the error text instead."
    : readFailureNotice(reason);
}

export interface ScreenshotsOptions {
  reader: ScreenshotReader;
  knowledge: Knowledge;
  log: Log;
  /** SLACK_API_URL: its host may serve files too (a test's fake Slack); Slack's own file host always may. */
  slackApiUrl: string;
  /** Largest file downloaded (default: the reader's byte cap, 8 MB). */
  maxBytes?: number;
  downloadTimeoutMs?: number;
}

const SLACK_FILE_ORIGIN = 'https://files.slack.com';

export class Screenshots {
  private readonly allowedOrigins: Set<string>;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: ScreenshotsOptions) {
    this.allowedOrigins = new Set([SLACK_FILE_ORIGIN, new URL(options.slackApiUrl).origin]);
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.timeoutMs = options.downloadTimeoutMs ?? 10_000;
  }

  /**
   * The first of `files` (from possibleImages) that is a picture, Slack Connect stubs looked up with
   * files.info one at a time until one is; 'lookup_failed' when none is and a lookup failed (Slack
   * said no, rate limits outlasted the client's retries, 5xx), so the person who asked can be told.
   */
  async firstImage(files: SharedFile[], client: WebClient): Promise<SharedFile | 'lookup_failed' | null> {
    let failed = false;
    let slackFailing = false;
    for (const file of files) {
      if (!needsFileInfo(file)) return file;
      // Once rate limits or an outage outlasted the client's retries, the next lookup would fare no
      // better, only add minutes and calls (a passive channel may share many stubs).
      const canAsk = !slackFailing && typeof file.id === 'string' && file.id !== '';
      const found = canAsk ? await this.fileInfo(file.id as string, client) : null;
      if (found === 'slack_failing') slackFailing = true;
      if (!found || found === 'slack_failing') failed = true;
      else if (isImage(found)) return found;
    }
    return failed ? 'lookup_failed' : null;
  }

  /** Reads the first of the message's images; never throws. */
  async analyze(file: SharedFile, token: string | undefined): Promise<ScreenshotResult> {
    const image = await this.download(file, token);
    if (!image) return { ok: false, reason: 'download_failed' };
    if (image === 'too_large') return { ok: false, reason: 'too_large' };
    const result = await analyzeScreenshot(this.options.reader, image, this.options.knowledge);
    if (!result.ok) {
      this.options.log.info('screenshot not read', { reason: result.reason });
      return result;
    }
    this.options.log.info('screenshot read', { ms: result.ms });
    return { ok: true, analysis: result.analysis, text: result.text };
  }

  close(): Promise<void> {
    return this.options.reader.close();
  }

  /** The file Slack describes; null when it won't describe this one; 'slack_failing' when Slack didn't answer. */
  private async fileInfo(id: string, client: WebClient): Promise<SharedFile | 'slack_failing' | null> {
    try {
      const res = await client.files.info({ file: id });
      const file: unknown = res.file;
      if (typeof file !== 'object' || file === null) return null;
      // A stub again, or no type at all: Slack did not describe it, which the asker must be told.
      const described = file as SharedFile;
      const typed = typeof described.mimetype === 'string' || typeof described.filetype === 'string';
      if (!typed || described.file_access === 'check_file_info') {
        this.options.log.warn('screenshot file info failed', {
          method: 'files.info',
          error: 'not_described',
        });
        return null;
      }
      return described;
    } catch (error) {
      // The error's code only (file_not_found, access_denied, a status): never the file's name or URL.
      this.options.log.warn('screenshot file info failed', { method: 'files.info', ...errorFields(error) });
      return (error as { code?: unknown }).code === ErrorCode.PlatformError ? null : 'slack_failing';
    }
  }

  private async download(file: SharedFile, token: string | undefined): Promise<Buffer | 'too_large' | null> {
    const url =
      typeof file.url_private_download === 'string'
        ? file.url_private_download
        : typeof file.url_private === 'string'
          ? file.url_private
          : null;
    if (!url || !token) return null;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (!this.allowedOrigins.has(parsed.origin)) {
      this.options.log.warn('screenshot URL outside Slack refused', { host: parsed.hostname });
      return null;
    }
    if (typeof file.size === 'number' && file.size > this.maxBytes) return 'too_large';
    try {
      const res = await fetch(parsed, {
        headers: { authorization: `Bearer ${token}` },
        // Slack answers a token without files:read with a redirect to a sign-in page: not an image.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.status !== 200 || !res.body) {
        this.options.log.warn('screenshot download failed', { status: res.status });
        await res.body?.cancel();
        return null;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > this.maxBytes) {
          await res.body.cancel().catch(() => undefined);
          return 'too_large';
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    } catch (error) {
      this.options.log.warn('screenshot download failed', { error: (error as Error).name });
      return null;
    }
  }
}

/** What an entry point diagnoses: the ask, the text it came from, and why a screenshot was not read. */
export interface AskWithImages {
  ask: Ask;
  /** The text diagnosed (the message's, or what OCR read): for the record's hash, never kept. */
  text: string;
  /** Set when the message had a screenshot that could not be read. */
  screenshot?: ScreenshotFailure;
}

/**
 * The message's text when it shows a login error; otherwise, when the message carries a screenshot
 * and images may be read here, the screenshot's. Customers often send only the picture.
 */
export async function askWithImages(
  deps: { knowledge: Knowledge; screenshots?: Screenshots | null },
  message: object,
  text: string,
  options: { typed: boolean; asked: boolean; client: WebClient; images: boolean },
): Promise<AskWithImages> {
  const ask = readAsk(text, deps.knowledge, options.typed, options.asked);
  if (ask.kind === 'diagnose' && ask.analysis.diagnosis.isTokenError) return { ask, text };
  const files = options.images && deps.screenshots ? possibleImages(message) : [];
  if (files.length === 0 || !deps.screenshots) return { ask, text };
  const file = await deps.screenshots.firstImage(files, options.client);
  // A file Slack would not describe is, for the person who asked, a file that could not be downloaded.
  if (file === 'lookup_failed') return { ask, text, screenshot: 'download_failed' };
  if (!file) return { ask, text };
  const shot = await deps.screenshots.analyze(file, options.client.token);
  if (!shot.ok) return { ask, text, screenshot: shot.reason };
  return {
    ask: { kind: 'diagnose', analysis: shot.analysis, language: guessLanguage(text) },
    text: shot.text,
  };
}

/** The answer to an explicit ask whose only content was a screenshot that could not be read. */
export function unreadScreenshot(result: AskWithImages): SlackMessage | null {
  if (!result.screenshot) return null;
  if (result.ask.kind === 'diagnose' && result.ask.analysis.diagnosis.isTokenError) return null;
  const text = `:frame_with_picture: ${screenshotNotice(result.screenshot)}`;
  return { text, blocks: [] };
}
