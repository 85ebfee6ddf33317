import { clipGraphemes } from '../diagnosis/graphemes';

/** Small text helpers for Block Kit: limits are in characters, and mrkdwn needs &, <, > escaped. */

export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** At most `max` UTF-16 units, ending in "…" when cut; never cuts an emoji or other grapheme in half. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${clipGraphemes(s, max - 1)}…`;
}

export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
