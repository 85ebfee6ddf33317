/**
 * npm run bench:ocr — what reading a screenshot costs: the first image (worker start + OCR), then each
 * warm image over every fixture in test/fixtures/screenshots (p50, p95, max, per size), and the
 * process's RSS before, at its peak and after the worker is closed. The worker runs in a thread of
 * this process, so RSS includes it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledge } from '../diagnosis/knowledge';
import { analyzeScreenshot, ScreenshotReader, sniffImage } from '../ocr';

const DIR = join(__dirname, '..', '..', 'test', 'fixtures', 'screenshots');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const rounds = Number(process.env.ROUNDS ?? 3);
  const knowledge = loadKnowledge();
  const files = readdirSync(DIR)
    .filter((f) => /\.(png|jpg|webp)$/.test(f))
    .sort();
  const images = files.map((f) => ({ name: f, bytes: readFileSync(join(DIR, f)) }));
  let peak = process.memoryUsage().rss;
  const before = peak;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const reader = new ScreenshotReader();
  const first = images[0];
  if (!first) throw new Error(`no fixtures in ${DIR}`);
  let start = performance.now();
  const cold = await analyzeScreenshot(reader, first.bytes, knowledge);
  const coldMs = performance.now() - start;
  if (!cold.ok) throw new Error(`first image not read: ${cold.reason}`);
  const bySize = new Map<string, number[]>();
  const all: number[] = [];
  let correct = 0;
  for (let round = 0; round < rounds; round++) {
    for (const image of images) {
      start = performance.now();
      const result = await analyzeScreenshot(reader, image.bytes, knowledge);
      const ms = performance.now() - start;
      if (result.ok && result.analysis.diagnosis.isTokenError) correct++;
      all.push(ms);
      const info = sniffImage(image.bytes);
      const size = info && info.width > 1000 ? '2x (1280 px wide)' : '1x (640 px wide)';
      bySize.set(size, [...(bySize.get(size) ?? []), ms]);
    }
  }
  const warmRss = process.memoryUsage().rss;
  await reader.close();
  clearInterval(sampler);
  const after = process.memoryUsage().rss;
  const line = (label: string, times: number[]) => {
    const s = [...times].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(22)} n=${String(s.length).padStart(4)}  p50 ${quantile(s, 0.5).toFixed(0)} ms  p95 ${quantile(s, 0.95).toFixed(0)} ms  max ${(s.at(-1) ?? 0).toFixed(0)} ms`,
    );
  };
  console.log(`screenshots: ${images.length} fixtures × ${rounds} rounds, node ${process.version}`);
  console.log(`first image (worker start + OCR): ${coldMs.toFixed(0)} ms`);
  line('warm, all', all);
  for (const [size, times] of [...bySize].sort()) line(`warm, ${size}`, times);
  console.log(`read as a login error: ${correct}/${all.length}`);
  console.log(
    `RSS: before ${mb(before)}, peak ${mb(peak)} (+${mb(peak - before)}), warm ${mb(warmRss)}, after close ${mb(after)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
