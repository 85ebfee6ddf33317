/**
 * The test corpus (test/fixtures/corpus and test/fixtures/holdout: real messages, each citing its
 * source) and its split into `tune` and `blind` by source page: the first byte of SHA-256 of the
 * normalised source URL, mod 100, below 30 is blind. Nobody chooses which items are blind, and every
 * item of one page lands on the same side.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CauseId, OtherKind } from '../diagnosis/types';

export const FIXTURES_DIR = join(__dirname, '..', '..', 'test', 'fixtures');
const DIRS = ['corpus', 'holdout'];

export interface CorpusItem {
  id: string;
  text: string;
  source: string;
  /** Positives: the platform (null when the text names none) and the causes an expert accepts. */
  positive: boolean;
  platform: string | null;
  causes: CauseId[];
  otherKind: OtherKind | null;
  hard: boolean;
  split: 'tune' | 'blind';
}

/** The page, not the anchor or a trailing slash: comments of one issue are one source. */
export function normaliseSource(source: string): string {
  let page = source.trim().toLowerCase();
  const anchor = page.indexOf('#');
  if (anchor >= 0) page = page.slice(0, anchor);
  let end = page.length;
  while (end > 0 && page[end - 1] === '/') end--;
  return page.slice(0, end);
}

export function splitOf(source: string): 'tune' | 'blind' {
  const first = createHash('sha256').update(normaliseSource(source)).digest()[0] as number;
  return first % 100 < 30 ? 'blind' : 'tune';
}

interface RawItem {
  id: string;
  text: string;
  source: string;
  platform?: string | null;
  causes?: CauseId[];
  otherKind?: OtherKind | null;
  hard?: boolean;
}

export function loadCorpus(dir = FIXTURES_DIR): CorpusItem[] {
  const items: CorpusItem[] = [];
  for (const sub of DIRS) {
    for (const file of readdirSync(join(dir, sub))
      .filter((f) => f.endsWith('.yml'))
      .sort()) {
      const positive = file.startsWith('positives') || file === 'help-article.yml';
      const raw = (parse(readFileSync(join(dir, sub, file), 'utf8')) as RawItem[] | null) ?? [];
      for (const r of raw) {
        items.push({
          id: r.id,
          text: r.text,
          source: r.source,
          positive,
          platform: positive ? (r.platform ?? null) : (r.platform ?? null),
          causes: positive ? (r.causes ?? []) : [],
          otherKind: positive ? null : (r.otherKind ?? null),
          hard: r.hard === true,
          split: splitOf(r.source),
        });
      }
    }
  }
  return items;
}
