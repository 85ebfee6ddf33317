/**
 * Hostile request bodies for the running HTTP endpoint, all correctly signed (so they get past the
 * signature check and reach the parsing and the listeners): random and malformed JSON, form bodies,
 * well-formed Slack payloads with fields deleted or given wrong types, unknown event types, huge fields,
 * deep nesting, unicode edge cases (lone surrogates, NUL, BOM, bidi controls).
 */
import fc from 'fast-check';
import { FAKE_IDENTITY } from './fake-slack';
import {
  blockAction,
  eventCallback,
  mentionEvent,
  messageEvent,
  messageShortcut,
  slashCommand,
} from './payloads';
import { signedHeaders } from './sign';

export interface HostileRequest {
  body: string;
  contentType: string | null;
  /** Extra headers (Slack retry headers, sometimes nonsense). */
  headers: Record<string, string>;
  label: string;
}

const WEIRD_STRINGS = [
  '',
  '\u0000',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\ufeff',
  '\u202e',
  '\u200d👩‍👩‍👧‍👦',
  'é'.normalize('NFD'),
  '<@U0BOT>',
  `<@${FAKE_IDENTITY.user_id}>`,
  '<!channel>',
  '```',
  '&amp;&lt;&gt;',
  '%00',
  '\\u0000',
  '{"nested": true}',
  'null',
  'constructor',
  '__proto__',
  'Error validating access token: Session has expired',
];

/** Text that is hard on regular expressions and string handling. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(...WEIRD_STRINGS),
  fc
    .tuple(
      fc.constantFrom('token ', 'a', '{"code":', '<|', '\t', 'AADSTS', 'invalid_grant ', '🔑'),
      fc.integer({ min: 1, max: 8000 }),
    )
    .map(([s, n]) => s.repeat(n).slice(0, 40_000)),
);

/** Any value a field might wrongly hold. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  hostileText,
  fc.array(fc.oneof(fc.constant(null), fc.integer(), hostileText), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.constant(null), fc.integer(), hostileText), {
    maxKeys: 4,
  }),
  fc.constant({}),
  fc.constant([]),
);

const RESPONSE_URL = 'http://127.0.0.1:9/response/hostile';

/** Well-formed payloads of every kind tokenfix serves, as starting points for mutation. */
function bases(): Array<{ kind: 'json' | 'form' | 'payload'; value: Record<string, unknown> }> {
  const text =
    'Error validating access token: Session has expired (OAuthException code 190, error_subcode 463)';
  return [
    { kind: 'json', value: eventCallback(messageEvent({ text })) },
    { kind: 'json', value: eventCallback(messageEvent({ text, channel_type: 'im', channel: 'D0HOSTILE' })) },
    { kind: 'json', value: eventCallback(mentionEvent({ text: `<@${FAKE_IDENTITY.user_id}> ${text}` })) },
    {
      kind: 'json',
      value: eventCallback({
        type: 'reaction_added',
        user: 'U0HOSTILE',
        reaction: 'key',
        item_user: 'U0OTHER',
        item: { type: 'message', channel: 'C0HOSTILE', ts: '1600000000.000100' },
        event_ts: '1600000000.000200',
      }),
    },
    {
      kind: 'json',
      value: eventCallback({ type: 'app_home_opened', user: 'U0HOSTILE', tab: 'home', channel: 'D0HOME' }),
    },
    {
      kind: 'json',
      value: eventCallback({
        type: 'function_executed',
        function: { id: 'Fn0', callback_id: 'diagnose_token_error', type: 'app', app_id: 'A0' },
        inputs: { message: text },
        function_execution_id: 'Fx0HOSTILE',
        workflow_execution_id: 'Wx0HOSTILE',
        event_ts: '1600000000.000300',
        bot_access_token: 'xwfp-hostile',
      }),
    },
    { kind: 'json', value: eventCallback({ type: 'app_uninstalled' }) },
    { kind: 'json', value: { token: 'x', challenge: 'c', type: 'url_verification' } },
    { kind: 'form', value: slashCommand(text, RESPONSE_URL) },
    { kind: 'form', value: slashCommand('help', RESPONSE_URL) },
    { kind: 'form', value: slashCommand('listen off', RESPONSE_URL) },
    { kind: 'payload', value: messageShortcut({ ts: '1600000000.000400', text }, RESPONSE_URL) },
    ...[
      'feedback_fixed',
      'feedback_still_broken',
      'share_in_channel',
      'reply_in_thread',
      'unknown_action',
    ].map((actionId) => ({
      kind: 'payload' as const,
      value: blockAction({
        actionId,
        value: '{"platform":"meta","cause":"password_changed","next":[]}',
        responseUrl: RESPONSE_URL,
        message: { ts: '1600000000.000500', text: 'card', blocks: [] },
      }),
    })),
    {
      kind: 'payload',
      value: {
        type: 'view_submission',
        view: { callback_id: 'x', state: { values: {} } },
        user: { id: 'U0' },
      },
    },
  ];
}

/** Every path (as a list of keys) in a JSON-like value, the root excluded. */
function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = [...prefix, k];
      out.push(p);
      if (out.length < 400) paths(v, p, out);
    }
  }
  return out;
}

function mutate(
  base: Record<string, unknown>,
  edits: Array<{ at: number; op: 'set' | 'delete'; value: unknown }>,
): Record<string, unknown> {
  const copy = structuredClone(base);
  for (const edit of edits) {
    const all = paths(copy);
    if (all.length === 0) break;
    const path = all[edit.at % all.length] as string[];
    let parent = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    const last = path.at(-1) as string;
    if (edit.op === 'delete') delete parent[last];
    else parent[last] = edit.value;
  }
  return copy;
}

