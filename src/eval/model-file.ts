/** Where the learned model's weights live: a committed data file beside the knowledge. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ModelWeights, TextModel } from '../diagnosis/model';

export const MODEL_FILE = join(__dirname, '..', '..', 'knowledge', 'model.json');

/** The trained model, or null when `npm run train` has not written one. */
export function loadModel(file = MODEL_FILE): TextModel | null {
  if (!existsSync(file)) return null;
  return new TextModel(JSON.parse(readFileSync(file, 'utf8')) as ModelWeights);
}
