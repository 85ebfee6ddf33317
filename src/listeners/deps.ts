import type { Knowledge } from '../diagnosis/knowledge';
import type { Log } from '../log';
import type { Claims } from '../slack/dedupe';
import type { Replies } from '../slack/replies';

/** What the listeners need, built once in app.ts. */
export interface ListenerDeps {
  knowledge: Knowledge;
  log: Log;
  claims: Claims;
  replies: Replies;
  settings: BotSettings;
}

export interface BotSettings {
  /** Passive listening also reads other apps' messages (off by default: no bot-to-bot loops, no alert floods). */
  readBotMessages: boolean;
  /** How long an event id / message is remembered for "answer once". */
  eventTtlMs: number;
  /** How long passive listening remembers a platform+cause answered in a thread. */
  threadTtlMs: number;
}
