import type { Knowledge } from './knowledge';
import type { Phrase, PlatformInfo } from './knowledge-schema';
import type { CauseId, OtherKind } from './types';

/** Knowledge turned into ready-to-run regular expressions, built once per Knowledge object. */
export interface CompiledPhrase {
  re: RegExp;
  cause?: CauseId;
  otherKind?: OtherKind;
  tokenError: boolean;
}

export interface CodeEntry {
  cause?: CauseId;
  otherKind?: OtherKind;
}

export interface CompiledPlatform {
  info: PlatformInfo;
  signature: RegExp | null;
  codeFormats: RegExp[];
  codes: Map<string, CodeEntry>;
  phrases: CompiledPhrase[];
}

export interface NameHit {
  platform: number;
  /** Canonical data source name, or null when the words name the platform itself. */
  dataSource: string | null;
}

export interface Compiled {
  prefilter: RegExp;
  /** One pass over the text finds every platform and product name. */
  names: RegExp | null;
  nameIndex: Map<string, NameHit>;
  platforms: CompiledPlatform[];
  phrases: CompiledPhrase[];
  /** Codes that several platforms document (invalid_grant…): they show a login error, not whose. */
  sharedCodes: Set<string>;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "facebook ads" also matches "Facebook-Ads" and "facebook_ads". */
function namePattern(name: string): string {
  return escapeRegex(name.trim().toLowerCase()).replace(/[\s_-]+/g, '[\\s_-]');
}

/** Key for a matched name: lower case, separators folded, so "FB-Ads" finds "fb ads". */
export function nameKey(s: string): string {
  return s.toLowerCase().replace(/[\s_-]/g, ' ');
}

function compilePhrase(p: Phrase): CompiledPhrase {
  return {
    re: new RegExp(p.pattern, 'i'),
    cause: p.cause,
    otherKind: p.otherKind,
    tokenError: p.tokenError === true,
  };
}

function either(patterns: string[]): RegExp | null {
  return patterns.length === 0 ? null : new RegExp(patterns.map((p) => `(?:${p})`).join('|'), 'i');
}

const cache = new WeakMap<Knowledge, Compiled>();

export function compile(knowledge: Knowledge): Compiled {
  const hit = cache.get(knowledge);
  if (hit) return hit;
  const nameIndex = new Map<string, NameHit>();
  knowledge.platforms.forEach((p, index) => {
    for (const n of p.names)
      if (!nameIndex.has(nameKey(n))) nameIndex.set(nameKey(n), { platform: index, dataSource: null });
    for (const d of p.dataSources) {
      for (const n of [d.name, ...d.names])
        nameIndex.set(nameKey(n), { platform: index, dataSource: d.name });
    }
  });
  // Longest names first, so "facebook ads" wins over "facebook" at the same place.
  const alternatives = [...nameIndex.keys()].sort((a, b) => b.length - a.length).map(namePattern);
  const compiled: Compiled = {
    prefilter: new RegExp(knowledge.signals.prefilter.map(escapeRegex).join('|'), 'i'),
    names: alternatives.length
      ? new RegExp(`(?<![a-z0-9])(?:${alternatives.join('|')})(?![a-z0-9])`, 'gi')
      : null,
    nameIndex,
    platforms: knowledge.platforms.map((p) => ({
      info: p,
      signature: either(p.signatures),
      codeFormats: p.codeFormats.map((f) => new RegExp(f, 'i')),
      codes: new Map(p.codes.map((c) => [c.code.toLowerCase(), { cause: c.cause, otherKind: c.otherKind }])),
      phrases: p.phrases.map(compilePhrase),
    })),
    phrases: knowledge.signals.phrases.map(compilePhrase),
    sharedCodes: new Set(),
  };
  const owners = new Map<string, number>();
  for (const p of knowledge.platforms) {
    for (const code of new Set(p.codes.map((c) => c.code.toLowerCase()))) owners.set(code, (owners.get(code) ?? 0) + 1);
  }
  compiled.sharedCodes = new Set([...owners].filter(([, n]) => n > 1).map(([code]) => code));
  cache.set(knowledge, compiled);
  return compiled;
}
