import type { Knowledge } from '../diagnosis/knowledge';
import type { Log } from '../log';
import type { Claims } from '../slack/dedupe';
import type { Memory } from '../slack/memory';
import type { Replies } from '../slack/replies';
import type { Screenshots } from '../slack/screenshots';

/** What the listeners need, built once in app.ts. */
export interface ListenerDeps {
  knowledge: Knowledge;
  log: Log;
  /** "Answer once": the store's claims (every replica agrees), in-process while it is down. */
  claims: Claims;
  /** The store as listeners use it: bounded calls that never throw (see src/slack/memory.ts). */
  memory: Memory;
  replies: Replies;
  settings: BotSettings;
  /** Reads shared screenshots (OCR); absent where images are not read (some tests). */
  screenshots?: Screenshots | null;
  /** OAuth mode: what app_uninstalled / tokens_revoked delete; absent with a single SLACK_BOT_TOKEN. */
  installs?: InstallLifecycle | null;
}

/** The parts of Bolt's context an install's lifecycle events carry (from the event's `authorizations`). */
export interface InstallContext {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

/** What an uninstall deleted besides the installation. */
export interface UninstallOutcome {
  /** Workspaces whose data was forgotten. */
  forgotten: string[];
  /**
   * A workspace's own install was uninstalled but its data kept: the org-wide install of this enterprise
   * still serves it (and its uninstall forgets it later). Absent otherwise.
   */
  keptForOrg?: string;
}

/** OAuth installs' lifecycle (src/oauth/installation-store.ts). */
export interface InstallLifecycle {
  uninstalled(context: InstallContext): Promise<UninstallOutcome>;
  tokensRevoked(context: InstallContext, tokens: { bot?: unknown; oauth?: unknown }): Promise<void>;
}

export interface BotSettings {
  /**
   * Passive listening also reads other apps' messages (off by default: no bot-to-bot loops, no alert
   * floods). The default for channels where nobody ran `/tokenfix bots on|off`.
   */
  readBotMessages: boolean;
  /** How long an event id / message is remembered for "answer once". */
  eventTtlMs: number;
  /** How long passive listening remembers a platform+cause answered in a thread. */
  threadTtlMs: number;
  /**
   * Where outbreak alerts go when the workspace has not chosen with `/tokenfix alerts here|off`:
   * ALERT_CHANNEL with a single bot token, null (no alerts until chosen) in OAuth mode.
   */
  alertChannel: string | null;
}
