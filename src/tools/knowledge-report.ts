/**
 * npm run knowledge:report — how much of each platform's own error reference the knowledge holds:
 * code rows per platform and per cause / otherKind, with totals and the platform count.
 * Reads the built-in knowledge (plus KNOWLEDGE_PATH when set), like the bot does.
 */
import { loadKnowledge } from '../diagnosis/knowledge';
import type { PlatformInfo } from '../diagnosis/knowledge-schema';

interface Row {
  platform: string;
  rows: number;
  login: number;
  other: number;
  withExample: number;
  sources: number;
}

function platformRow(p: PlatformInfo): Row {
  return {
    platform: p.id,
    rows: p.codes.length,
    login: p.codes.filter((c) => c.cause !== undefined).length,
    other: p.codes.filter((c) => c.otherKind !== undefined).length,
    withExample: p.codes.filter((c) => c.example !== undefined).length,
    sources: new Set(p.codes.map((c) => c.source)).size,
  };
}

function table(header: string[], rows: (string | number)[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) =>
    cells
      .map((c, i) =>
        typeof c === 'number' ? String(c).padStart(widths[i] ?? 0) : String(c).padEnd(widths[i] ?? 0),
      )
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function main(): void {
  const knowledge = loadKnowledge({ overlayPath: process.env.KNOWLEDGE_PATH || undefined });
  const rows = knowledge.platforms
    .map(platformRow)
    .sort((a, b) => b.rows - a.rows || a.platform.localeCompare(b.platform));
  const total = (f: (r: Row) => number) => rows.reduce((n, r) => n + f(r), 0);
  console.log('Documented code rows per platform');
  console.log(
    table(
      ['platform', 'rows', 'login', 'other', 'with example (tested)', 'source pages'],
      [
        ...rows.map((r) => [r.platform, r.rows, r.login, r.other, r.withExample, r.sources]),
        [
          'total',
          total((r) => r.rows),
          total((r) => r.login),
          total((r) => r.other),
          total((r) => r.withExample),
          total((r) => r.sources),
        ],
      ],
    ),
  );
  const byKind = new Map<string, number>();
  for (const p of knowledge.platforms) {
    for (const c of p.codes) {
      const key = c.cause ? `cause ${c.cause}` : `otherKind ${c.otherKind}`;
      byKind.set(key, (byKind.get(key) ?? 0) + 1);
    }
  }
  console.log('\nRows per cause / otherKind');
  console.log(
    table(
      ['cause or otherKind', 'rows'],
      [...byKind.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    ),
  );
  const withRows = rows.filter((r) => r.rows > 0).length;
  console.log(
    `\nplatforms: ${knowledge.platforms.length} (${withRows} with documented code rows); rows: ${total((r) => r.rows)}`,
  );
}

main();
