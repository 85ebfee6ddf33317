import type { Knowledge } from './knowledge';
import type { Phrase, PlatformInfo } from './knowledge-schema';
import { compileGate, type Gate, literalGate } from './literal-gate';
import type { CauseId, OtherKind } from './types';

/** Knowledge turned into ready-to-run regular expressions, built once per Knowledge object. */
/** A pattern plus its literal gate (see literal-gate.ts). */
export interface Gated {
  re: RegExp;
  gate: Gate | null;
}

export interface CompiledPhrase extends Gated {
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
  signatures: Gated[];
  codeFormats: Gated[];
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
  /** Platform and product names by their words ("facebook ads"), found in one pass over the text's words. */
  nameIndex: Map<string, NameHit>;
  /** For each word that starts a name, the most words a name starting with it has. */
  nameStarts: Map<string, number>;
  platforms: CompiledPlatform[];
  phrases: CompiledPhrase[];
  /** Codes that several platforms document (invalid_grant…): they show a login error, not whose. */
  sharedCodes: Set<string>;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const WORD = /[a-z0-9]+/g;

/** A name as the words it is made of: "FB-Ads" and "fb ads" are both "fb ads". */
export function nameKey(s: string): string {
  return (s.toLowerCase().match(WORD) ?? []).join(' ');
}

function gated(source: string): Gated {
  return { re: new RegExp(source, 'i'), gate: compileGate(literalGate(source)) };
}

function compilePhrase(p: Phrase): CompiledPhrase {
  return { ...gated(p.pattern), cause: p.cause, otherKind: p.otherKind, tokenError: p.tokenError === true };
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
  nameIndex.delete('');
  const nameStarts = new Map<string, number>();
  for (const key of nameIndex.keys()) {
    const words = key.split(' ');
    const first = words[0] ?? '';
    nameStarts.set(first, Math.max(nameStarts.get(first) ?? 0, words.length));
  }
  const compiled: Compiled = {
    prefilter: new RegExp(knowledge.signals.prefilter.map(escapeRegex).join('|'), 'i'),
    nameIndex,
    nameStarts,
    platforms: knowledge.platforms.map((p) => ({
      info: p,
      signatures: p.signatures.map(gated),
      codeFormats: p.codeFormats.map(gated),
      codes: new Map(p.codes.map((c) => [c.code.toLowerCase(), { cause: c.cause, otherKind: c.otherKind }])),
      phrases: p.phrases.map(compilePhrase),
    })),
    phrases: knowledge.signals.phrases.map(compilePhrase),
    sharedCodes: new Set(),
  };
  const owners = new Map<string, number>();
  for (const p of knowledge.platforms) {
    for (const code of new Set(p.codes.map((c) => c.code.toLowerCase())))
      owners.set(code, (owners.get(code) ?? 0) + 1);
  }
  compiled.sharedCodes = new Set([
    ...[...owners].filter(([, n]) => n > 1).map(([code]) => code),
    ...knowledge.signals.genericCodes.map((c) => c.toLowerCase()),
  ]);
  cache.set(knowledge, compiled);
  return compiled;
}
