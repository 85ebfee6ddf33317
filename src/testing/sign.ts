/** Slack's v0 request signing: HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
import { createHmac } from 'node:crypto';

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export type BodyKind = 'json' | 'form';

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sign with this secret instead (a wrong one). */
  secret?: string;
  /** Leave the signature headers out. */
  unsigned?: boolean;
}

export function signedHeaders(
  secret: string,
  body: string,
  kind: BodyKind,
  options: SignOptions = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
  };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = signature(options.secret ?? secret, timestamp, body);
  }
  return headers;
}

/** Encodes a Slack request body the way Slack sends it. */
export function encodeBody(
  kind: 'event' | 'command' | 'interactive',
  payload: unknown,
): { body: string; type: BodyKind } {
  if (kind === 'event') return { body: JSON.stringify(payload), type: 'json' };
  if (kind === 'command') {
    return { body: new URLSearchParams(payload as Record<string, string>).toString(), type: 'form' };
  }
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), type: 'form' };
}
