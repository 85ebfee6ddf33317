/**
 * Reads the text of an error screenshot with OCR (tesseract.js), offline.
 *
 * Customers very often send a picture of the error instead of its text. One tesseract worker per
 * process, started on first use (it costs ~150 MB, so a bot that never sees a screenshot never pays),
 * fed one image at a time from a bounded queue, with size and pixel caps checked from the image header
 * before anything is decoded, and a time limit per image after which the worker is replaced.
 *
 * tesseract.js left to its defaults fetches its language data from a CDN, caches it in the working
 * directory and lets a worker error crash the process: the English data therefore comes from the npm
 * package `@tesseract.js-data/eng` as a local `langPath`, `cacheMethod: 'none'`, and an `errorHandler`.
 * The image and the text read from it are never stored or logged here; callers send the text through
 * the same redaction as any pasted text.
 */
import { dirname, join } from 'node:path';
import { imageSize } from 'image-size';
import type { Worker } from 'tesseract.js';

export type ImageKind = 'png' | 'jpeg' | 'webp';

/** image-size's type names → ours. */
const KINDS: ReadonlyMap<string, ImageKind> = new Map([
  ['png', 'png'],
  ['jpg', 'jpeg'],
  ['webp', 'webp'],
]);

export type ReadResult =
  | { ok: true; text: string; kind: ImageKind; width: number; height: number; ms: number }
  | { ok: false; reason: ReadFailure };

export type ReadFailure =
  | 'not_an_image'
  | 'too_large'
  | 'too_many_pixels'
  | 'busy'
  | 'timeout'
  | 'ocr_failed'
  | 'closed';

/** What to tell a person when a screenshot could not be read, in one line. */
export function readFailureNotice(reason: ReadFailure): string {
  switch (reason) {
    case 'not_an_image':
      return 'I can read PNG, JPEG and WebP screenshots; this file is none of those.';
    case 'too_large':
    case 'too_many_pixels':
      return 'That screenshot is too large for me to read. Crop it to the error message and try again, or paste the error text.';
    case 'busy':
      return 'I am reading a lot of screenshots right now. Please try again in a minute, or paste the error text.';
    case 'timeout':
    case 'ocr_failed':
    case 'closed':
      return 'I could not read the text in that screenshot. Please paste the error text instead.';
  }
}

export interface ScreenshotReaderOptions {
  /** Largest file accepted, in bytes (default 8 MB). */
  maxBytes?: number;
  /** Largest image accepted, in pixels (default 16 million: a 4K screen at 2× is about 33 M, so crop). */
  maxPixels?: number;
  /** Longest one image may take before its worker is replaced (default 20 s). */
  timeoutMs?: number;
  /** Images waiting beyond the one being read (default 8); more are refused as `busy`. */
  maxQueue?: number;
  /** Told of worker failures (no image content, no text). */
  onError?: (reason: string) => void;
}

export const SCREENSHOT_DEFAULTS = {
  maxBytes: 8 * 1024 * 1024,
  maxPixels: 16_000_000,
  timeoutMs: 20_000,
  maxQueue: 8,
} as const;

/** The type and pixel size from the image's header, or null when it is not a PNG, JPEG or WebP. */
export function sniffImage(image: Uint8Array): { kind: ImageKind; width: number; height: number } | null {
  try {
    const { type, width, height } = imageSize(image);
    const kind = type ? KINDS.get(type) : undefined;
    if (!kind || !width || !height) return null;
    return { kind, width, height };
  } catch {
    return null;
  }
}

/** The English trained data shipped by `@tesseract.js-data/eng` (LSTM, "best_int": small and accurate). */
function englishLangPath(): string {
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

interface Job {
  image: Buffer;
  resolve: (text: string) => void;
  reject: (e: Error) => void;
}

class OcrTimeout extends Error {}

export class ScreenshotReader {
  private readonly options: Required<Omit<ScreenshotReaderOptions, 'onError'>>;
  private readonly onError: (reason: string) => void;
  private worker: Promise<Worker> | null = null;
  private readonly queue: Job[] = [];
  private running = false;
  private closed = false;

  constructor(options: ScreenshotReaderOptions = {}) {
    this.options = {
      maxBytes: options.maxBytes ?? SCREENSHOT_DEFAULTS.maxBytes,
      maxPixels: options.maxPixels ?? SCREENSHOT_DEFAULTS.maxPixels,
      timeoutMs: options.timeoutMs ?? SCREENSHOT_DEFAULTS.timeoutMs,
      maxQueue: options.maxQueue ?? SCREENSHOT_DEFAULTS.maxQueue,
    };
    this.onError = options.onError ?? (() => undefined);
  }

  /** Images waiting or being read. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Reads the text in an image. Never throws: a failure comes back as `{ ok: false, reason }`. */
  async read(image: Buffer): Promise<ReadResult> {
    if (this.closed) return { ok: false, reason: 'closed' };
    if (image.length > this.options.maxBytes) return { ok: false, reason: 'too_large' };
    const info = sniffImage(image);
    if (!info) return { ok: false, reason: 'not_an_image' };
    if (info.width * info.height > this.options.maxPixels) return { ok: false, reason: 'too_many_pixels' };
    if (this.queue.length >= this.options.maxQueue) return { ok: false, reason: 'busy' };
    const started = performance.now();
    try {
      const text = await new Promise<string>((resolve, reject) => {
        this.queue.push({ image, resolve, reject });
        this.pump();
      });
      return { ok: true, text, ...info, ms: Math.round(performance.now() - started) };
    } catch (e) {
      return {
        ok: false,
        reason: this.closed ? 'closed' : e instanceof OcrTimeout ? 'timeout' : 'ocr_failed',
      };
    }
  }

  /** Stops the worker; images still queued come back as `closed`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('closed'));
    await this.dropWorker();
  }

  private startWorker(): Promise<Worker> {
    // Loaded here, not at the top: the bot and CLI start without it when no screenshot comes.
    const { createWorker, OEM } = require('tesseract.js') as typeof import('tesseract.js');
    const worker = createWorker('eng', OEM.LSTM_ONLY, {
      langPath: englishLangPath(),
      gzip: true,
      cacheMethod: 'none',
      errorHandler: (e: unknown) => this.onError(e instanceof Error ? e.message : String(e)),
    });
    // A worker that failed to start is dropped, so the next image starts a fresh one.
    worker.catch(() => {
      if (this.worker === worker) this.worker = null;
    });
    return worker;
  }

  private async dropWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.then((w) => w.terminate()).catch(() => undefined);
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = true;
    this.recognize(job.image)
      .then(job.resolve, job.reject)
      .finally(() => {
        this.running = false;
        this.pump();
      });
  }

  private async recognize(image: Buffer): Promise<string> {
    this.worker ??= this.startWorker();
    const worker = this.worker;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new OcrTimeout());
      }, this.options.timeoutMs);
    });
    // Not started when the time ran out while the worker was still starting (it is terminated then).
    const recognition = worker.then((w) => {
      if (timedOut) throw new OcrTimeout();
      return w.recognize(image);
    });
    recognition.catch(() => undefined); // the loser of the race must not become an unhandled rejection
    try {
      const result = await Promise.race([recognition, timeout]);
      return result.data.text;
    } catch (e) {
      // A stuck or broken worker is replaced rather than trusted with the next image.
      if (this.worker === worker) await this.dropWorker();
      this.onError(e instanceof OcrTimeout ? 'ocr timed out' : 'ocr failed');
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}
