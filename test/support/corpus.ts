import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CauseId, OtherKind } from '../../src/diagnosis/types';

/** Real messages quoted verbatim from public sources, each with its `source`. */
export interface PositiveCase {
  id: string;
  platform: string | null;
  causes: CauseId[];
  errorCode?: string;
  dataSource?: string;
  source: string;
  text: string;
}

export interface NegativeCase {
  id: string;
  otherKind: OtherKind | null;
  platform?: string;
  hard?: boolean;
  source: string;
  text: string;
}

export const CORPUS_DIR = join(__dirname, '..', 'fixtures', 'corpus');

function read<T>(file: string): T[] {
  return (parse(readFileSync(join(CORPUS_DIR, file), 'utf8')) as T[] | null) ?? [];
}

export function positives(): PositiveCase[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.startsWith('positives') || f === 'help-article.yml')
    .sort()
    .flatMap((f) => read<PositiveCase>(f));
}

export function negatives(): NegativeCase[] {
  return read<NegativeCase>('negatives.yml');
}
