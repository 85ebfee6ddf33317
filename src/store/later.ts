/**
 * A PostgreSQL store that could not be reached at start: the bot starts anyway (replies don't need the
 * store, /healthz says 503) and this keeps trying to open it in the background. Until it is open every
 * call rejects with StoreUnavailableError, which the bot's Memory treats like any store outage.
 */
import type { InstallationRows } from './installations';
import type { Engine, Store } from './store';

export class StoreUnavailableError extends Error {
  constructor() {
    super('store: not connected yet');
    this.name = 'StoreUnavailableError';
  }
}

/** Errors that mean "the server can't be reached right now", as opposed to a wrong URL or password. */
export function isConnectionProblem(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      [
        'ECONNREFUSED',
        'ECONNRESET',
        'ETIMEDOUT',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'EAI_AGAIN',
        '57P03',
        '53300',
      ].includes(code)
    )
      return true;
    const message = (e as { message?: unknown }).message;
    if (
      typeof message === 'string' &&
      /timeout expired|Connection terminated|connect ETIMEDOUT/i.test(message)
    )
      return true;
  }
  return false;
}

export interface LaterOptions {
  /** Opens (and migrates) the store; called until it succeeds. */
  open: () => Promise<Store>;
  engine: Engine;
  /** Between attempts (default 5 s). */
  retryMs?: number;
  log?: {
    info(msg: string, f?: Record<string, unknown>): void;
    warn(msg: string, f?: Record<string, unknown>): void;
  };
}

export class StoreWhenReachable implements Store {
  readonly engine: Engine;
  private inner: Store | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private attempts = 0;

  constructor(private readonly options: LaterOptions) {
    this.engine = options.engine;
    this.schedule(0);
  }

  /** Open yet? */
  get connected(): boolean {
    return this.inner !== null;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.attempt(), ms);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    this.attempts++;
    try {
      const store = await this.options.open();
      if (this.closed) {
        await store.close();
        return;
      }
      this.inner = store;
      this.options.log?.info('store connected', { attempts: this.attempts });
    } catch (error) {
      if (this.attempts === 1 || this.attempts % 12 === 0)
        this.options.log?.warn('store still unreachable; retrying', {
          attempts: this.attempts,
          message: (error as Error)?.message?.split('\n')[0]?.slice(0, 200),
        });
      this.schedule(this.options.retryMs ?? 5_000);
    }
  }

  private get store(): Store {
    if (!this.inner) throw new StoreUnavailableError();
    return this.inner;
  }

  /** Rejects (StoreUnavailableError) until connected, like every other call. */
  readonly installations: InstallationRows = {
    save: async (...a) => this.store.installations.save(...a),
    find: async (...a) => this.store.installations.find(...a),
    reseal: async (...a) => this.store.installations.reseal(...a),
    remove: async (...a) => this.store.installations.remove(...a),
    forgetTeam: async (...a) => this.store.installations.forgetTeam(...a),
    noteTeamEnterprise: async (...a) => this.store.installations.noteTeamEnterprise(...a),
    forgetEnterprise: async (...a) => this.store.installations.forgetEnterprise(...a),
    forgetUninstalledTeam: async (...a) => this.store.installations.forgetUninstalledTeam(...a),
    forgetRevokedTeams: async (...a) => this.store.installations.forgetRevokedTeams(...a),
    metaOnce: async (...a) => this.store.installations.metaOnce(...a),
    metaReplace: async (...a) => this.store.installations.metaReplace(...a),
    count: async (...a) => this.store.installations.count(...a),
  };

  claim: Store['claim'] = async (...a) => this.store.claim(...a);
  claimInOrder: Store['claimInOrder'] = async (...a) => this.store.claimInOrder(...a);
  holdInOrder: Store['holdInOrder'] = async (...a) => this.store.holdInOrder(...a);
  confirmHeld: Store['confirmHeld'] = async (...a) => this.store.confirmHeld(...a);
  releaseHeld: Store['releaseHeld'] = async (...a) => this.store.releaseHeld(...a);
  renewHeld: Store['renewHeld'] = async (...a) => this.store.renewHeld(...a);
  takeCapSlot: Store['takeCapSlot'] = async (...a) => this.store.takeCapSlot(...a);
  hashMessage: Store['hashMessage'] = (...a) => this.store.hashMessage(...a);
  recordDiagnosis: Store['recordDiagnosis'] = async (...a) => this.store.recordDiagnosis(...a);
  recordVote: Store['recordVote'] = async (...a) => this.store.recordVote(...a);
  cardVotes: Store['cardVotes'] = async (...a) => this.store.cardVotes(...a);
  getChannelSettings: Store['getChannelSettings'] = async (...a) => this.store.getChannelSettings(...a);
  setChannelSettings: Store['setChannelSettings'] = async (...a) => this.store.setChannelSettings(...a);
  getAlertChoice: Store['getAlertChoice'] = async (...a) => this.store.getAlertChoice(...a);
  setAlertChoice: Store['setAlertChoice'] = async (...a) => this.store.setAlertChoice(...a);
  stats: Store['stats'] = async (...a) => this.store.stats(...a);
  exportRows: Store['exportRows'] = async (...a) => this.store.exportRows(...a);
  addReminder: Store['addReminder'] = async (...a) => this.store.addReminder(...a);
  pendingReminders: Store['pendingReminders'] = async (...a) => this.store.pendingReminders(...a);
  removeReminder: Store['removeReminder'] = async (...a) => this.store.removeReminder(...a);
  noteChannelKind: Store['noteChannelKind'] = async (...a) => this.store.noteChannelKind(...a);
  channelKinds: Store['channelKinds'] = async (...a) => this.store.channelKinds(...a);
  countRecent: Store['countRecent'] = async (...a) => this.store.countRecent(...a);
  claimOutbreakAlert: Store['claimOutbreakAlert'] = async (...a) => this.store.claimOutbreakAlert(...a);
  outbreakOpen: Store['outbreakOpen'] = async (...a) => this.store.outbreakOpen(...a);
  purgeExpired: Store['purgeExpired'] = async (...a) => this.store.purgeExpired(...a);

  async ping(timeoutMs?: number): Promise<boolean> {
    return this.inner ? this.inner.ping(timeoutMs) : false;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.inner?.close();
  }
}