function deep(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-8',
  'text/plain',
  'multipart/form-data; boundary=x',
  null,
] as const;

const mutated = fc
  .record({
    base: fc.nat(),
    edits: fc.array(
      fc.record({ at: fc.nat(), op: fc.constantFrom('set' as const, 'delete' as const), value: wrongValue }),
      { minLength: 1, maxLength: 4 },
    ),
    unknownType: fc.option(
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(
          'message_changed',
          'team_join',
          'tokens_revoked',
          'block_suggestion',
          'shortcut',
          'view_closed',
          'interactive_message',
          'dialog_submission',
        ),
      ),
      { nil: undefined },
    ),
  })
  .map(({ base, edits, unknownType }) => {
    const list = bases();
    const b = list[base % list.length] as (typeof list)[number];
    const value = mutate(b.value, edits);
    if (unknownType !== undefined) {
      if (value.event && typeof value.event === 'object')
        (value.event as Record<string, unknown>).type = unknownType;
      else value.type = unknownType;
    }
    let body: string;
    if (b.kind === 'json') body = JSON.stringify(value);
    else if (b.kind === 'payload') body = new URLSearchParams({ payload: JSON.stringify(value) }).toString();
    else
      body = new URLSearchParams(
        Object.entries(value).map(([k, v]): [string, string] => [
          k,
          typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
        ]),
      ).toString();
    return {
      body,
      contentType: b.kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      label: `mutated ${String((b.value as { type?: unknown }).type ?? b.kind)}`,
    };
  });

const randomBody = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }).map((v) => ({ body: JSON.stringify(v) ?? 'null', label: 'random JSON' })),
  fc.string({ unit: 'binary', maxLength: 300 }).map((body) => ({ body, label: 'random text' })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({
    body: JSON.stringify(v).slice(0, Math.max(1, JSON.stringify(v).length - 1)),
    label: 'truncated JSON',
  })),
  fc
    .dictionary(
      fc.string({ maxLength: 12 }),
      fc.oneof(
        hostileText,
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      ),
      { maxKeys: 6 },
    )
    .map((d) => ({
      body: new URLSearchParams(d as Record<string, string>).toString(),
      label: 'random form',
    })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({
    body: `payload=${encodeURIComponent(JSON.stringify(v))}`,
    label: 'random payload=',
  })),
  fc
    .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('array' as const, 'object' as const))
    .map(([n, kind]) => ({
      body: JSON.stringify({
        type: 'event_callback',
        event_id: 'EvDEEP',
        event: {
          type: 'message',
          channel: 'C0DEEP',
          ts: '1.2',
          text: 'x',
          blocks: JSON.parse(deep(Math.min(n, 2000), kind)),
        },
      }).replace('"blocks":', `"deep":${deep(n, kind)},"blocks":`),
      label: 'deep nesting',
    })),
);

/** Huge fields: a message text or blocks list of 0.5–3.5 MB (under the 4 MB body limit), or over it. */
export const hugeBody = fc
  .tuple(fc.integer({ min: 500_000, max: 4_500_000 }), fc.constantFrom('text', 'blocks', 'form'))
  .map(([size, where]) => {
    if (where === 'form')
      return {
        body: new URLSearchParams(slashCommand('x'.repeat(size), RESPONSE_URL)).toString(),
        label: `huge command text (${size})`,
        contentType: 'application/x-www-form-urlencoded',
      };
    const event =
      where === 'text'
        ? messageEvent({ text: `Error validating access token ${'A'.repeat(size)}` })
        : messageEvent({
            text: 'x',
            blocks: Array.from({ length: Math.floor(size / 40) }, () => ({
              type: 'section',
              text: { type: 'mrkdwn', text: 'token' },
            })),
          });
    return {
      body: JSON.stringify(eventCallback(event)),
      label: `huge ${where} (${size})`,
      contentType: 'application/json',
    };
  });

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .record({
    payload: fc.oneof(
      { weight: 3, arbitrary: mutated.map((m) => ({ ...m })) },
      {
        weight: 2,
        arbitrary: randomBody.map((r) => ({ ...r, contentType: undefined as string | null | undefined })),
      },
    ),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    retry: fc.option(fc.oneof(fc.constantFrom('1', '2', '3'), fc.string({ maxLength: 5 })), {
      nil: undefined,
    }),
  })
  .map(({ payload, contentType, retry }) => ({
    body: payload.body,
    contentType: payload.contentType !== undefined ? payload.contentType : contentType,
    headers: (retry !== undefined
      ? { 'x-slack-retry-num': retry.replace(/[^\x20-\x7e]/g, ''), 'x-slack-retry-reason': 'http_timeout' }
      : {}) as Record<string, string>,
    label: payload.label,
  }));

/** A batch sent at once (Bolt answers a request no listener acks with 404 after 3 s: batches keep that short). */
export const hostileBatch = (size: number): fc.Arbitrary<HostileRequest[]> =>
  fc.array(hostileRequest, { minLength: size, maxLength: size });

/** Sends one hostile request, correctly signed; resolves with the HTTP status (0: no answer). */
export async function sendHostile(base: string, secret: string, r: HostileRequest): Promise<number> {
  const headers: Record<string, string> = {
    ...signedHeaders(secret, r.body, 'json'),
    ...r.headers,
  };
  if (r.contentType === null) delete headers['content-type'];
  else headers['content-type'] = r.contentType;
  try {
    const res = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers,
      body: r.body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}
