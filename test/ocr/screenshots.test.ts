/**
 * Screenshots of real error messages (test/fixtures/screenshots, rendered by render.sh there from the
 * corpus: light and dark, 1× and 2×, PNG plus one JPEG and one WebP) read with OCR, offline, and
 * diagnosed like pasted text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadKnowledge } from '../../src/diagnosis/knowledge';
import { analyzeScreenshot, ScreenshotReader, sniffImage } from '../../src/ocr';

const DIR = join(__dirname, '..', 'fixtures', 'screenshots');

interface Expectation {
  platform: string | null;
  cause: string | string[];
  errorCode?: string;
}

const expectations = new Map(
  (parse(readFileSync(join(DIR, 'screenshots.yml'), 'utf8')) as { id: string; expect: Expectation }[]).map(
    (s) => [s.id, s.expect],
  ),
);
const pictures = readdirSync(DIR)
  .filter((f) => /\.(png|jpg|webp)$/.test(f))
  .sort();

const knowledge = loadKnowledge();
const reader = new ScreenshotReader();
afterAll(() => reader.close());

test('every picture belongs to a listed message, and every message has its four renderings', () => {
  for (const file of pictures) expect(expectations.has(file.split('.')[0] as string)).toBe(true);
  for (const id of expectations.keys()) {
    for (const variant of ['light.1x', 'light.2x', 'dark.1x', 'dark.2x'])
      expect(pictures).toContain(`${id}.${variant}.png`);
  }
  expect(pictures.some((f) => f.endsWith('.jpg'))).toBe(true);
  expect(pictures.some((f) => f.endsWith('.webp'))).toBe(true);
});

describe.each(pictures)('%s', (file) => {
  test('diagnoses like the pasted text', async () => {
    const want = expectations.get(file.split('.')[0] as string) as Expectation;
    const result = await analyzeScreenshot(reader, readFileSync(join(DIR, file)), knowledge);
    if (!result.ok) throw new Error(`not read: ${result.reason}`);
    const d = result.analysis.diagnosis;
    expect(d.source).toBe('image');
    expect(d.isTokenError).toBe(true);
    expect(d.platform).toBe(want.platform);
    expect([want.cause].flat()).toContain(d.cause);
    if (want.errorCode) expect(d.errorCode).toBe(want.errorCode);
    expect(result.analysis.excerpt).toBeTruthy();
  });
});

describe('what the reader refuses, before any OCR', () => {
  const png = readFileSync(join(DIR, 'article-4.light.1x.png'));

  test('the type and size come from the header', () => {
    expect(sniffImage(png)).toMatchObject({ kind: 'png', width: 640 });
    expect(sniffImage(readFileSync(join(DIR, 'article-1.light.1x.webp')))?.kind).toBe('webp');
    expect(sniffImage(readFileSync(join(DIR, 'article-1.light.1x.jpg')))?.kind).toBe('jpeg');
    expect(sniffImage(Buffer.from('GIF89a not supported'))).toBeNull();
    expect(sniffImage(Buffer.from('%PDF-1.7'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  test('not an image, too many bytes, too many pixels', async () => {
    const small = new ScreenshotReader({ maxBytes: 1000, maxPixels: 100 });
    try {
      expect(await small.read(Buffer.from('just text, not a picture'))).toEqual({
        ok: false,
        reason: 'not_an_image',
      });
      expect(await small.read(png)).toEqual({ ok: false, reason: 'too_large' });
      const tiny = new ScreenshotReader({ maxPixels: 100 });
      expect(await tiny.read(png)).toEqual({ ok: false, reason: 'too_many_pixels' });
      await tiny.close();
    } finally {
      await small.close();
    }
  });

  test('a full queue answers busy instead of growing', async () => {
    const one = new ScreenshotReader({ maxQueue: 1 });
    try {
      const reads = [one.read(png), one.read(png), one.read(png)];
      const results = await Promise.all(reads);
      // The first is being read, the second waits, the third finds the queue full.
      expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'ok', 'busy']);
    } finally {
      await one.close();
    }
  });

  test('an image that takes too long is given up and the next one is read by a fresh worker', async () => {
    const hasty = new ScreenshotReader({ timeoutMs: 1 });
    try {
      expect(await hasty.read(png)).toEqual({ ok: false, reason: 'timeout' });
    } finally {
      await hasty.close();
    }
    const patient = new ScreenshotReader();
    try {
      const result = await patient.read(png);
      expect(result.ok).toBe(true);
    } finally {
      await patient.close();
    }
  });

  test('after close, reads answer closed', async () => {
    const closing = new ScreenshotReader();
    await closing.close();
    expect(await closing.read(png)).toEqual({ ok: false, reason: 'closed' });
  });
});
