/**
 * manifest.yml against the code, both ways: everything the code registers (commands, shortcuts,
 * events) and every scope the code's Web API calls and events need is declared, and everything
 * declared is used.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { parse } from 'yaml';
import { ACTION_IDS } from '../../src/cards';
import { registerListeners } from '../../src/listeners';
import type { ListenerDeps } from '../../src/listeners/deps';
import {
  FUNCTION_CALLBACK_ID,
  FUNCTION_INPUT,
  FUNCTION_OUTPUTS,
} from '../../src/listeners/functions/diagnose-token-error';
import { MESSAGE_EVENTS } from '../../src/listeners/messages/passive';
import { createLog } from '../../src/log';
import { manifestBotScopes } from '../../src/oauth/install';
import { MemoryClaims } from '../../src/slack/dedupe';
import { Memory } from '../../src/slack/memory';
import { Replies } from '../../src/slack/replies';
import { knowledge } from '../support/bot';

const ROOT = join(__dirname, '..', '..');

interface Manifest {
  features: {
    app_home: {
      home_tab_enabled: boolean;
      messages_tab_enabled: boolean;
      messages_tab_read_only_enabled: boolean;
    };
    slash_commands: Array<{ command: string; usage_hint?: string }>;
    shortcuts: Array<{ callback_id: string; type: string; name: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
    org_deploy_enabled?: boolean;
    function_runtime?: string;
  };
  functions?: Record<
    string,
    {
      title: string;
      description: string;
      input_parameters: Record<string, { type: string; title?: string; is_required?: boolean }>;
      output_parameters: Record<string, { type: string; title?: string }>;
    }
  >;
}

/** Bot scopes each Web API method needs (docs.slack.dev method reference), for the methods this app may call. */
const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  // Read where the bot answers: public channels, private channels, its DMs.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'views.publish': [],
  'views.open': [],
  'chat.scheduleMessage': ['chat:write'],
  'chat.deleteScheduledMessage': ['chat:write'],
  'conversations.open': ['im:write'],
  'files.uploadV2': ['files:write'],
  // Slack Connect: a file from the other organisation arrives as a stub, described by files.info.
  'files.info': ['files:read'],
  'views.update': [],
  'reactions.add': ['reactions:write'],
  'users.info': ['users:read'],
};

