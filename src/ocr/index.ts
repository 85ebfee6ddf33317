/**
 * A screenshot in, an Analysis out: OCR, then the OCR slips in codes mended, then the same
 * `analyze` as pasted text (so redaction comes first there too). The diagnosis says `source: 'image'`.
 */
import { type Analysis, analyze } from '../diagnosis/diagnose';
import type { Knowledge } from '../diagnosis/knowledge';
import { repairOcrText } from './repair';
import type { ReadFailure, ScreenshotReader } from './screenshot';

export { repairOcrText } from './repair';
export {
  type ImageKind,
  type ReadFailure,
  readFailureNotice,
  SCREENSHOT_DEFAULTS,
  ScreenshotReader,
  sniffImage,
} from './screenshot';

export type ScreenshotAnalysis =
  | {
      ok: true;
      analysis: Analysis;
      ms: number /** What OCR read, mended: for a caller's hash, never kept. */;
      text: string;
    }
  | { ok: false; reason: ReadFailure };

export async function analyzeScreenshot(
  reader: ScreenshotReader,
  image: Buffer,
  knowledge: Knowledge,
): Promise<ScreenshotAnalysis> {
  const read = await reader.read(image);
  if (!read.ok) return read;
  const text = repairOcrText(read.text, knowledge);
  const analysis = analyze(text, knowledge);
  return {
    ok: true,
    ms: read.ms,
    text,
    analysis: { ...analysis, diagnosis: { ...analysis.diagnosis, source: 'image' } },
  };
}
