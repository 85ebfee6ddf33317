/** Small text helpers for Block Kit: limits are in characters, and mrkdwn needs &, <, > escaped. */

export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  // Don't cut a surrogate pair in half.
  let end = max - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