/** Bot scopes each event subscription needs. */
const EVENT_SCOPES: Record<string, string[]> = {
  app_home_opened: [],
  app_mention: ['app_mentions:read'],
  // Lifecycle events need no scope; every app receives them once subscribed.
  app_uninstalled: [],
  tokens_revoked: [],
  // Sent to an org-wide install when workspaces are taken away from it; subscribed, no scope
  // (https://api.slack.com/events/team_access_revoked: "subscriptions require no specific OAuth permission scope").
  team_access_revoked: [],
  // Sent to an app whose custom step (functions) runs in a workflow.
  function_executed: [],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.im': ['im:history'],
  'message.mpim': ['mpim:history'],
  reaction_added: ['reactions:read'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Web API methods the code calls (`client.chat.postMessage(` and the like). */
function methodsCalled(): Set<string> {
  const found = new Set<string>();
  const pattern =
    /\.(auth|chat|conversations|views|reactions|users|team|files|pins|usergroups|bookmarks)\.(\w+)\(/g;
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) found.add(`${m[1]}.${m[2]}`);
  }
  return found;
}

/** The ids a listener matches: a name, or the `^(?:a|b)$` pattern of src/listeners/router.ts. */
function matched(name: string | RegExp): string[] {
  if (typeof name === 'string') return [name];
  const inner = /^\^\(\?:(.*)\)\$$/.exec(name.source)?.[1];
  if (inner === undefined) throw new Error(`unexpected listener pattern ${name.source}`);
  return inner.split('|').map((id) => id.replace(/\\(.)/g, '$1'));
}

function registered() {
  const commands: string[] = [];
  const events: string[] = [];
  const shortcuts: Array<{ callback_id: string; type: string }> = [];
  const actions: string[] = [];
  const functions: string[] = [];
  let listensToMessages = false;
  const recorder = {
    function: (callbackId: string) => functions.push(callbackId),
    command: (name: string) => commands.push(name),
    event: (name: string | RegExp) => events.push(...matched(name)),
    message: () => {
      listensToMessages = true;
    },
    shortcut: (c: { callback_id: string; type: string }) => shortcuts.push(c),
    action: (id: string | RegExp) => actions.push(...matched(id)),
    view: () => undefined,
    use: () => undefined,
    error: () => undefined,
  };
  const log = createLog({ sink: () => undefined });
  const deps: ListenerDeps = {
    knowledge: knowledge(),
    log,
    claims: new MemoryClaims(),
    memory: new Memory({
      store: null,
      log,
      settings: {
        readBotMessages: false,
        outbreak: { minCount: 5, minDistinct: 3, windowMinutes: 60 },
        retentionDays: 180,
      },
    }),
    replies: new Replies({ log }),
    settings: { readBotMessages: false, eventTtlMs: 1, threadTtlMs: 1, alertChannel: null },
  };
  registerListeners(recorder as unknown as App, deps);
  // A `message` listener is subscribed per conversation kind (message.channels, .groups, .im).
  const allEvents = [
    ...events.filter((e) => e !== 'message'),
    ...(listensToMessages || events.includes('message') ? MESSAGE_EVENTS : []),
    ...(functions.length > 0 ? ['function_executed'] : []),
  ];
  return { commands, events: allEvents, shortcuts, actions, functions };
}

describe('manifest.yml', () => {
  const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;
  const code = registered();
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

  it('declares exactly the slash commands the code registers, with a usage hint', () => {
    expect(sorted(manifest.features.slash_commands.map((c) => c.command))).toEqual(sorted(code.commands));
    expect(code.commands).toEqual(['/tokenfix']);
    for (const c of manifest.features.slash_commands) expect(c.usage_hint).toBeTruthy();
  });

  it('declares exactly the message shortcuts the code registers', () => {
    expect(sorted(manifest.features.shortcuts.map((s) => `${s.type}:${s.callback_id}`))).toEqual(
      sorted(
        code.shortcuts.map((s) => `${s.type === 'message_action' ? 'message' : s.type}:${s.callback_id}`),
      ),
    );
    expect(code.shortcuts.map((s) => s.callback_id)).toEqual(['diagnose_message']);
  });

  it('subscribes to exactly the events the code listens to', () => {
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(code.events));
  });

  it('handles every contract button and turns interactivity on for them', () => {
    expect(sorted(code.actions)).toEqual(sorted(Object.values(ACTION_IDS)));
    expect(manifest.settings.interactivity.is_enabled).toBe(code.actions.length + code.shortcuts.length > 0);
  });

  it('turns on the Home tab and the Messages tab exactly when the code serves them', () => {
    const home = manifest.features.app_home;
    expect(home.home_tab_enabled).toBe(code.events.includes('app_home_opened'));
    expect(home.messages_tab_enabled).toBe(code.events.includes('message.im'));
    expect(home.messages_tab_read_only_enabled).toBe(!code.events.includes('message.im'));
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('asks for exactly the scopes the code needs (least privilege), both ways', () => {
    const methods = methodsCalled();
    const unknown = [...methods].filter((m) => !(m in METHOD_SCOPES));
    expect(unknown).toEqual([]);
    expect(methods.has('chat.postMessage')).toBe(true);
    const needed = new Set<string>();
    for (const m of methods) for (const s of METHOD_SCOPES[m] ?? []) needed.add(s);
    for (const e of code.events) for (const s of EVENT_SCOPES[e] ?? ['(unknown event)']) needed.add(s);
    if (code.commands.length + code.shortcuts.length > 0) needed.add('commands');
    // Downloading a shared file (url_private_download, with the bot token) needs files:read.
    if (sourceFiles(join(ROOT, 'src')).some((f) => readFileSync(f, 'utf8').includes('url_private_download')))
      needed.add('files:read');
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(sorted(needed));
  });

  it('declares exactly the workflow steps the code registers, with the contract input and outputs', () => {
    expect(sorted(Object.keys(manifest.functions ?? {}))).toEqual(sorted(code.functions));
    expect(code.functions).toEqual([FUNCTION_CALLBACK_ID]);
    const step = manifest.functions?.[FUNCTION_CALLBACK_ID];
    expect(step?.title).toBe('Diagnose token error');
    expect(step?.input_parameters).toEqual({
      [FUNCTION_INPUT]: expect.objectContaining({ type: 'string', is_required: true }),
    });
    const types = Object.fromEntries(
      Object.entries(step?.output_parameters ?? {}).map(([name, p]) => [name, p.type]),
    );
    expect(types).toEqual({
      is_token_error: 'boolean',
      platform: 'string',
      cause: 'string',
      cause_title: 'string',
      confidence: 'number',
      reauth_url: 'string',
      summary: 'string',
    });
    expect(sorted(Object.keys(types))).toEqual(sorted(FUNCTION_OUTPUTS));
    for (const p of Object.values(step?.output_parameters ?? {})) expect(p.title).toBeTruthy();
  });

  it('turns on what a workflow step and org-wide installs need: org deploy and the remote function runtime', () => {
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    expect(manifest.settings.function_runtime).toBe('remote');
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining([
        'function_executed',
        'app_uninstalled',
        'tokens_revoked',
        'team_access_revoked',
      ]),
    );
  });

  it('the OAuth install link asks for exactly the bot scopes the manifest declares', () => {
    expect(sorted(manifestBotScopes(join(ROOT, 'manifest.yml')))).toEqual(
      sorted(manifest.oauth_config.scopes.bot),
    );
  });
});
